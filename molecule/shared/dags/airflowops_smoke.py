"""Smoke DAG for the Molecule scenarios: a BashOperator, a @task, and a task that needs both."""

from __future__ import annotations

import pendulum

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import dag, task


@dag(
    dag_id="airflowops_smoke",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["airflowops", "smoke"],
)
def airflowops_smoke():
    bash_host = BashOperator(task_id="bash_host", bash_command="echo ran-on-$(hostname)")

    @task
    def python_value() -> int:
        return 6 * 7

    @task
    def combine(value: int, host_line: str) -> str:
        if value != 42 or not host_line.startswith("ran-on-"):
            raise ValueError(f"unexpected upstream results: {value!r}, {host_line!r}")
        return f"{value} from {host_line}"

    combine(python_value(), bash_host.output)


airflowops_smoke()
