"""airflow_dag_run against the fake API: trigger and wait, a failed task named, an existing run, check mode,
the DAG appearing late or never, a run that outlasts its timeout, and bad input."""

from __future__ import annotations

from ansible_collections.airflowops.airflow.plugins.modules import airflow_dag_run


def dag(fake, dag_id="hello", paused=True):
    fake.dags[dag_id] = {"dag_id": dag_id, "is_paused": paused}


def test_triggers_unpaused_and_waits_for_success(fake_airflow, fake_clock, run_module):
    dag(fake_airflow)
    result = run_module(airflow_dag_run, {"dag_id": "hello", "conf": {"count": 3}, "poll_interval": 2})
    assert not result["failed"] and result["changed"]
    assert result["dag_run"]["state"] == "success" and result["dag_run"]["conf"] == {"count": 3}
    assert result["task_instances"][0]["hostname"] == "worker1"
    assert fake_airflow.dags["hello"]["is_paused"] is False
    assert fake_airflow.runs["hello"]["manual__0"]["paused_at_trigger"] is False, "unpaused before the trigger"
    assert result["elapsed"] == 4.0  # queued, running (2 s each), success


def test_failed_task_fails_the_module_and_is_named(fake_airflow, fake_clock, run_module):
    dag(fake_airflow)
    fake_airflow.run_script = ["running", "failed"]
    fake_airflow.ti_script = [
        {"task_id": "extract", "map_index": -1, "state": "success", "try_number": 1, "hostname": "w1", "queue": "default"},
        {"task_id": "load", "map_index": 2, "state": "failed", "try_number": 2, "hostname": "w2", "queue": "default"},
    ]
    result = run_module(airflow_dag_run, {"dag_id": "hello"})
    assert result["failed"]
    assert "ended failed" in result["msg"] and "load[2] failed (try 2 on w2)" in result["msg"]
    assert "extract" not in result["msg"]
    assert len(result["task_instances"]) == 2 and result["dag_run"]["state"] == "failed"


def test_finished_returns_a_failed_run_without_failing(fake_airflow, fake_clock, run_module):
    dag(fake_airflow)
    fake_airflow.run_script = ["failed"]
    result = run_module(airflow_dag_run, {"dag_id": "hello", "state": "finished"})
    assert not result["failed"] and result["dag_run"]["state"] == "failed"


def test_queued_then_wait_for_run_id(fake_airflow, fake_clock, run_module):
    dag(fake_airflow, paused=False)
    queued = run_module(airflow_dag_run, {"dag_id": "hello", "state": "queued"})
    assert queued["changed"] and queued["task_instances"] == [] and queued["dag_run"]["state"] == "queued"
    waited = run_module(airflow_dag_run, {"dag_id": "hello", "run_id": queued["dag_run"]["dag_run_id"]})
    assert not waited["changed"] and waited["dag_run"]["state"] == "success"
    assert sum(1 for c in fake_airflow.calls if c[0] == "POST" and c[1].endswith("/dagRuns")) == 1
    assert not any(c[0] == "PATCH" for c in fake_airflow.calls), "an unpaused DAG is left as it is"


def test_check_mode_triggers_nothing(fake_airflow, fake_clock, run_module):
    dag(fake_airflow)
    result = run_module(airflow_dag_run, {"dag_id": "hello"}, check_mode=True)
    assert result["changed"] and result["dag_run"] == {}
    assert fake_airflow.runs == {} and fake_airflow.dags["hello"]["is_paused"] is True


def test_waits_for_the_dag_to_be_parsed(fake_airflow, fake_clock, run_module):
    dag(fake_airflow)
    missing = fake_airflow.dags.pop("hello")
    fake_airflow.dag_appears_after = 3

    def appear(seconds, _sleep=fake_clock.sleep):
        _sleep(seconds)
        if fake_airflow.dag_appears_after == 0:
            fake_airflow.dags["hello"] = missing

    fake_clock.sleep = appear
    result = run_module(airflow_dag_run, {"dag_id": "hello", "state": "visible", "poll_interval": 1})
    assert not result["failed"] and not result["changed"] and result["dag_visible_after"] == 3.0
    assert fake_airflow.runs == {}


def test_unknown_dag_fails_after_dag_timeout(fake_airflow, fake_clock, run_module):
    result = run_module(airflow_dag_run, {"dag_id": "nope", "dag_timeout": 10, "poll_interval": 2})
    assert result["failed"] and "not known to the API after 10 s" in result["msg"]
    assert "importErrors" in result["msg"]


def test_run_still_running_at_run_timeout(fake_airflow, fake_clock, run_module):
    dag(fake_airflow)
    fake_airflow.run_script = ["running"] * 100
    result = run_module(airflow_dag_run, {"dag_id": "hello", "run_timeout": 20, "poll_interval": 5})
    assert result["failed"] and "still running after 20 s" in result["msg"]
    assert result["dag_run"]["dag_run_id"] == "manual__0" and result["task_instances"]


def test_api_that_stops_answering_for_a_while_is_polled_again(fake_airflow, fake_clock, run_module):
    """A read that reaches no api-server (a restart, a busy host) is not the run's end: the wait goes on."""
    dag(fake_airflow)
    run_path = "/api/v2/dags/hello/dagRuns/manual__0"
    polls = {"sleeps": 0}

    def outage(seconds, _sleep=fake_clock.sleep):
        _sleep(seconds)
        polls["sleeps"] += 1
        if polls["sleeps"] == 1:
            fake_airflow.fail("GET", run_path, "timeout")
        if polls["sleeps"] == 4:
            del fake_airflow.failures[("GET", run_path)]

    fake_clock.sleep = outage
    result = run_module(airflow_dag_run, {"dag_id": "hello", "poll_interval": 2})
    assert not result["failed"] and result["dag_run"]["state"] == "success"
    assert sum(1 for c in fake_airflow.calls if c[:2] == ("GET", run_path)) >= 5


def test_api_that_never_answers_again_fails_at_run_timeout(fake_airflow, fake_clock, run_module):
    dag(fake_airflow)
    fake_airflow.fail("GET", "/api/v2/dags/hello/dagRuns/manual__0", "timeout")
    result = run_module(airflow_dag_run, {"dag_id": "hello", "run_timeout": 20, "poll_interval": 5})
    assert result["failed"] and "Cannot reach the Airflow API" in result["msg"] and "after 20 s of polling" in result["msg"]


def test_refused_credentials_are_explained(fake_airflow, fake_clock, run_module):
    dag(fake_airflow)
    result = run_module(airflow_dag_run, {"dag_id": "hello", "api_password": "wrong"})
    assert result["failed"] and "refused the credentials (401)" in result["msg"]


def test_bad_input(fake_airflow, fake_clock, run_module):
    assert "does not go with state=queued" in run_module(
        airflow_dag_run, {"dag_id": "hello", "run_id": "r", "state": "queued"})["msg"]
    assert "poll_interval must be more than 0" in run_module(airflow_dag_run, {"dag_id": "hello", "poll_interval": 0})["msg"]
    assert "run_timeout must be 0 or more" in run_module(airflow_dag_run, {"dag_id": "hello", "run_timeout": -1})["msg"]
