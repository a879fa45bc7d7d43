# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Declarative sets of Airflow objects (connections, variables, pools) applied with one bulk PATCH.

A Kind describes one object type: its collection, id field, how a wanted object becomes an API entity,
and which fields are compared. ObjectSet reads what exists, plans create / update / delete actions,
applies them in one call (not in check mode) and reports what changed, with secrets masked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six import string_types

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_api import (
    API_ARGUMENT_SPEC,
    REDACTED,
    AirflowAPI,
    AirflowAPIError,
)

MASK = "********"

# The names whose values Airflow hides (a variable's key, a key of a connection's extra, a key inside a JSON
# value): the name, lowered and with runs of non-word characters as "_", contains one of these, or one of
# [core] sensitive_var_conn_names (the modules' sensitive_names). The list of Airflow 3.3.2
# (airflow/_shared/secrets_masker/secrets_masker.py, DEFAULT_SENSITIVE_FIELDS and should_hide_value_for_key).
SENSITIVE_FIELDS = frozenset((
    "access_key", "access_token", "api_key", "apikey", "auth_header", "authorization", "bearer", "connection_string",
    "dsn", "passphrase", "passwd", "password", "private_key", "proxy", "proxy_password", "proxies", "secret",
    "service_account", "service_key", "token", "keyfile_dict", "webhook_url",
))


# The option of the modules whose objects hold secrets (connections, variables); documented by the doc fragment
# airflowops.airflow.airflow_api.sensitive.
SENSITIVE_NAMES_OPTION = dict(sensitive_names=dict(type="list", elements="str", default=[], no_log=False))


def sensitive_names_rule(extra_names=()):
    """The test "would Airflow hide the value under this name?", with [core] sensitive_var_conn_names added."""
    fields = SENSITIVE_FIELDS | frozenset(n.strip().lower() for n in extra_names or () if n and n.strip())

    def sensitive(name):
        if not isinstance(name, string_types):
            return False
        normalized = re.sub(r"\W+", "_", name.strip().lower())
        return any(field in normalized for field in fields)

    return sensitive


def sensitive_strings(value, sensitive, hidden=False):
    """The texts (numbers as text) in value that Airflow would hide: all of them when hidden, else those under
    a key with a sensitive name, at any depth. For module.no_log_values, which Ansible removes from every
    returned value and from the logged invocation."""
    if isinstance(value, dict):
        found = set()
        for key, item in value.items():
            found |= sensitive_strings(item, sensitive, hidden or sensitive(key))
        return found
    if isinstance(value, (list, tuple)):
        found = set()
        for item in value:
            found |= sensitive_strings(item, sensitive, hidden)
        return found
    if hidden and value is not None and not isinstance(value, bool) and value != REDACTED:
        text = to_text(value)
        return set([text]) if text else set()
    return set()


def compare_redacted(wanted, current):
    """Compare a wanted value with one the API returned, where the API may have put REDACTED in place of
    secrets (a whole value, or values inside mappings and lists). Returns (equal, unknown): unknown is
    True when a redacted part hides whether they are equal."""
    if current == REDACTED and wanted is not None:
        return True, True
    if isinstance(wanted, dict) and isinstance(current, dict):
        if set(wanted) != set(current):
            return False, False
        results = [compare_redacted(wanted[k], current[k]) for k in wanted]
        return all(r[0] for r in results), any(r[1] for r in results)
    if isinstance(wanted, list) and isinstance(current, list):
        if len(wanted) != len(current):
            return False, False
        results = [compare_redacted(w, c) for w, c in zip(wanted, current)]
        return all(r[0] for r in results), any(r[1] for r in results)
    return wanted == current, False


