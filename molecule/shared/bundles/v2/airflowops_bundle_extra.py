"""A DAG added in version 2 of the verify_bundle bundle."""

from __future__ import annotations

import pendulum

from airflow.sdk import dag, task


@dag(dag_id="airflowops_bundle_extra", schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), catchup=False)
def airflowops_bundle_extra():
    @task
    def extra() -> int:
        return 2

    extra()


airflowops_bundle_extra()
