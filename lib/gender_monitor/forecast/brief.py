"""The plain-words sentence saying which method projected a series, why, and how it did on its own history."""

from __future__ import annotations

import pandas as pd

from gender_monitor.core import i18n
from gender_monitor.forecast import models

#: The methods ``auto`` uses and the reason each is used (locale key ``forecast.why.<reason>``).
AUTO_REASONS = {"simple": "short", "comb": "comb", "naive": "flat", "sparse": "sparse", "ltrend": "smooth"}


def method_brief(method: str, n_obs: int, *, scores: pd.DataFrame | None = None, chosen_by_reader: bool = False,
                 language: str = "vi") -> str:
    """Which method projected this series, why, and its own back-test against the last value (vi/en).

    ``method`` is the engine's method of the forecast (``simple``, ``comb``, ``naive`` … as in the
    forecasts' ``method`` column); ``chosen_by_reader`` when the method was picked instead of ``auto``.
    ``scores`` is :attr:`gender_monitor.forecast.candidates.Candidates.scores` (``method``, ``smape``):
    when it holds this method and ``naive``, their mean sMAPE on the series' own rolling origins is
    compared.
    """
    reason = "chosen" if chosen_by_reader else AUTO_REASONS.get(method, "chosen")
    # The sparse sentence describes a share of the shrunk drift (models.SPARSE_MEMBER).
    share = i18n.number(100 * models.SPARSE_WEIGHT, language, 0) + "%"
    # The smooth sentence: how many recent changes the local trend averages and how fast it is damped.
    damp = i18n.number(100 * (1 - models.LTREND_PHI), language, 0) + "%"
    why = i18n.t(f"forecast.why.{reason}", language, n=n_obs, share=share, changes=models.LTREND_CHANGES, damp=damp)
    text = i18n.t("forecast.method_used", language, method=i18n.t(f"methods.{method}", language), why=why)
    by = scores.set_index("method")["smape"] if scores is not None and len(scores) else pd.Series(dtype=float)
    if method == "naive":
        return text  # its own back-test is the yardstick itself
    if method in by.index and "naive" in by.index:
        own, naive = (i18n.number(float(by[m]), language, 1) for m in (method, "naive"))
        # Said as "however" when the series' own past contradicts the reason given for the method.
        worse = float(by[method]) > float(by["naive"]) and own != naive
        return text + " " + i18n.t("forecast.backtest_worse" if worse else "forecast.backtest", language,
                                   own=own, naive=naive)
    return text + " " + i18n.t("forecast.no_backtest", language)
