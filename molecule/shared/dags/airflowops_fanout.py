"""Fan-out DAG for the multi-node scenario: eight parallel tasks that report the host they ran on.

The "sleep" param (seconds per task) can be raised through the run's conf, so a run lasts long enough
to stop a worker in the middle of it.
"""

from __future__ import annotations

import socket
import time

import pendulum

from airflow.sdk import dag, get_current_context, task


@dag(
    dag_id="airflowops_fanout",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    params={"sleep": 3},
    max_active_tasks=16,
    tags=["airflowops", "smoke"],
)
def airflowops_fanout():
    @task
    def work(index: int) -> str:
        time.sleep(int(get_current_context()["params"]["sleep"]))
        return f"{index}@{socket.gethostname()}"

    @task
    def gather(results: list[str]) -> int:
        if len(results) != 8:
            raise ValueError(f"expected 8 results, got {results!r}")
        return len(results)

    gather(work.expand(index=list(range(8))))


airflowops_fanout()
