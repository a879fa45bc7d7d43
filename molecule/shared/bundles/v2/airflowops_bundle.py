"""DAG of the verify_bundle bundle, version 1 (deployed with airflowops.airflow.airflow_dag_bundle)."""

from __future__ import annotations

import pendulum

from airflow.sdk import dag, task

from helpers.release import RELEASE


@dag(dag_id="airflowops_bundle", schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), catchup=False,
     tags=["airflowops", "bundle"])
def airflowops_bundle():
    @task
    def release() -> str:
        return RELEASE

    release()


airflowops_bundle()
