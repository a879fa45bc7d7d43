#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_cluster_info
short_description: What an Airflow cluster says about itself through the REST API, for a diagnosis
version_added: 0.5.0
description:
  - Reads, changing nothing, the version, the health of each component (parsed, since the health endpoint answers
    200 even when a component is unhealthy), the live jobs (schedulers, triggerers, dag-processors) with their hosts
    and last heartbeats, the DAG import errors, the number of DAGs and paused DAGs, the pools with their slots, and
    how many task instances are queued, scheduled, running, deferred or waiting for a retry.
  - Each read that fails is reported in RV(errors) and the others still run, so a half-broken cluster still yields
    what it can.
  - Used by playbooks/diagnose.yml.
author: airflowops.airflow contributors (@airflowops)
extends_documentation_fragment:
  - airflowops.airflow.airflow_api
  - airflowops.airflow.airflow_api.read_only
options:
  import_error_lines:
    description: Last lines of each import error's stack trace to return (the exception is at the end).
    type: int
    default: 5
seealso:
  - module: airflowops.airflow.airflow_task_instance_info
"""

EXAMPLES = r"""
- name: What the cluster says about itself
  airflowops.airflow.airflow_cluster_info:
    api_url: https://airflow.example.com:8443
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
  register: cluster

- name: Fail on DAG files that do not import
  ansible.builtin.assert:
    that: cluster.import_errors | length == 0
    fail_msg: "{{ cluster.import_errors | map(attribute='filename') | list }}"
"""

RETURN = r"""
version:
  description: The api-server's C(version) and C(git_version); empty when the read failed.
  returned: always
  type: dict
health:
  description: The health endpoint's answer (C(metadatabase), C(scheduler), C(triggerer), C(dag_processor), each with
    its C(status) and latest heartbeat); empty when the read failed.
  returned: always
  type: dict
unhealthy:
  description: The components of RV(health) whose status is not C(healthy).
  returned: always
  type: list
  elements: str
jobs:
  description: The live jobs (C(job_type), C(hostname), C(latest_heartbeat), C(state), C(executor_class)).
  returned: always
  type: list
  elements: dict
import_errors:
  description: DAG files that failed to import (C(filename), C(bundle_name), C(timestamp), C(stack_trace) cut to its
    last O(import_error_lines) lines).
  returned: always
  type: list
  elements: dict
dags:
  description: C(total) and C(paused) DAGs.
  returned: always
  type: dict
pools:
  description: Each pool's C(name), C(slots), C(open_slots), C(occupied_slots), C(running_slots), C(queued_slots),
    C(scheduled_slots) and C(deferred_slots).
  returned: always
  type: list
  elements: dict
task_instance_states:
  description: Task instances per state (C(queued), C(scheduled), C(running), C(deferred), C(up_for_retry),
    C(up_for_reschedule)) across every DAG and run.
  returned: always
  type: dict
errors:
  description: The reads that failed, each with the reason.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_api import (
    API_ARGUMENT_SPEC,
    AirflowAPI,
    AirflowAPIError,
)

JOB_FIELDS = ("job_type", "hostname", "latest_heartbeat", "state", "executor_class", "start_date")
POOL_FIELDS = ("name", "slots", "open_slots", "occupied_slots", "running_slots", "queued_slots", "scheduled_slots",
               "deferred_slots")
TI_STATES = ("queued", "scheduled", "running", "deferred", "up_for_retry", "up_for_reschedule")


def count(api, path, params):
    """total_entries of a list endpoint, reading one item."""
    return (api.call("GET", path, params=list(params) + [("limit", 1)]) or {}).get("total_entries", 0)


def main():
    argument_spec = dict(import_error_lines=dict(type="int", default=5))
    argument_spec.update(API_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    api = AirflowAPI.from_module(module)
    lines = module.params["import_error_lines"]
    result = dict(changed=False, version={}, health={}, unhealthy=[], jobs=[], import_errors=[], dags={}, pools=[],
                  task_instance_states={}, errors=[])

    def read(name, fetch):
        try:
            result[name] = fetch()
        except AirflowAPIError as e:
            result["errors"].append("%s: %s" % (name, e))

    read("health", lambda: api.call("GET", "/api/v2/monitor/health") or {})
    result["unhealthy"] = sorted(name for name, item in result["health"].items()
                                 if not isinstance(item, dict) or item.get("status") != "healthy")
    read("version", lambda: api.call("GET", "/api/v2/version") or {})
    read("jobs", lambda: [dict((k, job.get(k)) for k in JOB_FIELDS)
                          for job in api.list_pages("/api/v2/jobs", "jobs", [("is_alive", "true")])])
    read("import_errors", lambda: [
        dict(filename=e.get("filename"), bundle_name=e.get("bundle_name"), timestamp=e.get("timestamp"),
             stack_trace="\n".join((e.get("stack_trace") or "").rstrip().splitlines()[-lines:]))
        for e in api.list_pages("/api/v2/importErrors", "import_errors")])
    read("dags", lambda: dict(total=count(api, "/api/v2/dags", []), paused=count(api, "/api/v2/dags", [("paused", "true")])))
    read("pools", lambda: [dict((k, p.get(k)) for k in POOL_FIELDS) for p in api.list_all("pools")])
    read("task_instance_states", lambda: dict(
        (state, count(api, "/api/v2/dags/~/dagRuns/~/taskInstances", [("state", state)])) for state in TI_STATES))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
