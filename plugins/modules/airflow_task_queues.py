#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_task_queues
short_description: The queues the tasks of Airflow's DAGs are sent to, and those no worker consumes
version_added: 0.4.0
description:
  - Reads every DAG the api-servers know and each DAG's tasks through the REST API (one request per DAG) and
    groups the tasks by their C(queue).
  - Given the queues the workers consume (O(consumed)), lists the queues no worker consumes with their tasks. Such a
    task stays C(queued) until a worker consumes its queue (Celery keeps the message in the broker, the EdgeExecutor
    the job in its table), with no error anywhere.
  - Warns, naming them, when tasks use a queue no worker consumes (C(playbooks/hybrid.yml) runs it at the end).
author: airflowops.airflow contributors (@airflowops)
extends_documentation_fragment:
  - airflowops.airflow.airflow_api
  - airflowops.airflow.airflow_api.read_only
options:
  consumed:
    description: The queues the cluster's workers consume (Celery workers' C(--queues) and Edge workers' C(--queues)
      together). Not given, RV(unconsumed) is empty.
    type: list
    elements: str
  paused:
    description: Count the tasks of paused DAGs too (they run once unpaused).
    type: bool
    default: true
  dag_ids:
    description:
      - Read these DAGs only (each must be known to the api-servers, else the module fails naming it), paused or not.
        Not given, every DAG (O(paused) applies).
      - C(playbooks/rolling_update.yml) reads the queues of C(rolling_update_verify_dag)'s tasks this way to pick a canary
        that consumes them.
    type: list
    elements: str
notes:
  - The REST API does not say which executor a task asked for (C(executor=)); a queue counts as consumed when any
    worker consumes it, Celery or Edge.
seealso:
  - module: airflowops.airflow.airflow_task_instance_info
"""

EXAMPLES = r"""
- name: Queues of the DAGs' tasks, against those the workers consume
  airflowops.airflow.airflow_task_queues:
    api_url: https://airflow.example.com
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
    consumed: [default, cloud-a, cloud-b]
  register: queues

- name: Tasks no worker would run
  ansible.builtin.debug:
    msg: "{{ queues.unconsumed }}"
  when: queues.unconsumed | length > 0
"""

RETURN = r"""
queues:
  description: Each queue the tasks use, with its tasks as C(dag_id.task_id) (sorted).
  returned: success
  type: dict
  sample: {"default": ["etl.extract", "etl.load"], "cloud-a": ["etl.transform"]}
unconsumed:
  description: The queues of RV(queues) that are not in O(consumed), with their tasks.
  returned: success
  type: dict
  sample: {"gpu": ["train.fit"]}
dags:
  description: How many DAGs were read.
  returned: success
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_api import (
    API_ARGUMENT_SPEC,
    AirflowAPI,
    AirflowAPIError,
)


def task_queues(api, paused, dag_ids=None):
    """The DAGs read, and {queue: sorted ["dag_id.task_id", ...]} over their tasks."""
    if dag_ids is None:
        dags = api.list_pages("/api/v2/dags", "dags", [] if paused else [("paused", "false")])
    else:
        dags = []
        for dag_id in dag_ids:
            try:
                dags.append(api.call("GET", "/api/v2/dags/%s" % api.quote(dag_id)))
            except AirflowAPIError as e:
                if e.status != 404:
                    raise
                raise AirflowAPIError("DAG %s is not known to the api-servers (a typo, or not parsed yet: its import "
                                      "errors are under GET /api/v2/importErrors)" % dag_id, 404)
    queues = {}
    for dag in dags:
        answer = api.call("GET", "/api/v2/dags/%s/tasks" % api.quote(dag["dag_id"])) or {}
        for task in answer.get("tasks") or []:
            queues.setdefault(task.get("queue") or "default", []).append("%s.%s" % (dag["dag_id"], task["task_id"]))
    return len(dags), dict((queue, sorted(tasks)) for queue, tasks in queues.items())


def main():
    argument_spec = dict(
        consumed=dict(type="list", elements="str"),
        paused=dict(type="bool", default=True),
        dag_ids=dict(type="list", elements="str"),
    )
    argument_spec.update(API_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    api = AirflowAPI.from_module(module)
    try:
        count, queues = task_queues(api, p["paused"], p["dag_ids"])
    except AirflowAPIError as e:
        module.fail_json(msg=str(e))
    unconsumed = {}
    if p["consumed"] is not None:
        unconsumed = dict((q, tasks) for q, tasks in queues.items() if q not in p["consumed"])
    if unconsumed:
        module.warn(
            "Tasks wait in queues no worker consumes: %s. They stay queued until a worker consumes the queue "
            "(worker_queues) or the tasks name another (the workers consume: %s)." % (
                "; ".join("%s (%s)" % (q, ", ".join(unconsumed[q][:10]) + (
                    " and %d more" % (len(unconsumed[q]) - 10) if len(unconsumed[q]) > 10 else ""))
                    for q in sorted(unconsumed)),
                ", ".join(sorted(p["consumed"])) or "none"))
    module.exit_json(changed=False, dags=count, queues=queues, unconsumed=unconsumed)


if __name__ == "__main__":
    main()
