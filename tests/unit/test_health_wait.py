"""roles/airflow/files/health_wait.py: the api check reads the health JSON, and --unit ends a wait at once
when systemd restarts the component (a fake systemctl on PATH stands in for systemd)."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "roles" / "airflow" / "files" / "health_wait.py"


@pytest.fixture
def health_server():
    """A loopback server answering 200 with the body in state["body"] (as the api-server does when unhealthy)."""
    state = {"body": {"metadatabase": {"status": "unhealthy"}}}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            body = json.dumps(state["body"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d/api/v2/monitor/health" % server.server_port, state
    server.shutdown()


def fake_systemctl(tmp_path, script):
    """A systemctl on PATH whose 'show' prints what the shell snippet script prints."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "systemctl"
    tool.write_text("#!/bin/sh\n" + script + "\n")
    tool.chmod(0o755)
    return dict(os.environ, PATH="%s:%s" % (bin_dir, os.environ["PATH"]))


def run(args, env=None, timeout=20):
    return subprocess.run([sys.executable, str(SCRIPT), *args, "--interval", "0.2"], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_api_waits_for_a_healthy_metadatabase(health_server):
    url, state = health_server
    threading.Timer(1.0, lambda: state.update(body={"metadatabase": {"status": "healthy"}})).start()
    result = run(["api", url])
    assert result.returncode == 0
    assert "metadatabase: unhealthy" in result.stderr


def test_a_unit_systemd_restarts_ends_the_wait(health_server, tmp_path):
    url = health_server[0]
    counter = tmp_path / "calls"
    # Each 'show' says one restart more than the one before (the first when the wait begins): the third ends it.
    env = fake_systemctl(tmp_path, (
        "n=$(cat %s 2>/dev/null || echo 0); echo $((n + 1)) > %s\n"
        "printf 'NRestarts=%%s\\nActiveState=activating\\nResult=exit-code\\n' $n") % (counter, counter))
    result = run(["api", url, "--unit", "airflow-api-server"], env=env)
    assert result.returncode == 3
    assert "airflow-api-server exited while starting (result: exit-code, restarted 3 time(s)" in result.stderr
    assert counter.read_text().strip() == "4"


def test_one_restart_is_tolerated(health_server, tmp_path):
    url, state = health_server
    env = fake_systemctl(tmp_path, (
        "[ -f %s ] && r=1 || r=0; touch %s\n"
        "printf 'NRestarts=%%s\\nActiveState=active\\nResult=success\\n' $r") % (tmp_path / "seen", tmp_path / "seen"))
    threading.Timer(1.0, lambda: state.update(body={"metadatabase": {"status": "healthy"}})).start()
    assert run(["api", url, "--unit", "airflow-api-server"], env=env).returncode == 0


def test_a_failed_unit_ends_the_wait(health_server, tmp_path):
    url = health_server[0]
    counter = tmp_path / "calls"
    env = fake_systemctl(tmp_path, (
        "n=$(cat %s 2>/dev/null || echo 0); echo $((n + 1)) > %s\n"
        "[ \"$n\" -eq 0 ] && s=activating || s=failed\n"
        "printf 'NRestarts=0\\nActiveState=%%s\\nResult=exit-code\\n' $s") % (counter, counter))
    assert run(["api", url, "--unit", "airflow-api-server"], env=env).returncode == 3


def test_without_systemd_the_wait_goes_on(health_server, tmp_path):
    url, state = health_server
    env = fake_systemctl(tmp_path, "echo 'Failed to connect to bus' >&2; exit 1")
    threading.Timer(1.0, lambda: state.update(body={"metadatabase": {"status": "healthy"}})).start()
    assert run(["api", url, "--unit", "airflow-api-server"], env=env).returncode == 0
