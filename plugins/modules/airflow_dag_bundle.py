#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airflow_dag_bundle
short_description: Deploy, validate, activate and roll back versioned bundles of DAG files
version_added: 0.1.0
description:
  - Copies a bundle of DAG files (a directory or an archive on the controller) to the host into a version
    directory named by the hash of its content, imports every DAG file with the host's Airflow before it is
    used (nothing is activated when any file fails), then switches the bundle's C(active) symlink to it in one
    atomic rename, so a DAG processor never sees half a bundle.
  - Keeps the last O(keep) versions and rolls back to the previous one or a named one with O(state=rollback).
  - The same content deploys as the same version, so reruns report no change.
  - Returns RV(bundle_config), the entry of C([dag_processor] dag_bundle_config_list) that makes Airflow read the
    bundle (a LocalDagBundle on the C(active) path); give it to the base role's C(airflow_dag_bundles).
author: airflowops.airflow contributors (@airflowops)
options:
  name:
    description: Name of the bundle (letters, digits, C(_), C(.), C(-); not starting with C(.) or C(-)). Its files live in O(root)/O(name).
    type: str
    required: true
  src:
    description:
      - Directory or archive (C(.tar), C(.tar.gz), C(.tgz), C(.zip)) of DAG files, on the controller (or on the host
        with O(remote_src=true)). Required with O(state=present). Archive members with absolute paths, C(..) or
        links are refused.
    type: path
  remote_src:
    description: O(src) is on the host already.
    type: bool
    default: false
  state:
    description:
      - V(present) deploys O(src) and activates it when it validates. V(rollback) activates an earlier version
        (O(version)).
    type: str
    choices: [present, rollback]
    default: present
  version:
    description:
      - With O(state=rollback), V(previous) (the version active before the current one) or a version id (a prefix of
        at least 8 characters is enough).
    type: str
    default: previous
  root:
    description:
      - Folder holding one subfolder per bundle. Run as root, the module refuses a O(root) with a component that is a
        link or that another user than root can write (the service user could otherwise swap it for a link to any
        folder root then writes to).
    type: path
    default: /var/lib/airflowops/bundles
  keep:
    description: Versions kept per bundle, the active one included; older ones are deleted.
    type: int
    default: 5
  validate:
    description: Import every C(.py) file of a new version with Airflow's DagBag before activating it.
    type: bool
    default: true
  airflow_python:
    description: Python of the Airflow venv used for the validation.
    type: path
    default: /opt/airflow/current/bin/python
  environment_file:
    description: Environment (C(AIRFLOW_HOME), C(AIRFLOW_CONFIG), ...) for the validation, as the services read it.
    type: path
    default: /etc/airflow/airflow.env
  validate_timeout:
    description: Seconds the validation may take.
    type: int
    default: 300
  owner:
    description: The validation runs as this user (as Airflow reads the files, without the right to change them).
    type: str
    default: airflow
  group:
    description:
      - Group that reads the bundle files. Run as root, the files belong to root and this group (files C(0640), or
        C(0750) when executable, folders C(0750)), so that no task run by Airflow can change a version; set-id bits
        from an archive are dropped.
    type: str
    default: airflow
attributes:
  check_mode:
    support: full
    description: Reports the version that would be activated and which files change; validates without activating.
  diff_mode:
    support: full
    description: Lists the files of the active version before and after.
  idempotent:
    support: full
    description: The same content is the same version; deploying it again changes nothing.
"""

EXAMPLES = r"""
- name: Deploy the DAGs of this release
  airflowops.airflow.airflow_dag_bundle:
    name: sales
    src: "{{ playbook_dir }}/../dags/"
  register: sales_bundle

- name: Make Airflow read the bundle
  ansible.builtin.set_fact:
    airflow_dag_bundles: "{{ [sales_bundle.bundle_config] }}"

- name: Back to the version before
  airflowops.airflow.airflow_dag_bundle:
    name: sales
    state: rollback
"""

RETURN = r"""
version:
  description: Id (content hash) of the active version after the task; on a failure, the one active then (none when nothing is).
  returned: always
  type: str
  sample: 3f6a2b1c9d0e4f5a
previous_version:
  description: Id of the version active before the task, if any.
  returned: success
  type: str
path:
  description: The C(active) symlink Airflow reads.
  returned: success
  type: str
  sample: /var/lib/airflowops/bundles/sales/active
files:
  description: Files added, removed and modified compared with the version active before.
  returned: success
  type: dict
  sample: {added: [new_dag.py], removed: [], modified: [sales.py]}
import_errors:
  description: Import errors per file of a version that failed validation (nothing was activated).
  returned: failure
  type: dict
versions:
  description: Versions kept, oldest first.
  returned: success
  type: list
  elements: str
