"""airflow_task_instance_info: running task instances across DAGs, with running time and execution timeout."""

from __future__ import annotations

import datetime

from ansible_collections.airflowops.airflow.plugins.modules import airflow_task_instance_info as module


def ti(dag_id, task_id, state, started_ago=None, map_index=-1):
    start = None
    if started_ago is not None:
        start = (datetime.datetime.now(tz=datetime.timezone.utc) - datetime.timedelta(seconds=started_ago)).isoformat()
        start = start.replace("+00:00", "Z")
    return {"dag_id": dag_id, "dag_run_id": "manual__1", "task_id": task_id, "map_index": map_index, "state": state,
            "try_number": 1, "hostname": "worker1" if start else "", "start_date": start, "queue": "default"}


def test_running_tasks_with_their_timeouts(fake_airflow, run_module):
    fake_airflow.all_task_instances = [
        ti("etl", "load", "running", started_ago=30),
        ti("etl", "load", "running", started_ago=300, map_index=1),
        ti("report", "render", "running", started_ago=10),
        ti("etl", "extract", "queued"),
        ti("etl", "old", "success", started_ago=900),
    ]
    ten_minutes = {"__type": "TimeDelta", "days": 0, "seconds": 600, "microseconds": 0}
    fake_airflow.tasks = {
        ("etl", "load"): {"task_id": "load", "execution_timeout": ten_minutes},
        ("report", "render"): {"task_id": "render", "execution_timeout": None},
    }
    result = run_module(module, {})
    assert not result["failed"] and not result["changed"]
    tis = result["task_instances"]
    assert [(t["dag_id"], t["task_id"], t["map_index"]) for t in tis] == [
        ("etl", "load", 1), ("etl", "load", -1), ("report", "render", -1)]
    assert 299 <= tis[0]["running_seconds"] <= 310
    assert tis[0]["execution_timeout_seconds"] == 600
    assert 290 <= tis[0]["seconds_left_at_most"] <= 301
    assert tis[2]["execution_timeout_seconds"] is None and tis[2]["seconds_left_at_most"] is None
    # One request per distinct task, not per task instance.
    assert sum(1 for c in fake_airflow.calls if c[1] == "/api/v2/dags/etl/tasks/load") == 1


def test_states_and_one_dag(fake_airflow, run_module):
    fake_airflow.all_task_instances = [ti("etl", "extract", "queued"), ti("report", "render", "queued"),
                                       ti("etl", "load", "running", started_ago=5)]
    result = run_module(module, {"state": ["queued"], "dag_id": "etl", "execution_timeouts": False})
    assert [(t["task_id"], t["running_seconds"], t["execution_timeout_seconds"]) for t in result["task_instances"]] == [
        ("extract", None, None)]
    assert not any("/tasks/" in c[1] for c in fake_airflow.calls)


def test_api_errors_are_explained(fake_airflow, run_module):
    fake_airflow.fail("GET", "/api/v2/dags/~/dagRuns/~/taskInstances", 403, "Forbidden")
    result = run_module(module, {})
    assert result["failed"] and "(403)" in result["msg"]


def test_parse_time_forms():
    assert module.parse_time("2026-11-29T15:00:00Z") == datetime.datetime(2026, 11, 29, 15, tzinfo=datetime.timezone.utc)
    assert module.parse_time("2026-11-29T15:00:00.1234567+01:00").microsecond == 123456
    assert module.parse_time(None) is None
    assert module.timeout_seconds({"__type": "TimeDelta", "days": 1, "seconds": 5, "microseconds": 500000}) == 86405.5
    assert module.timeout_seconds(None) is None
