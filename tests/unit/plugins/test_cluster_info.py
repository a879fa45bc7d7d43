"""airflow_cluster_info: what a cluster says about itself, each read on its own (a failing one is reported, the others
still run)."""

from __future__ import annotations

from ansible_collections.airflowops.airflow.plugins.modules import airflow_cluster_info as module


def test_everything_it_reads(fake_airflow, run_module):
    fake_airflow.health["triggerer"] = {"status": "unhealthy", "latest_triggerer_heartbeat": "2026-12-01T10:00:00Z"}
    fake_airflow.jobs = [
        {"job_type": "SchedulerJob", "hostname": "ctl1", "latest_heartbeat": "2026-12-01T11:00:00Z", "state": "running",
         "executor_class": None, "start_date": "2026-12-01T10:00:00Z", "id": 7},
        {"job_type": "TriggererJob", "hostname": "ctl2", "state": "running", "alive": False}]
    fake_airflow.import_errors = [{"filename": "/dags/bad.py", "bundle_name": "dags-folder", "timestamp": "t",
                                   "stack_trace": "Traceback\n  File x\n  line 1\nSyntaxError: invalid syntax\n"}]
    fake_airflow.dags = {"a": {"dag_id": "a", "is_paused": True}, "b": {"dag_id": "b", "is_paused": False}}
    fake_airflow.all_task_instances = [{"dag_id": "a", "state": "queued"}, {"dag_id": "b", "state": "queued"},
                                       {"dag_id": "b", "state": "running"}]
    result = run_module(module, {"import_error_lines": 2})
    assert not result["failed"] and not result["changed"] and result["errors"] == []
    assert result["version"]["version"] == "3.3.2"
    assert result["unhealthy"] == ["triggerer"]
    assert result["jobs"] == [{"job_type": "SchedulerJob", "hostname": "ctl1", "latest_heartbeat": "2026-12-01T11:00:00Z",
                               "state": "running", "executor_class": None, "start_date": "2026-12-01T10:00:00Z"}]
    assert result["import_errors"][0]["stack_trace"] == "  line 1\nSyntaxError: invalid syntax"
    assert result["pools"][0]["name"] == "default_pool" and result["pools"][0]["slots"] == 128
    assert result["task_instance_states"]["queued"] == 2 and result["task_instance_states"]["running"] == 1
    assert result["task_instance_states"]["deferred"] == 0


def test_a_failing_read_is_reported_and_the_others_go_on(fake_airflow, run_module):
    fake_airflow.fail("GET", "/api/v2/importErrors", 403, "Forbidden")
    result = run_module(module, {})
    assert not result["failed"]
    assert len(result["errors"]) == 1 and result["errors"][0].startswith("import_errors: ") and "(403)" in result["errors"][0]
    assert result["import_errors"] == [] and result["version"]["version"] == "3.3.2" and result["pools"]