bundle_config:
  description: Entry of C([dag_processor] dag_bundle_config_list) for this bundle.
  returned: success
  type: dict
  sample: {name: sales, classpath: airflow.dag_processing.bundles.local.LocalDagBundle, kwargs: {path: /var/lib/airflowops/bundles/sales/active}}
"""

import grp
import hashlib
import os
import re
import shutil
import stat
import tarfile
import zipfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.airflowops.airflow.plugins.module_utils.dag_bundle_store import (
    BundleStore,
    BundleStoreError,
    describe_errors,
    read_env_file,
    seal,
    trusted_folder,
    validate,
)

# One folder name below root: never "." or ".." (nor a name git or a shell reads as an option).
NAME = re.compile(r"^\w[\w.-]{0,199}$")
ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".zip")
LOCAL_BUNDLE = "airflow.dag_processing.bundles.local.LocalDagBundle"
SKIP_DIRS = {"__pycache__", ".git"}


class BundleError(Exception):
    def __init__(self, msg, **result):
        super(BundleError, self).__init__(msg)
        self.result = result


def tree_files(top):
    """Relative paths of the regular files below top (links refused), sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                raise BundleError("%s is a link; a bundle holds regular files and folders only" % os.path.relpath(full, top))
        for name in filenames:
            if not name.endswith(".pyc"):
                found.append(os.path.relpath(os.path.join(dirpath, name), top))
    return sorted(found)


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_id(top):
    """Version id: hash of every file's path, executable bit and content."""
    digest = hashlib.sha256()
    files = {}
    for rel in tree_files(top):
        full = os.path.join(top, rel)
        files[rel] = file_digest(full)
        executable = bool(os.stat(full).st_mode & stat.S_IXUSR)
        digest.update(("%s\0%d\0%s\n" % (rel, executable, files[rel])).encode("utf-8"))
    return digest.hexdigest()[:16], files


def safe_members(names, is_link):
    for name in names:
        parts = name.replace("\\", "/").split("/")
        if name.startswith("/") or ".." in parts or is_link(name):
            raise BundleError("archive member %r is outside the bundle (absolute, '..' or a link); nothing was changed" % name)


def unpack(src, dest):
    """Copy a folder, or extract an archive, into dest (an empty folder)."""
    if os.path.isdir(src):
        tree_files(src)  # refuses links
        for entry in os.listdir(src):
            if entry in SKIP_DIRS:
                continue
            source = os.path.join(src, entry)
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(dest, entry), ignore=shutil.ignore_patterns(*SKIP_DIRS))
            else:
                shutil.copy2(source, os.path.join(dest, entry))
        return
    if src.endswith(".zip"):
        with zipfile.ZipFile(src) as archive:
            infos = dict((i.filename, i) for i in archive.infolist())
            safe_members(list(infos), lambda n: stat.S_ISLNK(infos[n].external_attr >> 16))
            archive.extractall(dest)
        return
    if src.endswith(ARCHIVE_SUFFIXES):
        with tarfile.open(src) as archive:
            members = dict((m.name, m) for m in archive.getmembers())
            safe_members(list(members), lambda n: not (members[n].isfile() or members[n].isdir()))
            archive.extractall(dest)  # nosec: members checked above
        return
    raise BundleError("src %s is neither a folder nor an archive (%s)" % (src, ", ".join(ARCHIVE_SUFFIXES)))


class Bundle(BundleStore):
    """A bundle's versions (dag_bundle_store) plus the module's history of activations, for rollback."""

    def __init__(self, module):
        self.name = module.params["name"]
        BundleStore.__init__(self, os.path.join(module.params["root"], self.name))

    def history(self):
        return self.read_json("history.json", [])

    def files_of(self, version):
        if not version:
            return {}
        top = self.path_of(version)
        return dict((rel, file_digest(os.path.join(top, rel))) for rel in tree_files(top))

    def activate(self, version):
        self.switch(version)
        self.write_json("history.json", [v for v in self.history() if v != version] + [version])

    def config(self):
        return dict(name=self.name, classpath=LOCAL_BUNDLE, kwargs=dict(path=self.active))


def files_gid(group):
    """The group the files are given to (as root), None when not root or no group is set."""
    if os.geteuid() != 0 or not group:
        return None
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise BundleError("group %s does not exist on this host" % group)


def run_validation(module, folder, name):
    p = module.params
    env = dict(os.environ)
    env.update(read_env_file(p["environment_file"]))
    user = p["owner"] if os.geteuid() == 0 and p["owner"] else None
    try:
        return validate(p["airflow_python"], folder, name, p["validate_timeout"], env=env, user=user)
    except BundleStoreError as e:
        raise BundleError(str(e))


