"""benchmarks/hybrid.sh: one DAG per place a task of the hybrid pattern can run, each a chain of 20 tasks that do
nothing. A task is queued once the one before it ended, so each task's start minus its queued time is one sample of
queue-to-start latency on an idle worker: a Celery worker in the database's zone (queue default), a Celery worker
of zone cloud-a (queue cloud-a) and an Edge worker of zone cloud-b."""

from __future__ import annotations

from airflow.sdk import DAG, chain, task

TASKS = 20
PLACES = {
    "celery_local": {"queue": "default"},
    "celery_remote": {"queue": "cloud-a"},
    "edge": {"executor": "EdgeExecutor", "queue": "cloud-b"},
}

for place, where in PLACES.items():
    with DAG(f"airflowops_latency_{place}", schedule=None, catchup=False, tags=["airflowops", "benchmark"]):

        @task(**where)
        def noop() -> None:
            return None

        chain(*[noop.override(task_id=f"t{i:02d}")() for i in range(TASKS)])
