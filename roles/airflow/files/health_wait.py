"""Waits until an Airflow component started on this host is healthy, in one Python process.

    health_wait.py jobs SchedulerJob --unit airflow-scheduler    # `airflow jobs check --job-type SchedulerJob --local`
    health_wait.py celery airflow@worker1 --unit airflow-worker  # `celery inspect ping --destination airflow@worker1`
    health_wait.py api http://127.0.0.1:8080/api/v2/monitor/health --unit airflow-api-server
    health_wait.py edge worker1 --unit airflow-edge-worker    # `airflow edge status`: registered at the api-servers

Run with the venv's Python as the service user, with the service's environment (AIRFLOW_HOME,
AIRFLOW_CONFIG). Polls every --interval seconds until the check passes and exits 0; the caller bounds the
wait (timeout(1)). Each poll is a query, a ping or an HTTP request from the process that imported Airflow
once: polling the CLI instead starts Airflow again every few seconds (about 2.5 s of CPU each), on the very
host whose components are starting. The api check reads the health JSON (it answers 200 when unhealthy too)
and needs the metadatabase healthy. The last error, if any, goes to stderr when it changes.

With --unit, a unit that keeps exiting while the wait runs (systemd restarted it --max-restarts times,
Restart=on-failure, or gave up on it) ends the wait with exit status 3: a component that cannot start (a bad
setting, a missing module) is reported within a minute or so, not after the caller's timeout. One exit is
tolerated: on a first deployment an api-server was seen to exit once while starting and run fine after its
restart.

Installed by the base role (tasks/configure.yml), called by tasks/health.yml.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import urllib.request

CRASHED = 3


def jobs_check(job_type):
    from airflow.cli.commands.jobs_command import check

    args = argparse.Namespace(job_type=job_type, hostname=None, local=True, limit=1, allow_multiple=False)

    def healthy():
        try:
            check(args)
        except SystemExit as exc:
            return False, str(exc)
        return True, ""

    return healthy


def celery_ping(node):
    from airflow.providers.celery.executors.celery_executor import app

    def healthy():
        replies = app.control.ping(destination=[node], timeout=5)
        return bool(replies), "no answer from %s" % node

    return healthy


def api_health(url):
    def healthy():
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the caller's loopback URL
            status = json.load(response).get("metadatabase", {}).get("status")
        return status == "healthy", "metadatabase: %s" % status

    return healthy


def edge_status(name):
    """The local Edge worker's state as `airflow edge status` reads it (SIGUSR2 to the pid of its pid file, then its
    status file): healthy once it has registered with the api-servers (idle, running, or in maintenance)."""
    import os

    from lockfile.pidlockfile import read_pid_from_pidfile

    from airflow.providers.edge3.cli.signalling import SIG_STATUS, pid_file_path, status_file_path

    registered = {"idle", "running", "maintenance request", "maintenance pending", "maintenance mode"}

    def healthy():
        pid = read_pid_from_pidfile(pid_file_path(None))
        if not pid:
            return False, "no pid file of the Edge worker %s yet" % name
        asked = time.time() - 1
        os.kill(pid, SIG_STATUS)
        path = status_file_path(None)
        for _attempt in range(50):
            if os.path.exists(path) and os.stat(path).st_mtime >= asked:
                break
            time.sleep(0.1)
        else:
            return False, "the Edge worker %s wrote no status" % name
        with open(path) as status_file:
            state = json.load(status_file).get("state")
        return state in registered, "Edge worker %s: %s" % (name, state)

    return healthy


def unit_state(unit):
    """NRestarts, ActiveState and Result of the unit; None when systemd cannot be asked."""
    try:
        out = subprocess.run(
            ["systemctl", "show", "--property=NRestarts,ActiveState,Result", unit],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    state = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return state if "ActiveState" in state else None


def unit_watch(unit, max_restarts):
    """A function that says why the unit will not start: restarted max_restarts times since the wait began, or
    failed for good (None while it runs or starts)."""
    first = unit_state(unit) if unit else None
    if first is None:
        return lambda: None

    def crashed():
        now = unit_state(unit)
        if now is None:
            return None
        restarts = int(now.get("NRestarts") or 0) - int(first.get("NRestarts") or 0)
        if restarts >= max_restarts or now["ActiveState"] == "failed":
            return "%s exited while starting (result: %s, restarted %d time(s) since the wait began): journalctl -u %s" % (
                unit, now.get("Result", "?"), restarts, unit)
        return None

    return crashed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["jobs", "celery", "api", "edge"])
    parser.add_argument("target", help="job type (jobs), Celery node name (celery), health URL (api) or worker name (edge)")
    parser.add_argument("--unit", help="the component's systemd unit: the wait ends when it keeps exiting")
    parser.add_argument("--max-restarts", type=int, default=3, help="restarts of --unit that end the wait")
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args()
    crashed = unit_watch(args.unit, args.max_restarts)
    healthy = {"jobs": jobs_check, "celery": celery_ping, "api": api_health, "edge": edge_status}[args.kind](args.target)
    last = None
    while True:
        try:
            ok, reason = healthy()
        except Exception as exc:  # the database, broker or server is not there yet: ask again
            ok, reason = False, "%s: %s" % (type(exc).__name__, exc)
        if ok:
            return 0
        if reason != last:
            print(reason, file=sys.stderr, flush=True)
            last = reason
        why = crashed()
        if why:
            print(why, file=sys.stderr, flush=True)
            return CRASHED
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
