"""Units of measure, declared once: each unit's scale, plausible range and the scale it is modelled on.

Every other module imports what it needs from here (the observation checker its ranges and scales, the
projection its modelling scales, disclosure control its rate scales, the agencies' templates their Excel
bounds), so that two lists which must agree cannot drift apart. The words a reader sees for a unit
live in the locales (``units.<name>``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitRule:
    """One unit of measure.

    Attributes
    ----------
    name
        The code used in the plan and in observation files.
    per
        ``value = per × numerator / denominator`` for a rate (``per_100`` is boys per 100 girls);
        ``None`` when a value is not a ratio of two counts.
    lo, hi
        Plausible range of a value (inclusive). The sex ratio at birth band is wide on purpose: a
        province's yearly SRB from ~12,000 births moves ±4 by chance alone around values up to ~115.
    model_scale
        The scale a value is projected on (``logit``, ``log``, ``log1p``); ``None``: not projected.
    share
        The numerator is part of the denominator (so numerator ≤ denominator).
    whole
        Values are whole numbers.
    """

    name: str
    per: float | None
    lo: float
    hi: float
    model_scale: str | None
    share: bool = False
    whole: bool = False


#: The table. ``per_100`` (sex ratio at birth) on the log scale is exactly the logit of the boys' share
#: p = srb / (100 + srb), because logit(p) = log(b / g) = log(srb / 100).
TABLE: tuple[UnitRule, ...] = (
    UnitRule("percent", per=100.0, lo=0.0, hi=100.0, model_scale="logit", share=True),
    UnitRule("per_100", per=100.0, lo=90.0, hi=130.0, model_scale="log"),
    UnitRule("per_1000", per=1000.0, lo=0.0, hi=1000.0, model_scale="log1p", share=True),
    UnitRule("per_100000", per=100000.0, lo=0.0, hi=100000.0, model_scale="log1p", share=True),
    UnitRule("ratio", per=None, lo=0.0, hi=20.0, model_scale="log"),
    UnitRule("count", per=None, lo=0.0, hi=math.inf, model_scale="log1p", whole=True),
    UnitRule("yes_no", per=None, lo=0.0, hi=1.0, model_scale=None, whole=True),
)
BY_NAME: dict[str, UnitRule] = {u.name: u for u in TABLE}

#: Views of the table, in the shapes the modules use.
UNITS: tuple[str, ...] = tuple(BY_NAME)
#: Plausible range of a value, per unit (inclusive).
RANGES: dict[str, tuple[float, float]] = {u.name: (u.lo, u.hi) for u in TABLE}
#: Value implied by numerator and denominator, per unit (rates only).
SCALE: dict[str, float] = {u.name: u.per for u in TABLE if u.per is not None}
#: How each unit is projected (units that are not projected are absent).
MODEL_SCALE: dict[str, str] = {u.name: u.model_scale for u in TABLE if u.model_scale is not None}
#: Units whose numerator is part of the denominator (so numerator ≤ denominator).
SHARE_UNITS: tuple[str, ...] = tuple(u.name for u in TABLE if u.share)
#: Units whose values are whole numbers.
WHOLE_UNITS: frozenset[str] = frozenset(u.name for u in TABLE if u.whole)
