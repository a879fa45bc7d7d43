"""A task on a queue no worker of the hybrid scenario consumes: playbooks/hybrid.yml must warn about it."""

from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG("airflowops_unconsumed", schedule=None, catchup=False, tags=["airflowops", "hybrid"]):
    BashOperator(task_id="on_gpu", bash_command="nvidia-smi", queue="gpu")
