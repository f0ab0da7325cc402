"""The indicator brief's sentence on the forecast method: which, why, and its own back-test against naive."""

from __future__ import annotations

import pandas as pd
from gender_monitor.core import i18n
from gender_monitor.forecast import models
from gender_monitor.forecast.brief import method_brief
from gender_monitor.forecast.candidates import compare
from gender_monitor.forecast.projection import project


def test_the_sentence_names_the_engines_method_and_its_reason():
    scores = pd.DataFrame({"method": ["naive", "comb"], "smape": [4.5, 3.125]})
    vi = method_brief("comb", 9, scores=scores, language="vi")
    assert "“Kết hợp (trung vị)”" in vi and "9 năm" in vi
    assert "3,1%" in vi and "4,5%" in vi  # Vietnamese decimals, own error before naive's
    en = method_brief("simple", 3, language="en")
    assert "“Combination (mean)”" in en and "only 3 years" in en and "too short to test itself" in en
    assert "step-like" in method_brief("naive", 9, scores=scores, language="en")
    assert "chosen in the controls" in method_brief("drift", 9, chosen_by_reader=True, language="en")


def test_the_survey_sentence_states_the_share_of_the_trend_the_engine_uses(monkeypatch):
    vi = method_brief("sparse", 3, language="vi")
    assert "“Xu hướng thận trọng cho số liệu điều tra”" in vi and "cách nhau từ hai năm trở lên" in vi
    assert "mỗi năm dự báo, giá trị gần nhất được cộng thêm 50% mức thay đổi bình quân hằng năm đã co hẹp" in vi
    # The sentence speaks of the shrunk drift: it must be the member the engine blends.
    assert models.SPARSE_MEMBER == "sdrift"
    monkeypatch.setattr(models, "SPARSE_WEIGHT", 0.75)
    assert "moved by 75% of the shrunk yearly trend" in method_brief("sparse", 3, language="en")


def test_the_brief_agrees_with_the_forecast_and_the_series_own_back_test():
    years = list(range(2012, 2024))
    rows = pd.DataFrame({"year": years, "value": [20.0 + 0.8 * (y - 2012) + (0.6 if y % 2 else -0.6) for y in years]})
    fc = project(rows.assign(indicator="x", place="QT", unit="percent"), until=2030).forecasts
    method = str(fc["method"].iloc[0])
    cands = compare(rows, "percent", until=2030, methods=("naive", method))
    by = cands.scores.set_index("method")["smape"]
    text = method_brief(method, int(fc["n_obs"].iloc[0]), scores=cands.scores, language="en")
    assert method == "comb" and "12 years" in text
    assert f"{i18n.number(by[method], 'en', 1)}%, against {i18n.number(by['naive'], 'en', 1)}%" in text


def test_a_series_whose_own_past_contradicts_the_reason_says_however():
    # 4.2 QT in the bundled data: the combination's reason (it erred less on many countries' data) is
    # followed by this series' own back-test, where it did worse than the last value: the sentence must
    # not read as if the two agreed.
    scores = pd.DataFrame({"method": ["naive", "comb"], "smape": [31.1, 51.2]})
    vi = method_brief("comb", 9, scores=scores, language="vi")
    en = method_brief("comb", 9, scores=scores, language="en")
    assert "Tuy vậy" in vi and "51,2%, cao hơn mức 31,1%" in vi
    assert "however" in en and "51.2%, above the 31.1%" in en
    better = method_brief("comb", 9, scores=scores.assign(smape=[51.2, 31.1]), language="vi")
    assert "Tuy vậy" not in better and "31,1%, so với 51,2%" in better


def test_the_smooth_sentence_states_the_changes_and_damping_the_engine_uses(monkeypatch):
    vi = method_brief("ltrend", 15, language="vi")
    assert "“Xu hướng gần đây tắt dần”" in vi and "15 năm số liệu liên tục" in vi
    assert "mức thay đổi bình quân của 2 năm gần nhất, mức cộng thêm giảm dần 10% mỗi năm" in vi
    monkeypatch.setattr(models, "LTREND_PHI", 0.85)
    monkeypatch.setattr(models, "LTREND_CHANGES", 3)
    assert "average change of the last 3 years, damped by 15% a year" in method_brief("ltrend", 15, language="en")
