# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Controller side of airflow_dag_bundle: sends src (a folder, packed as a tar.gz, or an archive as it is) to
the host's temporary folder, then runs the module there with src pointing at the copy."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import tarfile
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = dict(self._task.args)
        if args.get("remote_src") or args.get("state", "present") != "present" or not args.get("src"):
            result.update(self._execute_module(module_args=args, task_vars=task_vars))
            return result

        src = self._find_needle("files", args["src"])
        local_tmp = tempfile.mkdtemp(prefix="airflowops-bundle-")
        try:
            if os.path.isdir(src):
                packed = os.path.join(local_tmp, "bundle.tar.gz")
                with tarfile.open(packed, "w:gz") as archive:
                    for entry in sorted(os.listdir(src)):
                        archive.add(os.path.join(src, entry), arcname=entry,
                                    filter=lambda info: None if "__pycache__" in info.name.split("/") else info)
                src, suffix = packed, ".tar.gz"
            else:
                suffix = next((s for s in ARCHIVE_SUFFIXES if src.endswith(s)), None)
                if suffix is None:
                    raise AnsibleActionFail("src %s is neither a folder nor an archive (%s)" % (src, ", ".join(ARCHIVE_SUFFIXES)))
            if not self._connection._shell.tmpdir:
                self._make_tmp_path()
            remote = self._connection._shell.join_path(self._connection._shell.tmpdir, "bundle" + suffix)
            self._transfer_file(src, remote)
            self._fixup_perms2((self._connection._shell.tmpdir, remote))
            args["src"] = remote
            result.update(self._execute_module(module_name="airflowops.airflow.airflow_dag_bundle", module_args=args,
                                               task_vars=task_vars))
        except AnsibleActionFail as e:
            result.update(failed=True, msg=to_text(e))
        finally:
            shutil.rmtree(local_tmp, ignore_errors=True)
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
