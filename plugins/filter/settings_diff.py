# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The settings_diff filter: what differs between a configuration file on a host and the file a run would write,
setting by setting, with the values of secrets hidden. The base role writes airflow.cfg, the environment file and the
Simple auth passwords with diffs off (they hold secrets); with --diff (a drift check: --check --diff) it prints this
instead, so that the setting changed by hand shows without the Fernet key or a password reaching the output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: settings_diff
short_description: The settings that differ between two versions of an INI or KEY=VALUE file, secret values hidden
version_added: 0.6.0
description:
  - Parses O(_input) (the file as it is) and O(wanted) (as a run would write it) into settings, C([section] key = value)
    lines (C(airflow.cfg)) or C(KEY=VALUE) lines (an environment file; C(export) and quotes allowed), and lists each
    setting that was added, removed or changed, one line each, in file order.
  - The value of a setting whose name looks like a secret (it holds C(password), C(passwd), C(secret), C(token),
    C(key), C(credential), C(conn), C(dsn) or C(backend), and does not end in C(_file), C(_path), C(_folder) or
    C(_dir)), or whose value holds a user and password in a URL (C(scheme://user:pass@host)), is never printed; the
    line says only that it changed.
  - A file that is not settings (JSON, certificates) gives one line, C(content differs), and never its content.
positional: wanted, path
options:
  _input:
    description: The file as it is on the host (empty when it is not there).
    type: str
    required: true
  wanted:
    description: The file as a run would write it.
    type: str
    required: true
  path:
    description: The file's path; a name ending in C(.json), C(.pem) or C(.crt) is compared as a whole.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: The settings that differ in airflow.cfg (secret values hidden)
  ansible.builtin.debug:
    msg: "{{ found_text | airflowops.airflow.settings_diff(wanted_text, '/etc/airflow/airflow.cfg') }}"
"""

RETURN = r"""
_value:
  description:
    - One line per setting that differs, its name then its old and new values (V([core] parallelism) then V("7" -> "32")),
      or only V(changed (secret value hidden)) for a secret; empty when the settings are the same.
  type: list
  elements: str
"""

import json
import re

from ansible.module_utils.common.text.converters import to_text

SECRET_NAME = re.compile(r"pass(word|wd)?|secret|token|key|credential|conn|dsn|backend", re.IGNORECASE)
# Names of paths (simple_auth_manager_passwords_file, ssl_key...): a path is no secret; its value shows.
PATH_NAME = re.compile(r"(_file|_path|_folder|_dir)$", re.IGNORECASE)
SECRET_VALUE = re.compile(r"://[^/\s@]*:[^/\s@]*@")
WHOLE_FILE = (".json", ".pem", ".crt", ".key")


def _settings(text):
    """[(name, value)] in file order: "[section] key" for INI lines, "KEY" for KEY=VALUE lines."""
    section = None
    found = []
    for raw in to_text(text or "").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        header = re.match(r"^\[([^\]]+)\]$", line)
        if header:
            section = header.group(1).strip()
            continue
        pair = re.match(r"^(?:export\s+)?([^=]+?)\s*=\s*(.*)$", line)
        if not pair:
            found.append(("(line) " + line[:40], None))
            continue
        key, value = pair.group(1), pair.group(2)
        if section is None and len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found.append((("[%s] %s" % (section, key)) if section is not None else key, value))
    return found


def _secret(name, *values):
    key = name.split("] ")[-1]
    return (bool(SECRET_NAME.search(key)) and not PATH_NAME.search(key)) or any(
        v and SECRET_VALUE.search(v) for v in values)


def settings_diff(found, wanted, path=""):
    """Lines naming each setting that differs between found and wanted (secret values hidden)."""
    found, wanted = to_text(found or ""), to_text(wanted or "")
    if found == wanted:
        return []
    if to_text(path).endswith(WHOLE_FILE):
        return ["content differs (%s)" % ("not on the host" if not found else "%d lines there, %d wanted" % (
            len(found.splitlines()), len(wanted.splitlines())))]
    found_settings, wanted_settings = _settings(found), _settings(wanted)
    old, new = dict(found_settings), dict(wanted_settings)
    names = [n for n, _v in found_settings + wanted_settings]
    lines = []
    for name in sorted(set(names), key=names.index):
        before, after = old.get(name), new.get(name)
        if name in old and name in new and before == after:
            continue
        if name.startswith("(line) "):
            lines.append("%s: %s" % (name, "removed" if name in old else "added"))
        elif _secret(name, before, after):
            lines.append("%s: %s (secret value hidden)" % (
                name, "added" if name not in old else "removed" if name not in new else "changed"))
        else:
            lines.append("%s: %s -> %s" % (
                name, json.dumps(before) if name in old else "(absent)", json.dumps(after) if name in new else "(absent)"))
    return lines or ["layout differs (comments, order or spacing), no setting does"]


class FilterModule(object):
    """settings_diff"""

    def filters(self):
        return {"settings_diff": settings_diff}
