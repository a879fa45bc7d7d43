"""Canary DAG for the rolling-update tests: its one task fails on a worker whose airflow.cfg sets
[airflowops] canary_verdict to anything but "pass" - a configuration change the canary must catch.

multi_node's side effect rolls out such a change with rolling_update_verify_dag=airflowops_canary: the
canary worker must fail this run, get back what it ran before, and stop the update.
"""

from __future__ import annotations

import socket

import pendulum

from airflow.configuration import conf
from airflow.sdk import dag, task


@dag(
    dag_id="airflowops_canary",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 0},
    tags=["airflowops", "smoke"],
)
def airflowops_canary():
    @task
    def configuration_accepted() -> str:
        verdict = conf.get("airflowops", "canary_verdict", fallback="pass")
        if verdict != "pass":
            raise ValueError(f"[airflowops] canary_verdict is {verdict!r} on {socket.gethostname()}")
        return socket.gethostname()

    configuration_accepted()


airflowops_canary()
