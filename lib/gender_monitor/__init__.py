"""Monitoring suite for Viet Nam's provincial gender-equality plans (Quảng Trị 2021–2030 first)."""

from __future__ import annotations

__version__ = "0.1.0"
