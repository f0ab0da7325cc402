"""Projection of every series: model pool, sampling noise, calibrated intervals, back-tests."""
