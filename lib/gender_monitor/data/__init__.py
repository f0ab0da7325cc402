"""Observations: the one CSV format and its rules, harmonisation across the 2025 change, checks."""
