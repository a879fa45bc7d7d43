"""A first DAG to click on: say hello from the host that runs the task, then report the Airflow version.

scripts/lab delivers this folder as the DAG bundle "examples" (playbooks/dag_deploy.yml) and runs it once,
so the lab's UI opens on a DAG with a successful run. Trigger it again from the UI (the play button), or:
    docker exec -it airflowops-lab-1 airflow dags trigger airflowops_hello
"""

from __future__ import annotations

import socket

import pendulum

from airflow.sdk import dag, task


@dag(
    dag_id="airflowops_hello",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["airflowops", "example"],
    doc_md=__doc__,
)
def airflowops_hello():
    @task
    def hello() -> str:
        greeting = f"Hello from {socket.gethostname()}"
        print(greeting)
        return greeting

    @task
    def version(greeting: str) -> str:
        import airflow

        print(f"{greeting}, running Airflow {airflow.__version__}")
        return airflow.__version__

    version(hello())


airflowops_hello()
