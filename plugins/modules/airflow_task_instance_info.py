#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_task_instance_info
short_description: List Airflow task instances by state, with how long each has run and its task's execution timeout
version_added: 0.3.0
description:
  - Lists the task instances in the given states (running ones by default) across DAGs and runs, through the
    REST API, with the seconds each has run so far and the C(execution_timeout) of its task.
  - Before a change stops workers (a drain, a rolling update), it says which running tasks a drain timeout would
    wait for and which it could cut.
author: airflowops.airflow contributors (@airflowops)
extends_documentation_fragment:
  - airflowops.airflow.airflow_api
  - airflowops.airflow.airflow_api.read_only
options:
  state:
    description: States to list (C(running), C(queued), C(scheduled), C(deferred), C(up_for_retry), ...).
    type: list
    elements: str
    default: [running]
  dag_id:
    description: Only this DAG's task instances (C(~) is every DAG).
    type: str
    default: "~"
  execution_timeouts:
    description: Read the C(execution_timeout) of each task listed (one request per distinct task).
    type: bool
    default: true
seealso:
  - module: airflowops.airflow.airflow_dag_run
"""

EXAMPLES = r"""
- name: What runs now
  airflowops.airflow.airflow_task_instance_info:
    api_url: http://127.0.0.1:8080
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
  register: running

- name: Tasks a 10-minute drain could cut (no timeout, or one that ends later)
  ansible.builtin.debug:
    msg: >-
      {{ running.task_instances | rejectattr('execution_timeout_seconds', 'number')
         | list + running.task_instances | selectattr('execution_timeout_seconds', 'number')
         | selectattr('seconds_left_at_most', 'gt', 600) | list }}
"""

RETURN = r"""
task_instances:
  description: The task instances, longest running first.
  returned: success
  type: list
  elements: dict
  contains:
    dag_id:
      description: DAG.
      type: str
    dag_run_id:
      description: Run.
      type: str
    task_id:
      description: Task id.
      type: str
    map_index:
      description: Index of a mapped task instance, -1 otherwise.
      type: int
    state:
      description: State.
      type: str
    try_number:
      description: Try the state belongs to.
      type: int
    hostname:
      description: Host that runs it (empty before it starts).
      type: str
    start_date:
      description: When it started (ISO 8601), or null.
      type: str
    running_seconds:
      description: Seconds since C(start_date), by the clock of the host the module ran on; null before it starts.
      type: float
    execution_timeout_seconds:
      description: The task's C(execution_timeout) in seconds; null when it has none (or O(execution_timeouts=false)).
      type: float
    seconds_left_at_most:
      description: C(execution_timeout_seconds) minus C(running_seconds) (at least 0); null without a timeout.
      type: float
"""

import datetime
import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_api import (
    API_ARGUMENT_SPEC,
    AirflowAPI,
    AirflowAPIError,
)

TI_FIELDS = ("dag_id", "dag_run_id", "task_id", "map_index", "state", "try_number", "hostname", "start_date")


def parse_time(value):
    """An ISO 8601 time of the API ("Z" or an offset, any number of fraction digits) as an aware datetime."""
    if not value:
        return None
    head, fraction, zone = re.match(r"^(.*?T[0-9:]+)(?:[.]([0-9]+))?(.*)$", value.replace("Z", "+00:00")).groups()
    return datetime.datetime.fromisoformat(head + ("." + (fraction + "000000")[:6] if fraction else "") + zone)


def timeout_seconds(value):
    """The API's TimeDelta ({"__type": "TimeDelta", "days", "seconds", "microseconds"}) in seconds; None when absent."""
    if isinstance(value, dict):
        return value.get("days", 0) * 86400 + value.get("seconds", 0) + value.get("microseconds", 0) / 1e6
    if isinstance(value, (int, float)):
        return float(value)
    return None


def main():
    argument_spec = dict(
        state=dict(type="list", elements="str", default=["running"]),
        dag_id=dict(type="str", default="~"),
        execution_timeouts=dict(type="bool", default=True),
    )
    argument_spec.update(API_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    api = AirflowAPI.from_module(module)
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    try:
        path = "/api/v2/dags/%s/dagRuns/~/taskInstances" % (api.quote(p["dag_id"]) if p["dag_id"] != "~" else "~")
        listed = api.list_pages(path, "task_instances", [("state", state) for state in p["state"]])
        timeouts = {}
        items = []
        for ti in listed:
            item = dict((k, ti.get(k)) for k in TI_FIELDS)
            started = parse_time(item["start_date"])
            item["running_seconds"] = round((now - started).total_seconds(), 1) if started else None
            key = (item["dag_id"], item["task_id"])
            if p["execution_timeouts"] and key not in timeouts:
                task = api.call("GET", "/api/v2/dags/%s/tasks/%s" % (api.quote(key[0]), api.quote(key[1]))) or {}
                timeouts[key] = timeout_seconds(task.get("execution_timeout"))
            item["execution_timeout_seconds"] = timeouts.get(key)
            item["seconds_left_at_most"] = (
                max(0.0, round(item["execution_timeout_seconds"] - (item["running_seconds"] or 0), 1))
                if item["execution_timeout_seconds"] is not None else None)
            items.append(item)
    except AirflowAPIError as e:
        module.fail_json(msg=str(e))
    items.sort(key=lambda ti: -(ti["running_seconds"] or 0))
    module.exit_json(changed=False, task_instances=items)


if __name__ == "__main__":
    main()
