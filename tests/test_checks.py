"""`gender-monitor check` on the bundled data and on a broken file."""

from __future__ import annotations

import re
import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "gender_monitor", "check", *args], capture_output=True,
                          text=True, timeout=300)


def test_check_accepts_the_bundled_data():
    proc = run()
    assert proc.returncode == 0, proc.stderr
    assert "Result: OK" in proc.stdout
    assert "Coverage" in proc.stdout and "4.1" in proc.stdout
    assert "illustrative" in proc.stdout  # the status summary says how much is illustrative
    # Counts of a thousand or more in each language's style: "1.349 giá trị" / "1,349 valid value(s)".
    checked = next(line for line in proc.stdout.splitlines() if line.startswith("Đã kiểm tra"))
    vi, en = checked.split(" / ")
    assert re.search(r"\d\.\d{3} giá trị", vi) and re.search(r"\d,\d{3} valid", en), checked


def test_check_names_every_bad_line_of_a_broken_file(tmp_path):
    bad = tmp_path / "agency_return.csv"
    bad.write_text(
        "indicator,place,year,value,numerator,denominator\n"
        "4.1,QT,2024,111.3,6300,5660\n"  # fine
        "4.1,QT,2023,160,,\n"  # outside the plausible SRB band
        "4.2,QT,2023,41.7,6,5000\n"  # disagrees with its counts
        "9.9,QT,2023,1,,\n"  # unknown indicator
        "2.1,QX,2023,40,,\n",  # unknown place
        encoding="utf-8")
    proc = run(str(bad))
    assert proc.returncode == 1
    for line in (3, 4, 5, 6):
        assert f"{bad}:{line} " in proc.stderr, proc.stderr
    assert f"{bad}:2 " not in proc.stderr
    assert "Result: 4 error(s)" in proc.stdout


def test_check_a_data_folder_with_its_own_reference_tables(tmp_path):
    import shutil

    from gender_monitor.core import paths

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    places = data / "reference" / "places.csv"
    places.write_text(places.read_text(encoding="utf-8").replace(",province,", ",region,", 1), encoding="utf-8")
    proc = run("--data", str(data), "--quiet")
    assert proc.returncode == 1
    assert f"{places}:3 [level]" in proc.stderr


def test_check_quiet_prints_errors_only():
    # The bundled data give warnings (illustrative values left out beside real ones); --quiet says errors only.
    loud = run()
    assert loud.returncode == 0 and "warning" in loud.stdout
    quiet = run("--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "" and quiet.stderr == "", quiet.stdout[:500]
