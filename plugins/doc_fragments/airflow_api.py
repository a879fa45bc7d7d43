# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of an Airflow 3 api-server (or of the load balancer in front of several), without C(/api/v2).
      - Taken from the E(AIRFLOW_API_URL) environment variable when not given.
    type: str
    required: true
  api_token:
    description:
      - Bearer token (JWT) for the API. When not given, the module gets one with O(api_username) and
        O(api_password) through C(POST /auth/token).
      - Taken from E(AIRFLOW_API_TOKEN) when not given.
    type: str
  api_username:
    description:
      - User that logs in through C(POST /auth/token). Taken from E(AIRFLOW_API_USERNAME) when not given.
    type: str
  api_password:
    description:
      - Password of O(api_username). Taken from E(AIRFLOW_API_PASSWORD) when not given.
    type: str
  validate_certs:
    description:
      - Verify the api-server's TLS certificate. Set V(false) only for a lab.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA that signed the api-server's certificate, when the system trust store lacks it.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: int
    default: 30
notes:
  - Runs on the controller (C(delegate_to) V(localhost)) or on any host that reaches the api-server.
  - Needs a user allowed to read and edit the objects (the Admin role of the FAB auth manager).
"""

    SENSITIVE = r"""
options:
  sensitive_names:
    description:
      - Names to treat as secret besides Airflow's own list, as in C([core] sensitive_var_conn_names) (give the
        cluster's value).
      - The value of a variable whose key has a sensitive name, and of a key with a sensitive name in a
        connection's C(extra) or in a JSON value, is masked in the diff and removed from every output, the logged
        invocation included. A name is sensitive when it contains one of these or one of Airflow's (C(password),
        C(secret), C(token), C(api_key), C(access_key), C(private_key), C(passphrase), C(authorization),
        C(connection_string), C(dsn), C(proxy), C(webhook_url), ...; the list of Airflow 3.3.2, matched as Airflow
        does, the name lowered and runs of other characters than letters, digits and C(_) read as C(_)).
    type: list
    elements: str
    default: []
"""

    OBJECT_SET = r"""
options:
  state:
    description:
      - V(present) creates or updates the objects given; V(absent) deletes them.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With V(true) and O(state=present), also delete every object of this type that the list form does not
        name. The deleted ids are returned in RV(purged); run with C(--check) first to see them.
      - Refused with the single-object form and with an empty list, so that a typo cannot delete everything.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reads the current objects and reports what would change, without changing anything.
  diff_mode:
    support: full
    description: Shows the objects before and after, with secrets masked.
  idempotent:
    support: partial
    description: A rerun with the same input reports no change.
    details:
      - Not with C(update_password=always) (connections) or C(update_secrets=always) (variables) for objects whose
        secrets the API hides; those are sent, and reported changed, on every run.
"""

    # The modules that wait for a state by reading the API again (airflow_dag_run, airflow_edge_worker).
    POLL = r"""
options:
  poll_interval:
    description: Seconds between two reads while waiting.
    type: float
    default: 5
"""

    # The modules that only read (airflow_task_instance_info, airflow_task_queues).
    READ_ONLY = r"""
attributes:
  check_mode:
    support: full
    description: Reads only.
  diff_mode:
    support: none
    description: Reads only.
  idempotent:
    support: full
    description: Reads only.
"""
