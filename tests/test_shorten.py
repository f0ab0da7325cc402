"""Names shortened for a chart label or a table cell: cut between two words, never inside one.

Vietnamese words are often two syllables written apart ("bình đẳng", "phụ nữ"); a name cut at the last
space before the limit read "… chính quyền địa…" or "… dân tộc thiểu…". The names here are the plan's own
(``name_vi`` in ``parameters/plan.yaml``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from gender_monitor.core import i18n
from gender_monitor.judge import messages
from gender_monitor.plan.registry import load_plan

PLAN_FILE = Path(__file__).resolve().parents[1] / "parameters" / "plan.yaml"
#: Words of two or three syllables found in the plan's names (a check for the tests only: the library
#: keeps no word list). A cut name must not end on the first syllables of one of them where the name goes
#: on with the rest.
WORDS = ("tỷ lệ", "tỷ trọng", "cơ quan", "quản lý", "nhà nước", "chính quyền", "địa phương", "lãnh đạo",
         "chủ chốt", "lao động", "làm việc", "khu vực", "nông nghiệp", "tổng số", "việc làm", "doanh nghiệp",
         "công việc", "nội trợ", "chăm sóc", "gia đình", "phụ nữ", "nam giới", "bạo lực", "cơ sở", "phát hiện",
         "tiếp cận", "ít nhất", "dịch vụ", "hỗ trợ", "cơ bản", "trách nhiệm", "hình sự", "tư vấn", "tham vấn",
         "nạn nhân", "mua bán", "trở về", "nhu cầu", "tái hòa nhập", "cộng đồng", "trợ giúp", "xã hội",
         "công lập", "triển khai", "hoạt động", "phòng ngừa", "ứng phó", "hôn nhân", "huyết thống",
         "đồng bào", "dân tộc", "thiểu số", "giới tính", "tử vong", "liên quan", "thai sản", "vị thành niên",
         "y tế", "cung cấp", "thí điểm", "sức khỏe", "đồng tính", "song tính", "chuyển giới", "nội dung",
         "bình đẳng", "chương trình", "giảng dạy", "nhà trường", "chính thức", "sư phạm", "trẻ em",
         "hoàn thành", "giáo dục", "tiểu học", "trung học", "học viên", "học sinh", "sinh viên", "hệ thống",
         "nghề nghiệp", "thạc sĩ", "tiến sĩ", "trình độ", "dân số", "kiến thức", "tổ chức", "hành chính",
         "đoàn thể", "phổ biến", "cập nhật", "thông tin", "cam kết", "thực hiện", "đơn vị", "phát thanh",
         "truyền hình", "chuyên mục", "chuyên đề", "hằng tháng", "nâng cao", "nhận thức")


def _plan_names() -> list[str]:
    data = yaml.safe_load((PLAN_FILE).read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.extend(str(v) for k, v in node.items() if k == "name_vi")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return found


NAMES = _plan_names()


def _split_word(cut: str, name: str) -> str | None:
    """The word of :data:`WORDS` that ``cut`` (without its "…") splits in ``name``, if any."""
    kept = cut.removesuffix("…")
    assert name.startswith(kept), (kept, name)
    for word in WORDS:
        syllables = word.split()
        for i in range(1, len(syllables)):
            head, rest = " ".join(syllables[:i]), " ".join(syllables[i:])
            if kept.lower().endswith(" " + head) and name[len(kept):].lower().startswith(" " + rest):
                return word
    return None


def test_the_plan_has_long_names_to_cut():
    assert len(NAMES) >= 25 and sum(len(n) > 60 for n in NAMES) >= 10


def _name(start: str) -> str:
    return next(n for n in NAMES if n.startswith(start))


def test_cut_names_read_as_written_by_hand():
    # 1.1: cut at the last space before 48 it read "… chính quyền địa…"; the first phrase ends at the comma.
    one = _name("các cơ quan quản lý")
    assert i18n.shorten(one, 48) == "các cơ quan quản lý nhà nước…"
    assert i18n.shorten(one, 56) == "các cơ quan quản lý nhà nước, chính quyền địa phương…"
    # 2.2: "… khu vực nông…" at 52; four characters over are worth a whole phrase ("so với" leads on).
    two = _name("tỷ trọng lao động nữ")
    assert i18n.shorten(two, 52) == "tỷ trọng lao động nữ làm việc trong khu vực nông nghiệp…"
    # 3.3: "trở về" is one word, although "về" leads into a phrase elsewhere ("về bình đẳng giới"): not "… trở…".
    three = _name("số nạn nhân bị mua bán")
    assert i18n.shorten(three, 36) == "số nạn nhân bị mua bán trở về…"
    assert i18n.shorten(three, 48) == "số nạn nhân bị mua bán trở về được phát hiện…"
    # 4.4: no phrase ends before "dành cho": the first phrase is kept whole, a little over 52, not "… sức…".
    four = _name("cơ sở y tế")
    assert i18n.shorten(four, 52) == "cơ sở y tế cung cấp thí điểm dịch vụ chăm sóc sức khỏe…"


def test_nothing_that_fits_is_cut():
    for n in NAMES:
        assert i18n.shorten(n, len(n)) == n
        assert i18n.shorten(n, len(n) + 10) == n
        assert i18n.shorten(f"  {n}  ", len(n)) == n  # spaces around or doubled are not counted
    plan = load_plan()
    for t in plan.targets:
        assert messages.short_name(t, "vi", len(messages.full_name(t, "vi"))) == messages.full_name(t, "vi")


@pytest.mark.parametrize("limit", range(16, 152, 4))
def test_a_cut_name_ends_at_a_whole_word(limit):
    drop = set(i18n.t("messages.name_cut_drop", "vi").split())
    joined = {e.strip() for e in i18n.t("messages.name_cut_joined", "vi").split(",")}
    for n in NAMES:
        cut = i18n.shorten(n, limit)
        if cut == n:
            continue
        assert cut.endswith("…") and not cut.endswith((" …", ",…", ";…")), cut
        assert _split_word(cut, n) is None, (limit, cut, _split_word(cut, n))
        last = cut.removesuffix("…").split(" ")
        assert last[-1].lower() not in drop or " ".join(last[-2:]).lower() in joined, cut
        # over the limit by a quarter at most, unless no phrase of the name ends within it
        assert len(cut) <= 1.25 * limit + 1 or cut == i18n.shorten(n, 1), (limit, cut)


def test_punctuation_and_brackets():
    assert i18n.shorten("Sở Lao động - Thương binh và Xã hội", 20) == "Sở Lao động…"
    # a cut never leaves a bracket open
    text = "Quảng Trị (địa bàn tỉnh mới, từ năm 2025) và các xã"
    assert i18n.shorten(text, 30) == "Quảng Trị…"
    assert i18n.shorten(text, 44) == "Quảng Trị (địa bàn tỉnh mới, từ năm 2025)…"
    # English words are whole at every space; the words leading into the cut go
    assert i18n.shorten("Share of women in the leadership of agencies", 26, "en") == "Share of women…"
    assert i18n.shorten("Share of women in the leadership of agencies", 32, "en") == "Share of women in the leadership…"
    licence = "CC BY 4.0 (as stated in datapackage.json of the repository copy)"
    assert i18n.shorten(licence, 40, "en") == "CC BY 4.0…"
