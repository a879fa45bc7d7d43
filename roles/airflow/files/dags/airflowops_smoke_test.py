"""airflowops_smoke_test: one task per worker pool of the cluster (an executor and a queue), run by
airflowops.airflow's playbooks/smoke_test.yml after any change.

Shipped by the collection's base role (airflow_smoke_dag) in the "airflowops" DAG bundle, a folder root owns beside
the venvs. The pools come from the inventory: the role writes them to airflowops_smoke_test.json beside this file
(each: task_id, executor, queue, hosts), so a worker pool added to the inventory gets its task at the next
deployment. Each task returns the host it ran on (an XCom, through the execution API), which the playbook compares
with the pool's hosts.
"""

from __future__ import annotations

import json
import pathlib
import socket

import pendulum

from airflow.sdk import dag, task

POOLS = json.loads(pathlib.Path(__file__).with_name("airflowops_smoke_test.json").read_text())


@dag(
    dag_id="airflowops_smoke_test",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=4,
    default_args={"retries": 0},
    tags=["airflowops", "smoke"],
    doc_md=__doc__,
)
def airflowops_smoke_test():
    for pool in POOLS:

        @task(task_id=pool["task_id"], queue=pool["queue"], executor=pool["executor"])
        def ran_on() -> str:
            return socket.gethostname()

        ran_on()


airflowops_smoke_test()
