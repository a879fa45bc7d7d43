"""A task that waits in the triggerer: the verify playbooks read its log through the REST API while it waits."""

from __future__ import annotations

import pendulum

from airflow.providers.standard.sensors.date_time import DateTimeSensorAsync
from airflow.sdk import dag


@dag(
    dag_id="airflowops_deferred",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["airflowops", "triggerer"],
)
def airflowops_deferred():
    # Rendered when the task starts, so it always defers: 45 s from then, in UTC.
    DateTimeSensorAsync(
        task_id="wait_in_triggerer",
        target_time="{{ (macros.datetime.utcnow() + macros.timedelta(seconds=45)).isoformat() }}Z",
    )


airflowops_deferred()
