"""Commit B of the scenario's Git repository: git_delivery reports the version it was parsed from."""

from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from delivery_common import QUEUE, VERSION

with DAG("git_delivery", schedule=None, catchup=False, tags=["airflowops", "git"]):
    BashOperator(task_id="version", bash_command=f"echo {VERSION}", queue=QUEUE)
