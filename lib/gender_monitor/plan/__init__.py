"""The plan as data: targets and their years (registry), agencies and places in time (reference)."""