def mask_secrets(value, secret_keys=(), sensitive=None):
    """A copy of value for diff output: REDACTED parts, the named keys and (with sensitive, a rule from
    sensitive_names_rule) every key with a sensitive name, at any depth, shown as MASK."""
    if isinstance(value, dict):
        return dict((k, MASK if v is not None and (k in secret_keys or (sensitive is not None and sensitive(k)))
                     else mask_secrets(v, secret_keys, sensitive)) for k, v in value.items())
    if isinstance(value, list):
        return [mask_secrets(v, secret_keys, sensitive) for v in value]
    return MASK if value == REDACTED else value


class Kind:
    """One type of object. Subclasses set the class attributes and implement wanted_fields / current_fields."""

    collection = None  # REST collection, e.g. "connections"
    id_field = None  # id in request bodies and GET answers
    noun = None  # for messages
    secret_fields = ()  # fields hidden in diffs; their stored value cannot be read back
    protected = ()  # ids never deleted by purge

    def __init__(self, sensitive_names=()):
        self.sensitive = sensitive_names_rule(sensitive_names)

    def secret_fields_of(self, oid):
        """Fields of the object with this id hidden in diffs (the class's secret_fields, by default)."""
        return self.secret_fields

    def secret_values(self, wanted):
        """The texts of a wanted object that Airflow would hide, to keep out of every output."""
        return sensitive_strings(self.wanted_fields(wanted), self.sensitive)

    def entity(self, wanted):
        """Request body of one object (create and update), secrets included."""
        raise NotImplementedError

    def wanted_fields(self, wanted):
        """field -> value as the API would return it (for comparison)."""
        raise NotImplementedError

    def current_fields(self, current, wanted=None):
        """field -> value of an object from a GET answer, in the form of wanted_fields (wanted: the wanted
        object with the same id, when there is one)."""
        raise NotImplementedError

    def merge_unknown_secrets(self, entity, mask, unknown, current):
        """Adjust an update entity and its mask so that secrets that cannot be compared are left as stored
        (update_secrets on_create). Default: drop those fields from the mask."""
        return entity, [f for f in mask if f not in unknown]


class ObjectSet:
    def __init__(self, api, kind, check_mode=False):
        self.api = api
        self.kind = kind
        self.check_mode = check_mode

    def plan(self, wanted_list, state, purge, update_secrets):
        existing = dict((obj[self.kind.id_field], obj) for obj in self.api.list_all(self.kind.collection))
        plan = dict(create=[], update=[], delete=[], purge=[], unchanged=[], before={}, after={}, unknown_secrets=[])
        wanted_ids = set()
        for wanted in wanted_list:
            oid = wanted[self.kind.id_field]
            wanted_ids.add(oid)
            current = existing.get(oid)
            if state == "absent":
                if current is not None:
                    plan["delete"].append(oid)
                    plan["before"][oid] = self._masked(oid, self.kind.current_fields(current))
                continue
            want = self.kind.wanted_fields(wanted)
            if current is None:
                plan["create"].append(self.kind.entity(wanted))
                plan["after"][oid] = self._masked(oid, want)
                continue
            have = self.kind.current_fields(current, wanted)
            mask, unknown = [], []
            for field in sorted(want):
                equal, hidden = compare_redacted(want[field], have.get(field))
                if not equal:
                    mask.append(field)
                elif hidden:
                    unknown.append(field)
            if unknown and update_secrets == "always":
                mask.extend(unknown)
                plan["unknown_secrets"].append(oid)
            entity = self.kind.entity(wanted)
            if update_secrets != "always":
                entity, mask = self.kind.merge_unknown_secrets(entity, mask, unknown, have)
            if mask:
                plan["update"].append((entity, sorted(set(mask))))
                plan["before"][oid] = self._masked(oid, have)
                plan["after"][oid] = self._masked(oid, want)
            else:
                plan["unchanged"].append(oid)
        if purge:
            for oid in sorted(existing):
                if oid not in wanted_ids and oid not in self.kind.protected:
                    plan["purge"].append(oid)
                    plan["before"][oid] = self._masked(oid, self.kind.current_fields(existing[oid]))
        return plan

    def _masked(self, oid, fields):
        return mask_secrets(fields, self.kind.secret_fields_of(oid), self.kind.sensitive)

    def actions(self, plan):
        actions = []
        if plan["create"]:
            actions.append(dict(action="create", entities=plan["create"], action_on_existence="fail"))
        by_mask = {}
        for entity, mask in plan["update"]:
            by_mask.setdefault(tuple(mask), []).append(entity)
        for mask in sorted(by_mask):
            actions.append(dict(action="update", entities=by_mask[mask], update_mask=list(mask), action_on_non_existence="fail"))
        deletes = plan["delete"] + plan["purge"]
        if deletes:
            actions.append(dict(action="delete", entities=deletes, action_on_non_existence="skip"))
        return actions

    def apply(self, wanted_list, state="present", purge=False, update_secrets="on_create"):
        """Plan, apply in one bulk call unless in check mode, and return the module result."""
        plan = self.plan(wanted_list, state, purge, update_secrets)
        actions = self.actions(plan)
        created = [e[self.kind.id_field] for e in plan["create"]]
        updated = [e[self.kind.id_field] for e, dummy in plan["update"]]
        result = dict(
            changed=bool(actions), created=created, updated=updated, deleted=plan["delete"], purged=plan["purge"],
            unchanged=plan["unchanged"],
            diff=dict(before=json.dumps(plan["before"], indent=2, sort_keys=True) + "\n",
                      after=json.dumps(plan["after"], indent=2, sort_keys=True) + "\n"),
        )
        if actions and not self.check_mode:
            body, errors = self.api.bulk(self.kind.collection, actions)
            done = set()
            for name in ("create", "update", "delete"):
                done.update((body.get(name) or {}).get("success") or [])
            expected = set(created + updated)
            missing = sorted(expected - done)
            if errors or missing:
                raise AirflowAPIError(
                    "Airflow did not apply the whole %s change. Refused: %s. Not applied: %s. Applied: %s." % (
                        self.kind.noun, "; ".join(errors) or "nothing reported",
                        ", ".join(missing) or "none", ", ".join(sorted(done)) or "none"),
                    body=body)
        return result


