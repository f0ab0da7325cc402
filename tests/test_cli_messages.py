"""Every command answers --help, and a wrong argument gets a one-line message in both languages, no traceback."""

from __future__ import annotations

import pytest
from gender_monitor.cli.main import main

COMMANDS = ("plan", "check", "project", "assess", "review", "templates", "ingest")


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_answers_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"] if command else ["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr()
    assert "usage: gender-monitor" in out.out and "Traceback" not in out.err


@pytest.mark.parametrize("year", ["99999", "1800", "2100", "năm nay"])
def test_a_year_no_one_reports_for_is_refused_in_both_languages(year, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["templates", "--year", year, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert "is not a reporting year" in err and "không phải là năm báo cáo hợp lệ" in err
    assert not any(tmp_path.iterdir())
