#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_connection
short_description: Manage Airflow connections through the REST API
version_added: 0.1.0
description:
  - Creates, updates and deletes Apache Airflow 3 connections through the REST API v2, one connection or a
    whole set in one bulk C(PATCH /api/v2/connections) call.
  - Reads the existing connections first and changes only what differs, so reruns report no change.
  - The API never returns passwords, nor values of C(extra) keys it considers secret (it shows C(***)).
    O(update_password) decides what happens to those.
author: airflowops.airflow contributors (@airflowops)
extends_documentation_fragment:
  - airflowops.airflow.airflow_api
  - airflowops.airflow.airflow_api.object_set
  - airflowops.airflow.airflow_api.sensitive
options:
  conn_id:
    description:
      - Id of one connection (letters, digits, C(_), C(.), C(-)). Mutually exclusive with O(connections).
    type: str
  conn_type:
    description:
      - Connection type, for example V(postgres), V(http), V(aws). Required to create a connection unless
        O(uri) gives it. Checked against the types the api-server knows when it lists them.
    type: str
  uri:
    description:
      - The connection as an Airflow URI, for example V(postgres://user:pass@db.example.com:5432/sales?sslmode=require).
        Sets O(conn_type), O(host), O(login), O(password), O(port), O(schema) and O(extra) (the query string,
        or the JSON in C(__extra__)). Mutually exclusive with those options. Percent-encode special characters
        of the login and password, C(/) included.
    type: str
  host:
    description: Host of the connection.
    type: str
  login:
    description: Login of the connection.
    type: str
  password:
    description: Password of the connection. Never logged nor shown in a diff.
    type: str
  port:
    description: Port of the connection.
    type: int
  schema:
    description: Schema (or database) of the connection.
    type: str
  description:
    description: Description shown in the UI.
    type: str
  extra:
    description:
      - Extra settings of the connection, a mapping (stored as JSON). A JSON text of an object is accepted too.
    type: raw
  connections:
    description:
      - Many connections at once, each a mapping with the single-connection options (C(conn_id) required).
        Applied in one bulk call. Mutually exclusive with O(conn_id).
    type: list
    elements: dict
    suboptions:
      conn_id:
        description: Id of the connection, as O(conn_id). Required.
        type: str
      conn_type:
        description: As O(conn_type).
        type: str
      uri:
        description: As O(uri).
        type: str
      host:
        description: As O(host).
        type: str
      login:
        description: As O(login).
        type: str
      password:
        description: As O(password).
        type: str
      port:
        description: As O(port).
        type: int
      schema:
        description: As O(schema).
        type: str
      description:
        description: As O(description).
        type: str
      extra:
        description: As O(extra).
        type: raw
  update_password:
    description:
      - V(on_create) (default) sets O(password) and the secret values of O(extra) only when a connection is
        created; afterwards it leaves the stored ones alone, because the API cannot show whether they differ.
        Reruns then report no change. The other fields are still compared and updated.
      - V(always) sends the password and secret extras on every run; the module then reports C(changed) for
        every connection that has one, since it cannot compare them.
    type: str
    choices: [always, on_create]
    default: on_create
  validate_conn_type:
    description:
      - Refuse a O(conn_type) the api-server does not list among its connection types (its installed
        providers). Set V(false) when the type's provider is installed on workers only.
    type: bool
    default: true
  test_connection:
    description:
      - After applying (or, in check mode, instead), test each connection with C(POST /api/v2/connections/test).
        Fails with the test's message when a test fails. The api-server must enable it with
        C([core] test_connection = Enabled); the module says so when it does not.
    type: bool
    default: false
seealso:
  - module: airflowops.airflow.airflow_variable
  - module: airflowops.airflow.airflow_pool
"""

EXAMPLES = r"""
- name: A PostgreSQL connection from fields
  airflowops.airflow.airflow_connection:
    api_url: http://airflow.example.com:8080
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
    conn_id: sales_db
    conn_type: postgres
    host: db.example.com
    port: 5432
    schema: sales
    login: etl
    password: "{{ vault_sales_db_password }}"
    extra:
      sslmode: require
  delegate_to: localhost

- name: The same from a URI (urlencode leaves "/" alone, so encode it too)
  airflowops.airflow.airflow_connection:
    api_url: http://airflow.example.com:8080
    api_token: "{{ airflow_token }}"
    conn_id: sales_db
    uri: "postgres://etl:{{ vault_sales_db_password | urlencode | replace('/', '%2F') }}@db.example.com:5432/sales?sslmode=require"

- name: Every connection of this environment, deleting the ones not listed
  airflowops.airflow.airflow_connection:
    api_url: "{{ airflow_api_url }}"
    api_username: admin
    api_password: "{{ vault_airflow_admin_password }}"
    connections: "{{ airflow_connections }}"
    purge: true
  delegate_to: localhost

- name: Remove a connection
  airflowops.airflow.airflow_connection:
    api_url: http://airflow.example.com:8080
    api_token: "{{ airflow_token }}"
    conn_id: old_ftp
    state: absent
"""

RETURN = r"""
created:
  description: Ids of the connections created (or that would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: [sales_db]
updated:
  description: Ids of the connections updated.
  returned: always
  type: list
  elements: str
deleted:
  description: Ids of the connections deleted because O(state=absent).
  returned: always
  type: list
  elements: str
purged:
  description: Ids of the connections deleted because O(purge=true) and not listed.
  returned: always
  type: list
  elements: str
unchanged:
  description: Ids of the connections already as wanted.
  returned: always
  type: list
  elements: str
tests:
  description: Outcome of O(test_connection) per connection id.
  returned: when O(test_connection=true)
  type: dict
  sample: {sales_db: {status: true, message: Connection successfully tested}}
"""

import json
import re

from ansible.module_utils.six import string_types
from ansible.module_utils.six.moves.urllib.parse import parse_qsl, unquote, urlsplit

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_api import REDACTED, AirflowAPIError
from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_objects import (
    SENSITIVE_NAMES_OPTION,
    Kind,
    ObjectSet,
    fail_on_duplicates,
    hide_secret_values,
    object_set_module,
    run_and_exit,
)

CONN_ID = re.compile(r"^[\w.-]{1,200}$")
FIELDS = ("conn_type", "host", "login", "password", "port", "schema", "description", "extra")
URI_FIELDS = ("conn_type", "host", "login", "password", "port", "schema", "extra")

CONNECTION_OPTIONS = dict(
    conn_id=dict(type="str"),
    conn_type=dict(type="str"),
    uri=dict(type="str", no_log=True),
    host=dict(type="str"),
    login=dict(type="str"),
    password=dict(type="str", no_log=True),
    port=dict(type="int"),
    schema=dict(type="str"),
    description=dict(type="str"),
    extra=dict(type="raw"),
)


def parse_uri(uri):
    """Fields of an Airflow connection URI, as Airflow's Connection parses them."""
    parts = urlsplit(uri)
    if not parts.scheme:
        raise ValueError("the URI has no scheme (the connection type)")
    conn_type = parts.scheme.replace("-", "_")
    if conn_type == "postgresql":
        conn_type = "postgres"
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "__extra__" in query:
        extra = json.loads(query["__extra__"])
    else:
        extra = query or None
    return dict(
        conn_type=conn_type,
        host=unquote(parts.hostname) if parts.hostname else None,
        login=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        port=parts.port,
        schema=unquote(parts.path[1:]) if parts.path else None,
        extra=extra,
    )


def normalize(item):
    """One wanted connection with its URI expanded and extra as a mapping; ValueError names what is wrong."""
    conn_id = item.get("conn_id")
    if not conn_id or not CONN_ID.match(conn_id):
        raise ValueError("connection %r: conn_id must be 1-200 letters, digits, '_', '.' or '-'" % (conn_id,))
    wanted = dict((f, item.get(f)) for f in FIELDS)
    if item.get("uri"):
        clashing = [f for f in URI_FIELDS if item.get(f) is not None]
        if clashing:
            raise ValueError("connection %r: uri cannot be combined with %s" % (conn_id, ", ".join(clashing)))
        try:
            wanted.update(parse_uri(item["uri"]))
        except ValueError as e:
            raise ValueError("connection %r: cannot read uri: %s" % (conn_id, e))
    extra = wanted["extra"]
    if isinstance(extra, string_types):
        try:
            extra = json.loads(extra) if extra.strip() else None
        except ValueError:
            raise ValueError("connection %r: extra must be a mapping (or JSON text of an object), got text that is not JSON" % conn_id)
    if extra is not None and not isinstance(extra, dict):
        raise ValueError("connection %r: extra must be a mapping, got %s" % (conn_id, type(extra).__name__))
    wanted["extra"] = extra or None
    wanted["connection_id"] = conn_id
    return wanted


class ConnectionKind(Kind):
    collection = "connections"
    id_field = "connection_id"
    noun = "connection"
    secret_fields = ("password",)

    def entity(self, wanted):
        body = dict((f, wanted[f]) for f in FIELDS if f != "extra")
        body["connection_id"] = wanted["connection_id"]
        body["extra"] = json.dumps(wanted["extra"]) if wanted["extra"] else None
        return body

    def wanted_fields(self, wanted):
        return dict((f, wanted[f]) for f in FIELDS)

    def current_fields(self, current, wanted=None):
        fields = dict((f, current.get(f)) for f in FIELDS if f != "extra")
        try:
            fields["extra"] = json.loads(current["extra"]) if current.get("extra") else None
        except ValueError:
            fields["extra"] = current.get("extra")
        fields["extra"] = fields["extra"] or None
        return fields

    def merge_unknown_secrets(self, entity, mask, unknown, current):
        """Leave stored secrets alone: no password in the mask, and secret extra keys sent as the API's
        redaction marker, which the api-server replaces with the stored value."""
        mask = [f for f in mask if f not in unknown]
        extra = current.get("extra")
        if "extra" in mask and isinstance(extra, dict) and entity.get("extra"):
            wanted_extra = json.loads(entity["extra"])
            for key, value in extra.items():
                if value == REDACTED and key in wanted_extra:
                    wanted_extra[key] = REDACTED
            entity["extra"] = json.dumps(wanted_extra)
        return entity, mask


def known_conn_types(api):
    """Connection types the api-server knows (from its UI hook list), or None when it does not say."""
    try:
        hooks = api.call("GET", "/ui/connections/hook_meta")
    except AirflowAPIError:
        return None
    types = set(h.get("connection_type") for h in hooks or [] if isinstance(h, dict))
    return types or None


def run_tests(api, module, wanted_list):
    tests = {}
    for wanted in wanted_list:
        body = ConnectionKind().entity(wanted)
        try:
            answer = api.call("POST", "/api/v2/connections/test", body)
        except AirflowAPIError as e:
            if e.status == 403 and "disabled" in (e.body or "").lower():
                module.fail_json(msg="Cannot test connection %r: the api-server has connection testing disabled. Set "
                                 "[core] test_connection = Enabled in airflow.cfg, or drop test_connection." % wanted["connection_id"])
            module.fail_json(msg="Testing connection %r failed: %s" % (wanted["connection_id"], e))
        tests[wanted["connection_id"]] = dict(status=bool(answer.get("status")), message=answer.get("message"))
    failed = dict((k, v["message"]) for k, v in tests.items() if not v["status"])
    if failed:
        module.fail_json(msg="Connection test failed: %s" % "; ".join("%s: %s" % kv for kv in sorted(failed.items())), tests=tests)
    return tests


def apply(api, module, kind, wanted_list):
    p = module.params
    if p["state"] == "present":
        missing_type = [w["connection_id"] for w in wanted_list if not w["conn_type"]]
        if missing_type:
            module.fail_json(msg="connection %s: conn_type (or uri) is required" % ", ".join(repr(i) for i in missing_type))
        known = known_conn_types(api) if p["validate_conn_type"] else None
        if known is not None:
            unknown = ["%r has conn_type %r" % (w["connection_id"], w["conn_type"]) for w in wanted_list if w["conn_type"] not in known]
            if unknown:
                module.fail_json(msg="Unknown connection type: %s. This Airflow knows: %s" % ("; ".join(unknown), ", ".join(sorted(known))))
    result = ObjectSet(api, kind, module.check_mode).apply(wanted_list, p["state"], p["purge"], p["update_password"])
    if p["test_connection"] and p["state"] == "present":
        result["tests"] = run_tests(api, module, wanted_list)
    return result


def main():
    module, items = object_set_module(
        "conn_id", "connections", CONNECTION_OPTIONS, "connection",
        update_password=dict(type="str", default="on_create", choices=["always", "on_create"], no_log=False),
        test_connection=dict(type="bool", default=False),
        validate_conn_type=dict(type="bool", default=True),
        **SENSITIVE_NAMES_OPTION
    )
    # Every item is read before any error is reported, so that the secrets of the readable ones stay out of
    # the failure's output too.
    wanted_list, errors = [], []
    for item in items:
        try:
            wanted_list.append(normalize(item))
        except ValueError as e:
            errors.append(str(e))
    kind = ConnectionKind(module.params["sensitive_names"])
    hide_secret_values(module, kind, wanted_list)
    if errors:
        module.fail_json(msg="; ".join(errors))
    fail_on_duplicates(module, [w["connection_id"] for w in wanted_list], "connections", "conn_id")
    run_and_exit(module, lambda api: apply(api, module, kind, wanted_list))


if __name__ == "__main__":
    main()
