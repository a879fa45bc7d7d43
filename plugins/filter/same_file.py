# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The same_file filter: whether a file the base role writes is already on the host exactly as the role
would write it, judged from one ansible.builtin.find of the host (get_checksum, follow false) instead of a
stat and a file module run per file. roles/airflow/tasks/probe.yml takes that picture; the write tasks
skip when this answers true and run, as before, otherwise."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: same_file
short_description: Whether a file in a find result has this content, owner, group and mode
version_added: 0.2.0
description:
  - Looks up O(path) in the C(files) of an M(ansible.builtin.find) result taken with C(get_checksum=true) and
    C(follow=false), and answers true only when it is a regular file (not a link) whose SHA-1 equals that of
    O(content) encoded as UTF-8 (what M(ansible.builtin.template) and M(ansible.builtin.copy) write) and whose
    owner, group and mode are the ones given.
  - Anything else (the file missing from the result, a link, another checksum, owner, group or mode, an empty or
    missing result) answers false, so a task guarded by it runs and writes the file as it always did.
positional: path, content, owner, group, mode
options:
  _input:
    description: The registered result of M(ansible.builtin.find), or its C(files) list.
    type: raw
    required: true
  path:
    description: Absolute path of the file.
    type: str
    required: true
  content:
    description: The text the file should hold.
    type: str
    required: true
  owner:
    description: User name that should own the file.
    type: str
    required: true
  group:
    description: Group name of the file.
    type: str
    required: true
  mode:
    description: Octal mode as a string, such as V(0644).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Write airflow.cfg unless it is already there as rendered
  ansible.builtin.template:
    src: airflow.cfg.j2
    dest: /etc/airflow/airflow.cfg
    owner: root
    group: airflow
    mode: "0640"
  when: >-
    not (probe_files | airflowops.airflow.same_file('/etc/airflow/airflow.cfg',
         lookup('ansible.builtin.template', 'airflow.cfg.j2'), 'root', 'airflow', '0640'))
"""

RETURN = r"""
_value:
  description: True when the file is there with exactly this content, owner, group and mode.
  type: bool
"""

import hashlib

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_bytes


def _entry(found, path, name):
    """The find result's entry of path (None when it has none) and the mode written as find writes it."""
    if isinstance(found, dict):
        found = found.get("files") or []
    if not isinstance(found, list):
        raise AnsibleFilterError("%s expects a find result or its files list, got %s" % (name, type(found).__name__))
    for entry in found:
        if isinstance(entry, dict) and entry.get("path") == path:
            return entry
    return None


def _owned(entry, owner, group, mode):
    """Not a link, and this owner, group and mode (an octal string; find writes 0644)."""
    mode = str(mode)
    return (
        not entry.get("islnk")
        and entry.get("pw_name") == owner
        and entry.get("gr_name") == group
        and entry.get("mode") == (mode if mode.startswith("0") else "0" + mode)
    )


def same_file(found, path, content, owner, group, mode):
    """True when the find result holds path as a regular file with this content, owner, group and mode."""
    entry = _entry(found, path, "same_file")
    return bool(
        entry
        and entry.get("isreg")
        and entry.get("checksum") == hashlib.sha1(to_bytes(content, errors="surrogate_or_strict")).hexdigest()
        and _owned(entry, owner, group, mode)
    )


def same_dir(found, path, owner, group, mode):
    """True when the find result holds path as a directory (not a link) with this owner, group and mode."""
    entry = _entry(found, path, "same_dir")
    return bool(entry and entry.get("isdir") and _owned(entry, owner, group, mode))


class FilterModule(object):
    """same_file, same_dir"""

    def filters(self):
        return {"same_file": same_file, "same_dir": same_dir}