def object_set_module(id_option, list_option, item_options, noun, **extra_spec):
    """The AnsibleModule of a module that takes one object (item_options, named by id_option) or a list of
    them (list_option), with state and purge. Returns the module and the wanted items."""
    argument_spec = dict(API_ARGUMENT_SPEC)
    argument_spec.update(item_options)
    argument_spec[list_option] = dict(type="list", elements="dict", options=item_options)
    argument_spec["state"] = dict(type="str", default="present", choices=["present", "absent"])
    argument_spec["purge"] = dict(type="bool", default=False)
    argument_spec.update(extra_spec)
    module = AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[[id_option, list_option]],
        required_one_of=[[id_option, list_option]],
    )
    p = module.params
    single = p[list_option] is None
    items = [dict((k, p[k]) for k in item_options)] if single else p[list_option]
    if p["purge"] and (single or not items or p["state"] == "absent"):
        module.fail_json(msg="purge needs the list form (%s) with at least one %s, and state=present." % (list_option, noun))
    return module, items


def hide_secret_values(module, kind, wanted_list):
    """Keep every value Airflow would hide out of the module's output: its result, diff and the invocation
    that -vvv and callbacks log (Ansible removes module.no_log_values from all of them)."""
    for wanted in wanted_list:
        module.no_log_values.update(kind.secret_values(wanted))


def fail_on_duplicates(module, ids, list_option, id_option):
    duplicates = sorted(set(i for i in ids if ids.count(i) > 1))
    if duplicates:
        module.fail_json(msg="%s lists these %s more than once: %s" % (list_option, id_option, ", ".join(duplicates)))


def run_and_exit(module, work):
    """Run work(api) -> result; API errors become a failure with their message. Drops the diff unless asked."""
    try:
        result = work(AirflowAPI.from_module(module))
    except AirflowAPIError as e:
        module.fail_json(msg=str(e))
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)