def deploy(module, bundle):
    p = module.params
    bundle.ensure()  # also removes what an interrupted run left
    before = bundle.current()
    staging = bundle.staging()
    try:
        # Only root enters the candidate until it is sealed: an archive's set-id file is never reachable.
        os.chmod(staging, 0o700)
        unpack(p["src"], staging)
        version, new_files = content_id(staging)
        old_files = bundle.files_of(before)
        files = dict(
            added=sorted(set(new_files) - set(old_files)),
            removed=sorted(set(old_files) - set(new_files)),
            modified=sorted(f for f in set(new_files) & set(old_files) if new_files[f] != old_files[f]),
        )
        result = dict(version=version, previous_version=before, path=bundle.active, files=files,
                      bundle_config=bundle.config(), changed=version != before,
                      diff=dict(before="\n".join(sorted(old_files)) + "\n", after="\n".join(sorted(new_files)) + "\n"))
        if version == before:
            return result
        if not bundle.has(version):
            # A new version: root's, read-only for the group (the validation, as the owner, and Airflow read
            # it; no task can change it; no set-id bit from an archive survives). A kept one is already sealed
            # and this copy is thrown away.
            seal(staging, files_gid(p["group"]))
            if p["validate"]:
                report = run_validation(module, staging, bundle.name)
                if report["errors"]:
                    raise BundleError("%d file(s) of bundle %s fail to import; version %s was not activated, %s stays active: %s" % (
                        len(report["errors"]), bundle.name, version, before or "nothing", describe_errors(report["errors"])),
                        import_errors=report["errors"], version=before)
                result["dags"] = report["dags"]
        if module.check_mode:
            return result
        bundle.adopt(staging, version)
        bundle.activate(version)
        bundle.prune(p["keep"], protected=bundle.history()[-2:])
        result["versions"] = bundle.kept()
        return result
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging, ignore_errors=True)


def rollback(module, bundle):
    wanted, before = module.params["version"], bundle.current()
    kept = bundle.kept()
    if wanted == "previous":
        earlier = [v for v in bundle.history() if v != before and v in kept]
        if not earlier:
            raise BundleError("bundle %s has no earlier version to roll back to (kept: %s)" % (bundle.name, ", ".join(kept) or "none"))
        target = earlier[-1]
    else:
        matches = [v for v in kept if v.startswith(wanted)] if len(wanted) >= 8 else []
        if len(matches) != 1:
            raise BundleError("version %r of bundle %s is not one of the kept versions: %s" % (wanted, bundle.name, ", ".join(kept) or "none"))
        target = matches[0]
    result = dict(version=target, previous_version=before, path=bundle.active, bundle_config=bundle.config(),
                  changed=target != before, files=dict(added=[], removed=[], modified=[]))
    if target != before and not module.check_mode:
        bundle.activate(target)
    result["versions"] = kept
    return result


def bundle_current(bundle):
    """The version "active" points at, or None when it cannot be read."""
    try:
        return bundle.current()
    except (BundleStoreError, IOError, OSError):
        return None


def active_now(bundle):
    """What is active after a failure: the switch may have happened before it (a failure writing the history)."""
    version = bundle_current(bundle)
    return "active now: %s" % (version or "nothing")


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            src=dict(type="path"),
            remote_src=dict(type="bool", default=False),
            state=dict(type="str", default="present", choices=["present", "rollback"]),
            version=dict(type="str", default="previous"),
            root=dict(type="path", default="/var/lib/airflowops/bundles"),
            keep=dict(type="int", default=5),
            validate=dict(type="bool", default=True),
            airflow_python=dict(type="path", default="/opt/airflow/current/bin/python"),
            environment_file=dict(type="path", default="/etc/airflow/airflow.env"),
            validate_timeout=dict(type="int", default=300),
            owner=dict(type="str", default="airflow"),
            group=dict(type="str", default="airflow"),
        ),
        required_if=[["state", "present", ["src"]]],
        supports_check_mode=True,
    )
    p = module.params
    if not NAME.match(p["name"]):
        module.fail_json(msg="name %r: use letters, digits, '_', '.' or '-', starting with a letter, digit or '_'" % p["name"])
    if p["keep"] < 2:
        module.fail_json(msg="keep must be at least 2 (the active version and one to roll back to)")
    if p["state"] == "present" and not os.path.exists(p["src"]):
        module.fail_json(msg="src %s does not exist on %s" % (p["src"], "the host" if p["remote_src"] else "the controller"))
    bundle = Bundle(module)
    try:
        if os.geteuid() == 0:
            trusted_folder(p["root"])
        result = deploy(module, bundle) if p["state"] == "present" else rollback(module, bundle)
    except BundleError as e:
        module.fail_json(msg=str(e), **e.result)
    except (BundleStoreError, IOError, OSError, tarfile.TarError, zipfile.BadZipfile) as e:
        module.fail_json(msg="bundle %s: %s; %s" % (p["name"], e, active_now(bundle)), version=bundle_current(bundle))
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
