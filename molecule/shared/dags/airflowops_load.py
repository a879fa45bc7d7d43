"""Load DAG for the multi-node scenario's rolling update: one task that sleeps "sleep" seconds (15 by
default) and reports the host it ran on. Triggered every few seconds while the cluster changes, it keeps
tasks running through every drain and restart at the cost of one task instance per run (the fan-out DAG
costs four: the scheduling, execution-API calls and task processes of the load are most of its CPU). At
most 8 runs are active: runs triggered while no scheduler runs (a migration window) wait as queued runs
instead of filling the broker ahead of the canary's run.
"""

from __future__ import annotations

import socket
import time

import pendulum

from airflow.sdk import dag, get_current_context, task


@dag(
    dag_id="airflowops_load",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    params={"sleep": 15},
    max_active_runs=8,
    tags=["airflowops", "load"],
)
def airflowops_load():
    @task
    def hold() -> str:
        time.sleep(int(get_current_context()["params"]["sleep"]))
        return socket.gethostname()

    hold()


airflowops_load()
