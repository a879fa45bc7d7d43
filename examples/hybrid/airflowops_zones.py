"""Data locality in the hybrid pattern (playbooks/hybrid.yml): each task runs in the zone that holds its data.

- queue="default" (or none): a Celery worker in the database's zone (on premises).
- queue="cloud-a": a Celery worker of zone cloud-a (its workers consume the queue named after their zone).
- executor="EdgeExecutor", queue="cloud-b": an Edge worker of zone cloud-b, which only polls the api-servers.

Each task prints the host it ran on; the hybrid scenario checks that every task ran in its zone.
"""

from __future__ import annotations

import socket

import pendulum

from airflow.sdk import dag, task


@dag(
    dag_id="airflowops_zones",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["airflowops", "hybrid"],
)
def airflowops_zones():
    @task(queue="default")
    def on_premises() -> str:
        return socket.gethostname()

    @task(queue="cloud-a")
    def in_cloud_a(upstream: str) -> str:
        return f"{upstream} -> {socket.gethostname()}"

    @task(executor="EdgeExecutor", queue="cloud-b")
    def at_the_edge(upstream: str) -> str:
        return f"{upstream} -> {socket.gethostname()}"

    at_the_edge(in_cloud_a(on_premises()))


airflowops_zones()
