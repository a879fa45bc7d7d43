"""Waits until an Airflow component started on this host is healthy, in one Python process.

    health_wait.py jobs SchedulerJob           # what `airflow jobs check --job-type SchedulerJob --local` checks
    health_wait.py celery airflow@worker1      # what `celery inspect ping --destination airflow@worker1` checks

Run with the venv's Python as the service user, with the service's environment (AIRFLOW_HOME,
AIRFLOW_CONFIG). Polls every --interval seconds until the check passes and exits 0; the caller bounds the
wait (timeout(1)). Each poll is a query or a ping from the process that imported Airflow once: polling the
CLI instead starts Airflow again every few seconds (about 2.5 s of CPU each), on the very host whose
components are starting. The last error, if any, goes to stderr when it changes.

Installed by the base role (tasks/configure.yml), called by tasks/health.yml.
"""

from __future__ import annotations

import argparse
import sys
import time


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["jobs", "celery"])
    parser.add_argument("target", help="job type (jobs) or Celery node name (celery)")
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args()
    healthy = (jobs_check if args.kind == "jobs" else celery_ping)(args.target)
    last = None
    while True:
        try:
            ok, reason = healthy()
        except Exception as exc:  # the database or broker is not there yet: ask again
            ok, reason = False, "%s: %s" % (type(exc).__name__, exc)
        if ok:
            return 0
        if reason != last:
            print(reason, file=sys.stderr, flush=True)
            last = reason
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
