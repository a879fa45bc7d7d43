"""The monitoring role's alert rules (roles/monitoring/files/airflowops_rules.yml) under Prometheus's own rule tester:
each alert fires on the series that should fire it, with its labels and rendered annotations, and not on healthy
ones (tests/alert_rules/airflowops_rules_test.yml). promtool is Debian 12's, the version the role installs: taken
from PATH, else from the prometheus package (apt-get download, unpacked once into ~/.cache/airflowops)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "roles" / "monitoring" / "files" / "airflowops_rules.yml"
RULES_TEST = ROOT / "tests" / "alert_rules" / "airflowops_rules_test.yml"
CACHE = Path.home() / ".cache" / "airflowops" / "prometheus-deb"


@pytest.fixture(scope="module")
def promtool():
    found = shutil.which("promtool")
    if found:
        return found
    tool = CACHE / "usr" / "bin" / "promtool"
    if not tool.exists():
        # Two test processes may get here at once: each unpacks into its own folder, the first rename wins.
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=CACHE.parent))
        try:
            subprocess.run(["apt-get", "download", "prometheus"], cwd=work, check=True, capture_output=True, timeout=300)
            package = next(work.glob("prometheus_*.deb"))
            subprocess.run(["dpkg-deb", "-x", str(package), str(work / "tree")], check=True, timeout=120)
            try:
                (work / "tree").rename(CACHE)
            except OSError:
                pass
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return str(tool)


def test_the_rules_are_valid(promtool):
    result = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 8 rules found" in result.stdout


def test_each_alert_fires_when_it_should(promtool):
    result = subprocess.run([promtool, "test", "rules", str(RULES_TEST)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
