#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_pool
short_description: Manage Airflow pools through the REST API
version_added: 0.1.0
description:
  - Creates, updates and deletes Apache Airflow 3 pools through the REST API v2, one pool or a whole set in one
    bulk C(PATCH /api/v2/pools) call. Changes only what differs, so reruns report no change.
  - C(default_pool) can be resized but is never deleted, not even by O(purge); Airflow keeps its description.
author: airflowops.airflow contributors (@airflowops)
extends_documentation_fragment:
  - airflowops.airflow.airflow_api
  - airflowops.airflow.airflow_api.object_set
options:
  name:
    description: Name of one pool. Mutually exclusive with O(pools).
    type: str
  slots:
    description: Number of slots; V(-1) for unlimited. Required to create a pool.
    type: int
  description:
    description: Description shown in the UI.
    type: str
  include_deferred:
    description: Whether deferred tasks occupy slots of the pool.
    type: bool
    default: false
  pools:
    description:
      - Many pools at once, applied in one bulk call. Mutually exclusive with O(name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the pool. Required.
        type: str
      slots:
        description: As O(slots).
        type: int
      description:
        description: As O(description).
        type: str
      include_deferred:
        description: As O(include_deferred).
        type: bool
        default: false
seealso:
  - module: airflowops.airflow.airflow_connection
  - module: airflowops.airflow.airflow_variable
"""

EXAMPLES = r"""
- name: A pool limiting concurrent calls to a partner API
  airflowops.airflow.airflow_pool:
    api_url: http://airflow.example.com:8080
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
    name: partner_api
    slots: 4
    description: The partner allows 4 parallel sessions
  delegate_to: localhost

- name: All pools of the environment, deleting unlisted ones (default_pool is kept)
  airflowops.airflow.airflow_pool:
    api_url: "{{ airflow_api_url }}"
    api_token: "{{ airflow_token }}"
    pools:
      - {name: default_pool, slots: 256}
      - {name: partner_api, slots: 4}
    purge: true
"""

RETURN = r"""
created:
  description: Names of the pools created (or that would be, in check mode).
  returned: always
  type: list
  elements: str
updated:
  description: Names of the pools updated.
  returned: always
  type: list
  elements: str
deleted:
  description: Names deleted because O(state=absent).
  returned: always
  type: list
  elements: str
purged:
  description: Names deleted because O(purge=true) and not listed.
  returned: always
  type: list
  elements: str
unchanged:
  description: Names already as wanted.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_objects import (
    Kind,
    ObjectSet,
    fail_on_duplicates,
    object_set_module,
    run_and_exit,
)

DEFAULT_POOL = "default_pool"
POOL_OPTIONS = dict(
    name=dict(type="str"),
    slots=dict(type="int"),
    description=dict(type="str"),
    include_deferred=dict(type="bool", default=False),
)
FIELDS = ("slots", "description", "include_deferred")


class PoolKind(Kind):
    collection = "pools"
    id_field = "name"
    noun = "pool"
    protected = (DEFAULT_POOL,)

    def entity(self, wanted):
        return dict(name=wanted["name"], slots=wanted["slots"], description=wanted["description"],
                    include_deferred=wanted["include_deferred"])

    @staticmethod
    def fields(name):
        # Airflow refuses to change anything of default_pool but its slots and include_deferred.
        return [f for f in FIELDS if not (name == DEFAULT_POOL and f == "description")]

    def wanted_fields(self, wanted):
        return dict((f, wanted[f]) for f in self.fields(wanted["name"]))

    def current_fields(self, current, wanted=None):
        return dict((f, current.get(f)) for f in self.fields(current["name"]))


def main():
    module, items = object_set_module("name", "pools", POOL_OPTIONS, "pool")
    p = module.params
    for item in items:
        if not item.get("name") or len(item["name"]) > 256:
            module.fail_json(msg="Every pool needs a name of 1-256 characters (got %r)." % item.get("name"))
        if p["state"] == "present" and (item.get("slots") is None or item["slots"] < -1):
            module.fail_json(msg="pool %r: slots must be a number of slots, or -1 for unlimited" % item["name"])
        if p["state"] == "absent" and item["name"] == DEFAULT_POOL:
            module.fail_json(msg="default_pool cannot be deleted; resize it instead.")
    fail_on_duplicates(module, [i["name"] for i in items], "pools", "names")
    run_and_exit(module, lambda api: ObjectSet(api, PoolKind(), module.check_mode).apply(items, p["state"], p["purge"]))


if __name__ == "__main__":
    main()
