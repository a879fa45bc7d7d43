#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_variable
short_description: Manage Airflow variables through the REST API
version_added: 0.1.0
description:
  - Creates, updates and deletes Apache Airflow 3 variables through the REST API v2, one variable or a whole
    set in one bulk C(PATCH /api/v2/variables) call. Changes only what differs, so reruns report no change.
  - The API hides the values of variables whose key looks secret (for example containing C(password),
    C(secret), C(token), C(api_key)), and secret keys inside JSON values. O(update_secrets) decides what
    happens to those.
author: airflowops.airflow contributors (@airflowops)
extends_documentation_fragment:
  - airflowops.airflow.airflow_api
  - airflowops.airflow.airflow_api.object_set
  - airflowops.airflow.airflow_api.sensitive
options:
  key:
    description: Key of one variable. Mutually exclusive with O(variables).
    type: str
  value:
    description:
      - Value of the variable. Text is stored as it is; mappings, lists, numbers and booleans are stored as JSON
        (read them in a DAG with C(Variable.get(key, deserialize_json=True))). Required with O(state=present).
    type: raw
  description:
    description: Description shown in the UI.
    type: str
  variables:
    description:
      - Many variables at once, applied in one bulk call. Mutually exclusive with O(key).
    type: list
    elements: dict
    suboptions:
      key:
        description: Key of the variable. Required.
        type: str
      value:
        description: As O(value).
        type: raw
      description:
        description: As O(description).
        type: str
  update_secrets:
    description:
      - V(on_create) (default) sets values the API hides only when the variable is created, and leaves them
        alone afterwards (the API cannot show whether they differ), so reruns report no change.
      - V(always) sends them on every run and reports C(changed) for those variables.
    type: str
    choices: [always, on_create]
    default: on_create
seealso:
  - module: airflowops.airflow.airflow_connection
  - module: airflowops.airflow.airflow_pool
"""

EXAMPLES = r"""
- name: One variable
  airflowops.airflow.airflow_variable:
    api_url: http://airflow.example.com:8080
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
    key: environment
    value: production
  delegate_to: localhost

- name: Several, one of them JSON, deleting every variable not listed
  airflowops.airflow.airflow_variable:
    api_url: "{{ airflow_api_url }}"
    api_token: "{{ airflow_token }}"
    variables:
      - key: environment
        value: production
      - key: sales_report
        value: {recipients: [ops@example.com], hour: 6}
        description: Read with deserialize_json=True
    purge: true
"""

RETURN = r"""
created:
  description: Keys of the variables created (or that would be, in check mode).
  returned: always
  type: list
  elements: str
updated:
  description: Keys of the variables updated.
  returned: always
  type: list
  elements: str
deleted:
  description: Keys deleted because O(state=absent).
  returned: always
  type: list
  elements: str
purged:
  description: Keys deleted because O(purge=true) and not listed.
  returned: always
  type: list
  elements: str
unchanged:
  description: Keys already as wanted.
  returned: always
  type: list
  elements: str
"""

import json

from ansible.module_utils.six import string_types

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_objects import (
    SENSITIVE_NAMES_OPTION,
    Kind,
    ObjectSet,
    fail_on_duplicates,
    hide_secret_values,
    object_set_module,
    run_and_exit,
    sensitive_strings,
)

VARIABLE_OPTIONS = dict(
    key=dict(type="str", no_log=False),
    value=dict(type="raw"),
    description=dict(type="str"),
)


def comparable(text, wanted):
    """A stored value in the form of the wanted one: parsed JSON when the wanted value is not text."""
    if isinstance(wanted, string_types) or text is None:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


class VariableKind(Kind):
    collection = "variables"
    id_field = "key"
    noun = "variable"

    def entity(self, wanted):
        return dict(key=wanted["key"], value=wanted["value"], description=wanted["description"])

    def wanted_fields(self, wanted):
        return dict(value=wanted["value"], description=wanted["description"])

    def secret_fields_of(self, oid):
        # Airflow hides the whole value of a variable whose key has a sensitive name.
        return ("value",) if self.sensitive(oid) else ()

    def secret_values(self, wanted):
        return sensitive_strings(wanted["value"], self.sensitive, self.sensitive(wanted["key"]))

    def current_fields(self, current, wanted=None):
        # Stored values are text: compare them in the wanted value's form (parsed JSON for non-text values).
        value = current.get("value")
        if wanted is not None:
            value = comparable(value, wanted["value"])
        return dict(value=value, description=current.get("description"))


def main():
    module, items = object_set_module(
        "key", "variables", VARIABLE_OPTIONS, "variable",
        update_secrets=dict(type="str", default="on_create", choices=["always", "on_create"], no_log=False),
        **SENSITIVE_NAMES_OPTION
    )
    p = module.params
    wanted_list = [dict(key=i["key"], value=i.get("value"), description=i.get("description")) for i in items]
    kind = VariableKind(p["sensitive_names"])
    # Before any error is reported, so that no variable's secret shows in a failure's output.
    hide_secret_values(module, kind, wanted_list)
    for item in items:
        if not item.get("key") or len(item["key"]) > 250:
            module.fail_json(msg="Every variable needs a key of 1-250 characters (got %r)." % item.get("key"))
        if p["state"] == "present" and item.get("value") is None:
            module.fail_json(msg="variable %r: value is required with state=present" % item["key"])
    fail_on_duplicates(module, [i["key"] for i in items], "variables", "keys")
    run_and_exit(module, lambda api: ObjectSet(api, kind, module.check_mode).apply(
        wanted_list, p["state"], p["purge"], p["update_secrets"]))


if __name__ == "__main__":
    main()
