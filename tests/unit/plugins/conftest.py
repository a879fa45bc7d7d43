"""A fake Airflow REST API behind ansible.module_utils.urls.open_url, and a runner for the modules."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible.module_utils.testing import patch_module_args
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

# Import the collection from this checkout (.collections/ansible_collections/airflowops/airflow -> repo),
# through Ansible's own collection loader, as the modules are imported when they run.
# Another plugin (pytest-ansible) may have imported ansible_collections as a plain namespace package first.
for _name in [m for m in sys.modules if m == "ansible_collections" or m.startswith("ansible_collections.")]:
    del sys.modules[_name]
_AnsibleCollectionFinder._remove()
_AnsibleCollectionFinder(paths=[str(Path(__file__).resolve().parents[3] / ".collections")])._install()

from ansible_collections.airflowops.airflow.plugins.module_utils import airflow_api  # noqa: E402


class FakeResponse:
    def __init__(self, status, body):
        self.status = status
        self.raw = b"" if body is None else json.dumps(body).encode()

    def read(self):
        return self.raw

    def getcode(self):
        return self.status


class FakeAirflow:
    """Objects per collection, the bulk PATCH semantics of Airflow 3.3 (including answering 200 with errors
    in the body), password and secret-extra redaction on reads, and error injection per (method, path)."""

    REDACT_KEYS = ("password", "secret", "token", "api_key", "private_key")

    def __init__(self):
        self.objects = {"connections": {}, "variables": {}, "pools": {"default_pool": {
            "name": "default_pool", "slots": 128, "description": "Default pool", "include_deferred": False}}}
        self.ids = {"connections": "connection_id", "variables": "key", "pools": "name"}
        self.calls = []
        self.failures = {}
        self.bulk_errors = {}
        self.conn_types = ["http", "postgres", "generic", "fs"]
        self.test_connection = "Enabled"
        self.token = "tok"
        # DAG runs: dags known to the API, runs per dag, and the states each run goes through, one per GET.
        self.dags = {}
        self.runs = {}
        self.run_script = ["queued", "running", "success"]
        self.ti_script = [{"task_id": "hello", "map_index": -1, "state": "success", "try_number": 1,
                           "hostname": "worker1", "queue": "default"}]
        self.dag_appears_after = 0
        # Task instances across DAGs and runs (GET /api/v2/dags/~/dagRuns/~/taskInstances) and tasks by (dag, task).
        self.all_task_instances = []
        self.tasks = {}
        # Edge workers (the Edge plugin's /edge_worker/ui/worker) by name; edge_states: states a worker goes
        # through, one per GET, once a maintenance request or exit was made (None: no Edge API, 404).
        self.edge_workers = {}
        self.edge_states = {}
        # What airflow_cluster_info reads: the health JSON, live jobs (an "alive" flag each), import errors.
        self.health = {"metadatabase": {"status": "healthy"}, "scheduler": {"status": "healthy"},
                       "triggerer": {"status": "healthy"}, "dag_processor": {"status": "healthy"}}
        self.jobs = []
        self.import_errors = []

    # -- helpers ---------------------------------------------------------------------------------
    def fail(self, method, path, status, detail="boom"):
        self.failures[(method, path)] = (status, detail)

    def _redact(self, collection, obj):
        obj = dict(obj)
        if collection == "connections":
            if obj.get("password") is not None:
                obj["password"] = "***"
            if obj.get("extra"):
                extra = json.loads(obj["extra"])
                obj["extra"] = json.dumps({k: ("***" if any(s in k for s in self.REDACT_KEYS) else v) for k, v in extra.items()})
        if collection == "variables" and any(s in obj["key"] for s in self.REDACT_KEYS):
            obj["value"] = "***"
        return obj

    def bulk_count(self):
        return sum(1 for c in self.calls if c[0] == "PATCH")

    # -- the HTTP side -----------------------------------------------------------------------------
    def __call__(self, url, data=None, method="GET", headers=None, **kwargs):
        parts = urlsplit(url)
        path, query = parts.path, parse_qs(parts.query)
        body = json.loads(data) if data else None
        self.calls.append((method, path, body))
        if (method, path) in self.failures:
            status, detail = self.failures[(method, path)]
            if status == "timeout":
                raise URLError("timed out")
            raise HTTPError(url, status, "error", {}, io.BytesIO(json.dumps({"detail": detail}).encode()))
        if path == "/auth/token":
            if body == {"username": "admin", "password": "pw"}:
                return FakeResponse(201, {"access_token": self.token})
            raise HTTPError(url, 401, "Unauthorized", {}, io.BytesIO(b'{"detail": "Invalid credentials"}'))
        if headers.get("Authorization") != "Bearer %s" % self.token:
            raise HTTPError(url, 401, "Unauthorized", {}, io.BytesIO(b'{"detail": "Not authenticated"}'))
        if path == "/api/v2/monitor/health":
            return FakeResponse(200, self.health)
        if path == "/api/v2/version":
            return FakeResponse(200, {"version": "3.3.2", "git_version": None})
        if path in ("/api/v2/jobs", "/api/v2/importErrors"):
            key = "jobs" if path.endswith("jobs") else "import_errors"
            items = [i for i in getattr(self, key) if query.get("is_alive") != ["true"] or i.get("alive", True)]
            offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["50"])[0])
            return FakeResponse(200, {key: items[offset:offset + limit], "total_entries": len(items)})
        if path.startswith("/edge_worker/ui/worker"):
            return self._edge(method, path[len("/edge_worker/ui/worker"):].strip("/").split("/"), body, query)
        if path == "/api/v2/dags" and method == "GET":
            dags = [self.dags[d] for d in sorted(self.dags)
                    if query.get("paused", [""])[0] != "false" or not self.dags[d].get("is_paused")]
            offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["50"])[0])
            return FakeResponse(200, {"dags": dags[offset:offset + limit], "total_entries": len(dags)})
        if path.startswith("/api/v2/dags/"):
            return self._dags(method, path[len("/api/v2/dags/"):].split("/"), body, query)
        if path == "/ui/connections/hook_meta":
            return FakeResponse(200, [{"connection_type": t} for t in self.conn_types])
        if path == "/api/v2/connections/test":
            if self.test_connection != "Enabled":
                raise HTTPError(url, 403, "Forbidden", {}, io.BytesIO(
                    b'{"detail": "Testing connections is disabled in Airflow configuration."}'))
            ok = body.get("host") != "unreachable"
            return FakeResponse(200, {"status": ok, "message": "Connection successfully tested" if ok else "refused"})
        collection = path.rsplit("/", 1)[-1]
        if method == "GET":
            items = [self._redact(collection, self.objects[collection][oid]) for oid in sorted(self.objects[collection])]
            offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["50"])[0])
            return FakeResponse(200, {collection: items[offset:offset + limit], "total_entries": len(items)})
        if method == "PATCH":
            return FakeResponse(200, self._bulk(collection, body["actions"]))
        raise AssertionError("unexpected call %s %s" % (method, path))

    def _dags(self, method, parts, body, query):
        dag_id = parts[0]
        if parts[1:] == ["dagRuns", "~", "taskInstances"]:
            tis = [ti for ti in self.all_task_instances if ti["state"] in query.get("state", [ti["state"]])
                   and dag_id in ("~", ti["dag_id"])]
            offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["50"])[0])
            return FakeResponse(200, {"task_instances": tis[offset:offset + limit], "total_entries": len(tis)})
        if parts[1:] == ["tasks"]:
            tasks = [t for key, t in sorted(self.tasks.items()) if key[0] == dag_id]
            return FakeResponse(200, {"tasks": tasks, "total_entries": len(tasks)})
        if len(parts) == 3 and parts[1] == "tasks":
            if (dag_id, parts[2]) not in self.tasks:
                raise HTTPError("url", 404, "Not Found", {}, io.BytesIO(b'{"detail": "Task not found"}'))
            return FakeResponse(200, self.tasks[(dag_id, parts[2])])
        if dag_id not in self.dags:
            if self.dag_appears_after <= 0:
                raise HTTPError("url", 404, "Not Found", {}, io.BytesIO(b'{"detail": "DAG not found"}'))
            self.dag_appears_after -= 1
            raise HTTPError("url", 404, "Not Found", {}, io.BytesIO(b'{"detail": "DAG not found"}'))
        dag = self.dags[dag_id]
        if len(parts) == 1:
            if method == "PATCH":
                dag.update(body)
            return FakeResponse(200, dag)
        runs = self.runs.setdefault(dag_id, {})
        if len(parts) == 2 and method == "POST":
            assert "logical_date" in body, "Airflow 3.3 wants logical_date in the body"
            run_id = "manual__%d" % len(runs)
            runs[run_id] = {"dag_run_id": run_id, "dag_id": dag_id, "state": "queued", "conf": body.get("conf"),
                            "steps": list(self.run_script), "paused_at_trigger": dag["is_paused"]}
            return FakeResponse(200, {k: v for k, v in runs[run_id].items() if k != "steps"})
        run = runs[parts[2]]
        if len(parts) == 3:
            if run["steps"]:
                run["state"] = run["steps"].pop(0)
            return FakeResponse(200, {k: v for k, v in run.items() if k != "steps"})
        if parts[3] == "taskInstances":
            offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["50"])[0])
            return FakeResponse(200, {"task_instances": self.ti_script[offset:offset + limit],
                                      "total_entries": len(self.ti_script)})
        raise AssertionError("unexpected call %s %s" % (method, parts))

    def _edge(self, method, parts, body, query):
        if self.edge_workers is None:
            raise HTTPError("url", 404, "Not Found", {}, io.BytesIO(b'{"detail": "Not Found"}'))
        if parts == [""] and method == "GET":
            pattern = query.get("worker_name_pattern", [""])[0].lower()
            for name, steps in self.edge_states.items():
                if steps and self.edge_workers.get(name, {}).get("_asked"):
                    # "state" or "state@heartbeat": the state, and the worker's last heartbeat with it.
                    state, _sep, heartbeat = steps.pop(0).partition("@")
                    self.edge_workers[name]["state"] = state
                    if heartbeat:
                        self.edge_workers[name]["last_heartbeat"] = heartbeat
            found = [{k: v for k, v in w.items() if k != "_asked"}
                     for n, w in sorted(self.edge_workers.items()) if pattern in n.lower()]
            return FakeResponse(200, {"workers": found, "total_entries": len(found)})
        name = parts[0]
        if name not in self.edge_workers:
            raise HTTPError("url", 404, "Not Found", {}, io.BytesIO(b'{"detail": "Worker not found"}'))
        worker = self.edge_workers[name]
        if parts[1:] == ["maintenance"] and method == "POST":
            assert body.get("maintenance_comment"), "the API wants a comment"
            worker.update(state="maintenance request", maintenance_comments=body["maintenance_comment"], _asked=True)
            return FakeResponse(200, None)
        if parts[1:] == ["maintenance"] and method == "DELETE":
            worker.update(state="maintenance exit", maintenance_comments=None, _asked=True)
            return FakeResponse(200, None)
        raise AssertionError("unexpected call %s %s" % (method, parts))

    def _bulk(self, collection, actions):
        store, id_field = self.objects[collection], self.ids[collection]
        result = {}
        for action in actions:
            name = action["action"]
            res = result.setdefault(name, {"success": [], "errors": []})
            if name in self.bulk_errors:
                res["errors"].append({"error": self.bulk_errors[name], "status_code": 409})
                continue
            if name == "create":
                clash = [e[id_field] for e in action["entities"] if e[id_field] in store]
                if clash and action.get("action_on_existence") == "fail":
                    res["errors"].append({"error": "The %s with these ids: %s already exist." % (collection, clash), "status_code": 409})
                    continue
                for e in action["entities"]:
                    store[e[id_field]] = dict(e)
                    res["success"].append(e[id_field])
            elif name == "update":
                if collection == "pools" and any(
                        e["name"] == "default_pool" and set(action.get("update_mask") or e) - {"name", "slots", "include_deferred"}
                        for e in action["entities"]):
                    res["errors"].append({"error": "Only slots and included_deferred can be modified on Default Pool",
                                          "status_code": 400})
                    continue
                for e in action["entities"]:
                    old = store[e[id_field]]
                    for field in action.get("update_mask") or e:
                        value = e.get(field)
                        if collection == "connections" and field == "extra" and value and old.get("extra"):
                            stored = json.loads(old["extra"])
                            value = json.dumps({k: (stored.get(k) if v == "***" else v) for k, v in json.loads(value).items()})
                        old[field] = value
                    res["success"].append(e[id_field])
            elif name == "delete":
                for oid in action["entities"]:
                    if store.pop(oid, None) is not None:
                        res["success"].append(oid)
        return result


class FakeClock:
    """time.time and time.sleep without waiting."""

    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture()
def fake_clock(monkeypatch):
    from ansible_collections.airflowops.airflow.plugins.modules import airflow_dag_run

    clock = FakeClock()
    monkeypatch.setattr(airflow_dag_run, "time", clock)
    monkeypatch.setattr(airflow_api, "time", clock)
    return clock


@pytest.fixture()
def fake_airflow(monkeypatch):
    server = FakeAirflow()
    monkeypatch.setattr(airflow_api, "open_url", server)
    return server


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get("msg"))
        self.result = result
        self.failed = failed


@pytest.fixture()
def run_module(monkeypatch):
    """Run a module's main() with the given args; returns its result (failed=True for fail_json)."""
    from ansible.module_utils import basic

    # Ansible removes module.no_log_values from what a module returns and from the invocation it logs; the
    # result carries them (_no_log_values) so that tests can check what would be hidden.
    # What the module warned (AnsibleModule.warn), returned as "warnings" as Ansible shows them.
    warned = []

    def exit_json(self, **kwargs):
        raise ModuleExit(dict(kwargs, _no_log_values=set(self.no_log_values), **({"warnings": warned} if warned else {})), False)

    def fail_json(self, msg, **kwargs):
        raise ModuleExit(dict(kwargs, msg=msg, _no_log_values=set(self.no_log_values)), True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, warning, **kwargs: warned.append(warning))

    def _run(module, args, check_mode=False, diff=False, api=True):
        full = {"api_url": "http://airflow.test:8080", "api_username": "admin", "api_password": "pw"} if api else {}
        full.update(args)
        full["_ansible_check_mode"] = check_mode
        full["_ansible_diff"] = diff
        with patch_module_args(full):
            with pytest.raises(ModuleExit) as caught:
                module.main()
        result = dict(caught.value.result)
        result["failed"] = caught.value.failed
        return result

    return _run
