"""airflow_edge_worker against the fake API: maintenance requested and waited for, left alone when there
already, ended, check mode, an unknown worker, no Edge API, a drain that outlasts its timeout."""

from __future__ import annotations

from ansible_collections.airflowops.airflow.plugins.modules import airflow_edge_worker


def worker(fake, name="edge1", state="running", jobs=1):
    fake.edge_workers[name] = {"worker_name": name, "state": state, "jobs_active": jobs, "queues": ["cloud-b"],
                               "maintenance_comments": None}


def posts(fake):
    return [c for c in fake.calls if c[0] in ("POST", "DELETE") and c[1].startswith("/edge_worker/")]


def test_maintenance_requested_and_waited_until_drained(fake_airflow, fake_clock, run_module):
    worker(fake_airflow)
    worker(fake_airflow, name="edge10", state="idle")
    fake_airflow.edge_states["edge1"] = ["maintenance request", "maintenance pending", "maintenance mode"]
    result = run_module(airflow_edge_worker, {"name": "edge1", "state": "maintenance", "comment": "patching",
                                              "wait": True, "poll_interval": 2})
    assert not result["failed"] and result["changed"]
    assert result["worker"]["worker_name"] == "edge1" and result["worker"]["state"] == "maintenance mode"
    assert posts(fake_airflow) == [("POST", "/edge_worker/ui/worker/edge1/maintenance", {"maintenance_comment": "patching"})]
    assert result["elapsed"] == 4.0
    assert fake_airflow.edge_workers["edge10"]["state"] == "idle", "a worker whose name contains edge1 is not touched"


def test_in_maintenance_already_is_no_change(fake_airflow, fake_clock, run_module):
    worker(fake_airflow, state="maintenance pending")
    result = run_module(airflow_edge_worker, {"name": "edge1", "state": "maintenance"})
    assert not result["failed"] and not result["changed"] and posts(fake_airflow) == []


def test_active_ends_maintenance_and_waits_for_tasks(fake_airflow, fake_clock, run_module):
    worker(fake_airflow, state="maintenance mode", jobs=0)
    # Idle at one heartbeat, and still idle at the next: the exit took.
    fake_airflow.edge_states["edge1"] = ["maintenance exit", "idle@h1", "idle@h1", "idle@h2"]
    result = run_module(airflow_edge_worker, {"name": "edge1", "state": "active", "wait": True, "poll_interval": 1})
    assert not result["failed"] and result["changed"] and result["worker"]["state"] == "idle"
    assert result["worker"]["last_heartbeat"] == "h2" and result["exit_requests"] == 1
    assert posts(fake_airflow) == [("DELETE", "/edge_worker/ui/worker/edge1/maintenance", None)]
    again = run_module(airflow_edge_worker, {"name": "edge1", "state": "active"})
    assert not again["changed"]


def test_check_mode_sends_nothing(fake_airflow, fake_clock, run_module):
    worker(fake_airflow)
    result = run_module(airflow_edge_worker, {"name": "edge1", "state": "maintenance", "wait": True}, check_mode=True)
    assert result["changed"] and result["worker"]["state"] == "running" and posts(fake_airflow) == []


def test_unknown_worker_is_named_with_the_known_ones(fake_airflow, fake_clock, run_module):
    worker(fake_airflow, name="edge2")
    result = run_module(airflow_edge_worker, {"name": "edge", "state": "maintenance"})
    assert result["failed"] and "No Edge worker named edge" in result["msg"] and "edge2" in result["msg"]


def test_no_edge_api(fake_airflow, fake_clock, run_module):
    fake_airflow.edge_workers = None
    result = run_module(airflow_edge_worker, {"name": "edge1"})
    assert result["failed"] and "api_enabled" in result["msg"]


def test_drain_that_outlasts_its_timeout_fails_naming_the_running_tasks(fake_airflow, fake_clock, run_module):
    worker(fake_airflow, jobs=2)
    fake_airflow.edge_states["edge1"] = ["maintenance pending"] * 100
    result = run_module(airflow_edge_worker, {"name": "edge1", "state": "maintenance", "wait": True,
                                              "wait_timeout": 30, "poll_interval": 5})
    assert result["failed"] and result["changed"]
    assert "still maintenance pending after 30 s" in result["msg"] and "2 task(s) running" in result["msg"]


def test_a_worker_back_in_maintenance_after_the_exit_is_asked_again(fake_airflow, fake_clock, run_module):
    """A heartbeat sent before the exit request landed after it: the worker went back into maintenance."""
    worker(fake_airflow, state="maintenance mode", jobs=0)
    fake_airflow.edge_states["edge1"] = ["maintenance exit", "idle@h1", "maintenance mode@h2",
                                         "maintenance exit", "idle@h3", "idle@h4"]
    result = run_module(airflow_edge_worker, {"name": "edge1", "state": "active", "wait": True, "poll_interval": 1})
    assert not result["failed"] and result["changed"] and result["exit_requests"] == 2
    assert result["worker"]["state"] == "idle" and result["worker"]["last_heartbeat"] == "h4"
    assert posts(fake_airflow) == [("DELETE", "/edge_worker/ui/worker/edge1/maintenance", None)] * 2


def test_an_exit_that_never_takes_fails_after_its_timeout(fake_airflow, fake_clock, run_module):
    worker(fake_airflow, state="maintenance mode", jobs=0)
    fake_airflow.edge_states["edge1"] = ["maintenance exit"] * 100
    result = run_module(airflow_edge_worker, {"name": "edge1", "state": "active", "wait": True, "wait_timeout": 20,
                                              "poll_interval": 5})
    assert result["failed"] and "still maintenance exit after 20 s" in result["msg"]
