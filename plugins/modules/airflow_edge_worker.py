#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_edge_worker
short_description: Put an Airflow Edge worker into maintenance or take it out, through the api-server
version_added: 0.4.0
description:
  - Reads an Edge worker (apache-airflow-providers-edge3) as the api-servers know it, and requests maintenance
    for it or ends its maintenance, through the Edge plugin's API (C(/edge_worker/ui/worker)) with the same login as
    the REST API.
  - A worker in maintenance finishes the tasks it runs and takes no new one; its unit keeps running. O(wait) waits
    until it runs none (C(maintenance mode)), or, when leaving maintenance, until it takes tasks again.
  - The Edge counterpart of pausing and resuming a Celery worker's queues (the worker role's queues entry point).
author: airflowops.airflow contributors (@airflowops)
extends_documentation_fragment:
  - airflowops.airflow.airflow_api
  - airflowops.airflow.airflow_api.poll
options:
  name:
    description: The worker's name at the api-servers (C(airflow edge worker --edge-hostname); the worker role uses the
      inventory name).
    type: str
    required: true
  state:
    description:
      - V(maintenance) requests maintenance (nothing changes when the worker is in maintenance already).
      - V(active) ends maintenance (nothing changes when it is not in maintenance).
      - Not given, the module only reads the worker.
    type: str
    choices: [maintenance, active]
  comment:
    description: Why the worker goes into maintenance (shown in the UI). Required by the API; V(state=maintenance) only.
    type: str
    default: airflowops.airflow
  wait:
    description:
      - With V(state=maintenance), wait until the worker runs no task (its state is C(maintenance mode), or
        C(offline maintenance) when it stopped meanwhile); with V(state=active), until it takes tasks again
        (C(idle) or C(running)).
      - After it ended a maintenance, the module waits for a second heartbeat that still finds the worker taking
        tasks, and asks again when the worker went back into maintenance (a heartbeat the worker sent before the
        request can land after it).
    type: bool
    default: false
  wait_timeout:
    description: Seconds O(wait) waits. The module fails when the worker has not reached the state then.
    type: int
    default: 600
attributes:
  check_mode:
    support: full
    description: Reads the worker and reports whether a request would be sent; sends none and does not wait.
  diff_mode:
    support: none
    description: The change is a state, returned in RV(worker).
  idempotent:
    support: full
    description: A worker already in (or out of) maintenance is left as it is.
notes:
  - The api-servers must serve the Edge API (C([edge] api_enabled), which the base role sets when
    C(airflow_edge_executor) is on).
seealso:
  - module: airflowops.airflow.airflow_dag_run
"""

EXAMPLES = r"""
- name: Drain the Edge worker edge1 (its running tasks finish, it takes no new one)
  airflowops.airflow.airflow_edge_worker:
    api_url: https://airflow.example.com:8080
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
    name: edge1
    state: maintenance
    comment: kernel update
    wait: true

- name: Take it back
  airflowops.airflow.airflow_edge_worker:
    api_url: https://airflow.example.com:8080
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
    name: edge1
    state: active
"""

RETURN = r"""
worker:
  description: The worker as the api-servers know it after the change (C(worker_name), C(state), C(queues),
    C(jobs_active), C(maintenance_comments), C(last_heartbeat), C(sysinfo)). In check mode, as it was.
  returned: always
  type: dict
elapsed:
  description: Seconds the module waited (O(wait)).
  returned: when it waited
  type: float
exit_requests:
  description: Requests to end the maintenance the module sent while it waited (1, or more when the worker went back).
  returned: when it ended a maintenance and waited
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_api import (
    API_ARGUMENT_SPEC,
    AirflowAPI,
    AirflowAPIError,
    poll,
)

WORKERS = "/edge_worker/ui/worker"
# States of a worker in maintenance or on its way there, and those of a worker that takes tasks.
IN_MAINTENANCE = ("maintenance request", "maintenance pending", "maintenance mode", "offline maintenance")
DRAINED = ("maintenance mode", "offline maintenance")
TAKING_TASKS = ("idle", "running")


def read_worker(api, name):
    """The worker named name, or an AirflowAPIError (status 404) when the api-servers do not know it."""
    try:
        workers = (api.call("GET", WORKERS, params={"worker_name_pattern": name}) or {}).get("workers") or []
    except AirflowAPIError as e:
        if e.status == 404:
            raise AirflowAPIError(
                "%s%s answered 404: the api-servers do not serve the Edge API ([edge] api_enabled, "
                "apache-airflow-providers-edge3)." % (api.api_url, WORKERS), status=404)
        raise
    for worker in workers:
        if worker.get("worker_name") == name:
            return worker
    raise AirflowAPIError("No Edge worker named %s is registered at %s (known: %s)." % (
        name, api.api_url, ", ".join(sorted(w.get("worker_name", "?") for w in workers)) or "none"), status=404)


def main():
    argument_spec = dict(API_ARGUMENT_SPEC)
    argument_spec.update(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["maintenance", "active"]),
        comment=dict(type="str", default="airflowops.airflow"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
        poll_interval=dict(type="float", default=5),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    api = AirflowAPI.from_module(module)
    path = "%s/%s/maintenance" % (WORKERS, api.quote(p["name"]))
    result = dict(changed=False)
    try:
        worker = read_worker(api, p["name"])
        in_maintenance = worker.get("state") in IN_MAINTENANCE
        if p["state"] == "maintenance" and not in_maintenance:
            result["changed"] = True
            if not module.check_mode:
                api.call("POST", path, {"maintenance_comment": p["comment"]})
        elif p["state"] == "active" and in_maintenance:
            result["changed"] = True
            if not module.check_mode:
                api.call("DELETE", path)
        if p["wait"] and p["state"] and not module.check_mode:
            wanted = DRAINED if p["state"] == "maintenance" else TAKING_TASKS
            # After an exit request, a heartbeat the worker sent before it can still land after it and put the
            # worker back in maintenance (the Edge API writes the state a heartbeat computed from what it read):
            # the exit is confirmed by a later heartbeat that still finds the worker taking tasks, and asked again
            # when the worker went back.
            confirm = p["state"] == "active" and result["changed"]
            last = {"seen": None, "exit_requests": 1 if confirm else 0}

            def read():
                last["worker"] = read_worker(api, p["name"])
                state, heartbeat = last["worker"].get("state"), last["worker"].get("last_heartbeat")
                if confirm and state in IN_MAINTENANCE:
                    api.call("DELETE", path)
                    last["exit_requests"] += 1
                    last["seen"] = None
                    return None
                if state not in wanted:
                    last["seen"] = None
                    return None
                if not confirm:
                    return last["worker"]
                if last["seen"] is None:
                    last["seen"] = heartbeat
                    return None
                return last["worker"] if heartbeat != last["seen"] else None

            worker, result["elapsed"] = poll(
                read, p["wait_timeout"], p["poll_interval"], retry=lambda e: e.status is None,
                timed_out=lambda e: AirflowAPIError("Edge worker %s is still %s after %d s (waiting for %s)%s" % (
                    p["name"], last.get("worker", worker).get("state"), p["wait_timeout"], " or ".join(wanted),
                    (": %s task(s) running" % last["worker"].get("jobs_active")) if last.get("worker") else "")))
            result["elapsed"] = round(result["elapsed"], 1)
            if confirm:
                result["exit_requests"] = last["exit_requests"]
        elif not module.check_mode and result["changed"]:
            worker = read_worker(api, p["name"])
    except AirflowAPIError as e:
        module.fail_json(msg=str(e), **result)
    result["worker"] = worker
    module.exit_json(**result)


if __name__ == "__main__":
    main()
