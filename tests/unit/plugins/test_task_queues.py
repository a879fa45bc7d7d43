"""airflow_task_queues: the queues of the DAGs' tasks, and those no worker consumes."""

from __future__ import annotations

from ansible_collections.airflowops.airflow.plugins.modules import airflow_task_queues as module


def dag(dag_id, paused=False):
    return {"dag_id": dag_id, "is_paused": paused}


def setup(fake_airflow):
    fake_airflow.dags = {"etl": dag("etl"), "zones": dag("zones"), "old": dag("old", paused=True)}
    fake_airflow.tasks = {
        ("etl", "extract"): {"task_id": "extract", "queue": "default"},
        ("etl", "load"): {"task_id": "load", "queue": "default"},
        ("zones", "in_cloud_a"): {"task_id": "in_cloud_a", "queue": "cloud-a"},
        ("zones", "at_the_edge"): {"task_id": "at_the_edge", "queue": "cloud-b"},
        ("zones", "on_gpu"): {"task_id": "on_gpu", "queue": "gpu"},
        ("old", "legacy"): {"task_id": "legacy", "queue": "legacy"},
    }


def test_queues_and_the_unconsumed_ones(fake_airflow, run_module):
    setup(fake_airflow)
    result = run_module(module, {"consumed": ["default", "cloud-a", "cloud-b"]})
    assert not result["failed"] and not result["changed"]
    assert result["dags"] == 3
    assert result["queues"] == {"default": ["etl.extract", "etl.load"], "cloud-a": ["zones.in_cloud_a"],
                                "cloud-b": ["zones.at_the_edge"], "gpu": ["zones.on_gpu"], "legacy": ["old.legacy"]}
    assert result["unconsumed"] == {"gpu": ["zones.on_gpu"], "legacy": ["old.legacy"]}
    assert result["warnings"] == [
        "Tasks wait in queues no worker consumes: gpu (zones.on_gpu); legacy (old.legacy). They stay queued until a "
        "worker consumes the queue (worker_queues) or the tasks name another (the workers consume: cloud-a, cloud-b, "
        "default)."]
    # One request per DAG for its tasks.
    assert sum(1 for c in fake_airflow.calls if c[1].endswith("/tasks")) == 3


def test_paused_dags_left_out_on_request(fake_airflow, run_module):
    setup(fake_airflow)
    result = run_module(module, {"consumed": ["default"], "paused": False})
    assert result["dags"] == 2
    assert sorted(result["unconsumed"]) == ["cloud-a", "cloud-b", "gpu"]


def test_without_consumed_nothing_is_unconsumed(fake_airflow, run_module):
    setup(fake_airflow)
    result = run_module(module, {})
    assert result["unconsumed"] == {} and len(result["queues"]) == 5
    assert not result.get("warnings")


def test_api_errors_are_explained(fake_airflow, run_module):
    fake_airflow.fail("GET", "/api/v2/dags", 403, "Forbidden")
    result = run_module(module, {})
    assert result["failed"] and "(403)" in result["msg"]


def test_named_dags_only_paused_or_not(fake_airflow, run_module):
    setup(fake_airflow)
    result = run_module(module, {"dag_ids": ["zones", "old"], "paused": False})
    assert not result["failed"] and result["dags"] == 2
    assert result["queues"] == {"cloud-a": ["zones.in_cloud_a"], "cloud-b": ["zones.at_the_edge"],
                                "gpu": ["zones.on_gpu"], "legacy": ["old.legacy"]}
    # The DAGs are read one by one: no listing of every DAG.
    assert not any(c[1].split("?")[0] == "/api/v2/dags" for c in fake_airflow.calls)


def test_an_unknown_named_dag_fails_naming_it(fake_airflow, run_module):
    setup(fake_airflow)
    result = run_module(module, {"dag_ids": ["etl", "no_such_dag"]})
    assert result["failed"]
    assert result["msg"].startswith("DAG no_such_dag is not known to the api-servers")
