"""roles/airflow/files/airflowops_log_clean.py (airflowops-log-clean.service): files older than --days go, then with
--max-mb the oldest until the folder fits, then the folders left empty; a link is neither followed nor deleted, and
what it points to stays. The default scenario checks the age rule on a host; the size cap is checked here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "roles" / "airflow" / "files" / "airflowops_log_clean.py"
MIB = 1024 * 1024


def plant(path, size_mib, days_old):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * int(size_mib * MIB))
    when = time.time() - days_old * 86400
    os.utime(path, (when, when))


def clean(folder, *args):
    result = subprocess.run([sys.executable, str(SCRIPT), "--dir", str(folder), *args],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_age_then_size_oldest_first(tmp_path):
    logs = tmp_path / "logs"
    plant(logs / "dag_id=a" / "old.log", 1, 40)
    plant(logs / "dag_id=b" / "run=1" / "week.log", 2, 7)
    plant(logs / "dag_id=b" / "run=2" / "day.log", 2, 1)
    plant(logs / "dag_id=b" / "run=3" / "now.log", 1, 0)
    summary = clean(logs, "--days", "30", "--max-mb", "3")
    assert summary == {"deleted_old": 1, "deleted_for_size": 1, "freed_bytes": 3 * MIB, "remaining_bytes": 3 * MIB}
    left = sorted(p.relative_to(logs).as_posix() for p in logs.rglob("*"))
    # The old file's and the week-old file's folders went with them; the logs folder itself stays.
    assert left == ["dag_id=b", "dag_id=b/run=2", "dag_id=b/run=2/day.log", "dag_id=b/run=3", "dag_id=b/run=3/now.log"]


def test_no_size_cap_keeps_everything_young(tmp_path):
    plant(tmp_path / "a.log", 2, 1)
    plant(tmp_path / "b.log", 2, 2)
    assert clean(tmp_path, "--days", "30") == {"deleted_old": 0, "deleted_for_size": 0, "freed_bytes": 0,
                                               "remaining_bytes": 4 * MIB}


def test_links_are_neither_followed_nor_deleted(tmp_path):
    outside = tmp_path / "outside"
    plant(outside / "precious.txt", 1, 100)
    logs = tmp_path / "logs"
    plant(logs / "old.log", 1, 100)
    (logs / "to_outside").symlink_to(outside)
    (logs / "to_file").symlink_to(outside / "precious.txt")
    summary = clean(logs, "--days", "30", "--max-mb", "1")
    assert summary["deleted_old"] == 1
    assert (outside / "precious.txt").exists()
    assert (logs / "to_outside").is_symlink() and (logs / "to_file").is_symlink()


@pytest.mark.parametrize("args", [["--days", "0"], ["--days", "3", "--max-mb", "-1"]])
def test_a_retention_of_zero_is_refused(tmp_path, args):
    plant(tmp_path / "a.log", 1, 100)
    result = subprocess.run([sys.executable, str(SCRIPT), "--dir", str(tmp_path), *args], capture_output=True, text=True,
                            check=False)
    assert result.returncode != 0
    assert "--days must be 1 or more" in result.stderr
    assert (tmp_path / "a.log").exists()
