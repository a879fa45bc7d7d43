#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_dag_run
short_description: Trigger an Airflow DAG run and wait for it to end, through the REST API
version_added: 0.2.0
description:
  - Waits until the DAG is known to the API (parsed), unpauses it, triggers a run and waits for the run to end;
    returns the run and the state, try number and host of each of its task instances.
  - With O(run_id), waits for a run that already exists instead of triggering one.
  - The one way the collection's playbooks, Molecule scenarios and benchmarks run a DAG.
author: airflowops.airflow contributors (@airflowops)
extends_documentation_fragment:
  - airflowops.airflow.airflow_api
  - airflowops.airflow.airflow_api.poll
options:
  dag_id:
    description: The DAG.
    type: str
    required: true
  state:
    description:
      - V(success) triggers a run (or takes O(run_id)), waits until it ends and fails unless the run and every
        task instance succeeded.
      - V(finished) does the same but returns whatever state the run ended in.
      - V(queued) triggers a run and returns at once (wait for it later with O(run_id)).
      - V(visible) only waits until the DAG is known to the API; nothing is triggered.
    type: str
    choices: [success, finished, queued, visible]
    default: success
  run_id:
    description:
      - An existing run of O(dag_id) to wait for. Nothing is triggered. Not with O(state=queued) or O(state=visible).
    type: str
  conf:
    description: Run configuration (the DAG's params).
    type: dict
    default: {}
  logical_date:
    description:
      - Logical date of the new run (ISO 8601). Not given, the run has none, as a manual trigger in the UI.
    type: str
  note:
    description: Note shown with the run in the UI.
    type: str
  unpause:
    description: Unpause the DAG before triggering (a paused DAG's run stays queued).
    type: bool
    default: true
  dag_timeout:
    description: Seconds to wait for the DAG to be known to the API (a new file is parsed first).
    type: int
    default: 120
  run_timeout:
    description:
      - Seconds to wait for the run to end. The module fails when it is still running then.
      - An api-server that does not answer a read meanwhile (a restart, a host too busy to finish the TLS handshake
        within O(timeout)) is asked again at the next poll, since the run goes on without it. The module fails on it
        only when it still does not answer at the end of O(run_timeout).
    type: int
    default: 600
attributes:
  check_mode:
    support: full
    description: Waits for the DAG to be known and reports that a run would be triggered; triggers nothing.
  diff_mode:
    support: none
    description: A run has no before and after to show.
  idempotent:
    support: none
    description: Every run with O(state=success), V(finished) or V(queued) and no O(run_id) triggers a new DAG run.
notes:
  - A run that does not succeed with O(state=success) fails the task; RV(dag_run) and RV(task_instances) are still
    returned, so a C(rescue) can read the logs of the task instances that failed on the hosts that ran them.
seealso:
  - module: airflowops.airflow.airflow_connection
"""

EXAMPLES = r"""
- name: Run the smoke DAG and fail unless every task succeeds
  airflowops.airflow.airflow_dag_run:
    api_url: http://127.0.0.1:8080
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
    dag_id: airflowops_smoke
    run_timeout: 300

- name: Trigger now, do other things, wait later
  airflowops.airflow.airflow_dag_run:
    api_url: "{{ airflow_api_url }}"
    api_token: "{{ airflow_token }}"
    dag_id: sales_daily
    state: queued
    conf: {region: emea}
  register: sales_run

- name: Wait for it
  airflowops.airflow.airflow_dag_run:
    api_url: "{{ airflow_api_url }}"
    api_token: "{{ airflow_token }}"
    dag_id: sales_daily
    run_id: "{{ sales_run.dag_run.dag_run_id }}"
"""

RETURN = r"""
dag_run:
  description: The run as the API shows it (C(dag_run_id), C(state), C(queued_at), C(start_date), C(end_date),
    C(conf), C(bundle_version), ...). Empty in check mode and with O(state=visible).
  returned: always
  type: dict
task_instances:
  description: The run's task instances once it ended (empty with O(state=queued)).
  returned: always
  type: list
  elements: dict
  contains:
    task_id:
      description: Task id.
      type: str
    map_index:
      description: Index of a mapped task instance, -1 otherwise.
      type: int
    state:
      description: End state (success, failed, upstream_failed, skipped, ...).
      type: str
    try_number:
      description: Try the state belongs to (1 when it never retried).
      type: int
    hostname:
      description: Host that ran it.
      type: str
    queue:
      description: Queue it ran from.
      type: str
dag_visible_after:
  description: Seconds until the DAG was known to the API.
  returned: when the API answered
  type: float
dag_visible_at:
  description: When the DAG was first known to the API, in seconds since the epoch (clock of the host the module ran on).
  returned: when the API answered
  type: float
elapsed:
  description: Seconds from the trigger (or the start of the wait) to the end of the run.
  returned: when the module waited for a run
  type: float
"""

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_api import (
    API_ARGUMENT_SPEC,
    AirflowAPI,
    AirflowAPIError,
    poll,
)

END_STATES = ("success", "failed")
TI_FIELDS = ("task_id", "map_index", "state", "try_number", "hostname", "queue", "start_date", "end_date")


def wait_for_dag(api, dag_id, timeout, interval):
    """Poll GET /api/v2/dags/<id> until it answers 200; returns (dag, seconds). A 404 means "not parsed yet"."""
    return poll(lambda: api.call("GET", "/api/v2/dags/%s" % api.quote(dag_id)), timeout, interval,
                retry=lambda e: e.status == 404,
                timed_out=lambda e: AirflowAPIError(
                    "DAG %s is not known to the API after %d s: is its file in a bundle the dag-processor reads, and "
                    "does it import without errors (GET /api/v2/importErrors)?" % (dag_id, timeout), status=404))


def task_instances(api, dag_id, run_id):
    path = "/api/v2/dags/%s/dagRuns/%s/taskInstances" % (api.quote(dag_id), api.quote(run_id))
    items = [dict((k, ti.get(k)) for k in TI_FIELDS) for ti in api.list_pages(path, "task_instances")]
    return sorted(items, key=lambda ti: (ti["task_id"], ti["map_index"] if ti["map_index"] is not None else -1))


def wait_for_run(api, dag_id, run_id, timeout, interval):
    """Poll the run until it is in an end state; returns the run. A read the api-server does not answer (no HTTP
    status: a restart, a host too busy to finish the handshake) is tried again at the next poll, since the run goes on
    without it. Fails (AirflowAPIError) after timeout."""
    path = "/api/v2/dags/%s/dagRuns/%s" % (api.quote(dag_id), api.quote(run_id))
    last = {}

    def read():
        last.clear()
        last.update(api.call("GET", path))
        return dict(last) if last.get("state") in END_STATES else None

    def timed_out(unreachable):
        if unreachable is not None:
            return AirflowAPIError("%s (still after %d s of polling run %s of %s)" % (unreachable, timeout, run_id, dag_id))
        return AirflowAPIError("Run %s of %s is still %s after %d s" % (run_id, dag_id, last.get("state"), timeout))

    return poll(read, timeout, interval, retry=lambda e: e.status is None, timed_out=timed_out)[0]


def describe(tis):
    """One line per task instance that did not succeed: task[map] state (try N on host)."""
    parts = []
    for ti in tis:
        if ti["state"] == "success":
            continue
        name = ti["task_id"] + ("[%s]" % ti["map_index"] if ti["map_index"] not in (None, -1) else "")
        parts.append("%s %s (try %s on %s)" % (name, ti["state"], ti["try_number"], ti["hostname"] or "no host"))
    return "; ".join(parts)


def run(module, api, result):
    """Fills result (so that a failure still returns what was seen) and returns it."""
    p = module.params
    dag, result["dag_visible_after"] = wait_for_dag(api, p["dag_id"], p["dag_timeout"], p["poll_interval"])
    result["dag_visible_at"] = time.time()
    if p["state"] == "visible":
        return result

    run_id = p["run_id"]
    if not run_id:
        result["changed"] = True
        if module.check_mode:
            return result
        if p["unpause"] and dag.get("is_paused"):
            api.call("PATCH", "/api/v2/dags/%s" % api.quote(p["dag_id"]), {"is_paused": False})
        body = {"logical_date": p["logical_date"], "conf": p["conf"]}
        if p["note"]:
            body["note"] = p["note"]
        result["dag_run"] = api.call("POST", "/api/v2/dags/%s/dagRuns" % api.quote(p["dag_id"]), body)
        run_id = result["dag_run"]["dag_run_id"]
        if p["state"] == "queued":
            return result

    started = time.time()
    try:
        result["dag_run"] = wait_for_run(api, p["dag_id"], run_id, p["run_timeout"], p["poll_interval"])
    finally:
        result["elapsed"] = round(time.time() - started, 1)
        try:
            result["task_instances"] = task_instances(api, p["dag_id"], run_id)
        except AirflowAPIError:
            pass
    if p["state"] == "success":
        bad = describe(result["task_instances"])
        if result["dag_run"]["state"] != "success" or bad:
            raise AirflowAPIError("Run %s of %s ended %s: %s" % (
                run_id, p["dag_id"], result["dag_run"]["state"], bad or "no task instance failed"))
    return result


def main():
    argument_spec = dict(API_ARGUMENT_SPEC)
    argument_spec.update(
        dag_id=dict(type="str", required=True),
        state=dict(type="str", choices=["success", "finished", "queued", "visible"], default="success"),
        run_id=dict(type="str"),
        conf=dict(type="dict", default={}),
        logical_date=dict(type="str"),
        note=dict(type="str"),
        unpause=dict(type="bool", default=True),
        dag_timeout=dict(type="int", default=120),
        run_timeout=dict(type="int", default=600),
        poll_interval=dict(type="float", default=5),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    if p["run_id"] and p["state"] in ("queued", "visible"):
        module.fail_json(msg="run_id names a run to wait for; it does not go with state=%s." % p["state"])
    for name in ("dag_timeout", "run_timeout"):
        if p[name] < 0:
            module.fail_json(msg="%s must be 0 or more seconds (got %s)." % (name, p[name]))
    if p["poll_interval"] <= 0:
        module.fail_json(msg="poll_interval must be more than 0 seconds (got %s)." % p["poll_interval"])
    api = AirflowAPI.from_module(module)
    result = dict(changed=False, dag_run={}, task_instances=[], dag_visible_after=None, dag_visible_at=None)
    try:
        module.exit_json(**run(module, api, result))
    except AirflowAPIError as e:
        module.fail_json(msg=str(e), **result)


if __name__ == "__main__":
    main()
