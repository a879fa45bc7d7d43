"""The hybrid scenario's Edge maintenance check: one task on the Edge worker (zone cloud-b) that sleeps for the run's
"seconds" and returns the host it ran on."""

from __future__ import annotations

import socket
import time

from airflow.sdk import DAG, task

with DAG("airflowops_edge_hold", schedule=None, catchup=False, params={"seconds": 1}, tags=["airflowops", "hybrid"]):

    @task(executor="EdgeExecutor", queue="cloud-b")
    def hold(**context) -> str:
        time.sleep(float(context["params"]["seconds"]))
        return socket.gethostname()

    hold()
