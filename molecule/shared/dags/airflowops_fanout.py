"""Fan-out DAG for the multi-node scenarios: "count" parallel tasks (8 by default) that report the host they
ran on, then one task that checks every result came back.

The run's conf sets "count" (a burst of tasks starting at once) and "sleep" (seconds per task, long
enough to stop a worker in the middle of a run).
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
    params={"sleep": 3, "count": 8},
    max_active_tasks=32,
    tags=["airflowops", "smoke"],
)
def airflowops_fanout():
    @task
    def indexes() -> list[int]:
        return list(range(int(get_current_context()["params"]["count"])))

    @task
    def work(index: int) -> str:
        time.sleep(int(get_current_context()["params"]["sleep"]))
        return f"{index}@{socket.gethostname()}"

    @task
    def gather(results: list[str]) -> int:
        expected = int(get_current_context()["params"]["count"])
        if len(results) != expected:
            raise ValueError(f"expected {expected} results, got {results!r}")
        return len(results)

    gather(work.expand(index=indexes()))


airflowops_fanout()
