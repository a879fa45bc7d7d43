"""The hybrid scenario's link-failure check: one task on the cloud-a worker that sleeps for the run's "seconds",
with one retry; its worker's link is cut while it runs and restored."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

from airflow.sdk import DAG, task

with DAG("airflowops_link_cut", schedule=None, catchup=False, params={"seconds": 1}, tags=["airflowops", "hybrid"]):

    @task(queue="cloud-a", retries=1, retry_delay=timedelta(seconds=5))
    def hold(**context) -> str:
        time.sleep(float(context["params"]["seconds"]))
        return socket.gethostname()

    hold()
