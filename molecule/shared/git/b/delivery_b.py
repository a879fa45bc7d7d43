"""Commit B adds a DAG: git_delivery_b."""

from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from delivery_common import QUEUE, VERSION

with DAG("git_delivery_b", schedule=None, catchup=False, tags=["airflowops", "git"]):
    BashOperator(task_id="version", bash_command=f"echo {VERSION} of git_delivery_b", queue=QUEUE)
