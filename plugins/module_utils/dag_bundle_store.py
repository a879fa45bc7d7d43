# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Versions of a DAG bundle on a host, shared by the airflow_dag_bundle module and the git_sync role's
airflow-git-sync program (which the role installs next to this file): validating a candidate version with
the host's Airflow, switching the "active" link to it atomically, pruning old versions, cleaning up after an
interrupted run, and reading the Airflow environment file. Standard library only.

Layout of a bundle home:  versions/<id>/ (one folder per version), versions/.incoming-* (a version being
staged), active -> versions/<id> (what Airflow reads), .active-* (the link being swapped in).
Paths are checked with lstat and links are never followed where a link could have been planted: "active"
must be a link (or absent), a version must be a real folder, temporary files are created exclusively.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import json
import os
import shlex
import shutil
import stat
import subprocess
import tempfile

INCOMING = ".incoming-"

# Run with the Airflow venv: import every DAG file of a folder as the DAG processor does for a bundle (the
# folder on sys.path: its modules import each other); print the import errors (paths relative to the folder)
# and the DAG ids as JSON.
VALIDATOR = r"""
import json, sys
from pathlib import Path
from airflow.dag_processing.dagbag import DagBag
folder = Path(sys.argv[1])
sys.path.insert(0, str(folder))
bag = DagBag(dag_folder=str(folder), bundle_path=folder, bundle_name=sys.argv[2], safe_mode=False)
def rel(path):
    return str(Path(path).relative_to(folder)) if str(path).startswith(str(folder)) else str(path)
print(json.dumps({"errors": {rel(k): str(v) for k, v in bag.import_errors.items()}, "dags": sorted(bag.dag_ids)}))
"""


class BundleStoreError(Exception):
    pass


def trusted_folder(path, start=os.sep):
    """Refuse a folder another user than root could swap, before root writes under it: every existing
    component of path below start must be a real folder (no link), owned by root and writable by no one else
    (a user who can write a folder can rename what is in it, and put a link there). Components that do not
    exist yet are left to the caller to create."""
    start, path = os.path.abspath(start), os.path.abspath(path)
    relative = os.path.relpath(path, start)
    if relative == os.curdir:
        return
    if relative.startswith(os.pardir):
        raise BundleStoreError("%s is not below %s" % (path, start))
    current = start
    for part in relative.split(os.sep):
        current = os.path.join(current, part)
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(st.st_mode):
            raise BundleStoreError("%s is not a plain folder (a link?): refusing to write under it" % current)
        if st.st_uid != 0 or st.st_mode & 0o022:
            raise BundleStoreError(
                "%s can be changed by another user than root (owner uid %d, mode %04o): refusing to write under it "
                "as root; keep bundles in folders only root can change" % (current, st.st_uid, stat.S_IMODE(st.st_mode)))


def seal(top, gid=None):
    """Make a tree read-only for everyone but root: regular files 0640 (0750 when executable by their owner),
    folders 0750, no set-id bits; owned by root and group gid when given (as root). Refuses links."""
    entries = [top]
    for dirpath, dirnames, filenames in os.walk(top):
        entries.extend(os.path.join(dirpath, name) for name in dirnames + filenames)
    for path in entries:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode) or not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
            raise BundleStoreError("%s is not a regular file or folder: a bundle holds nothing else" % path)
        if gid is not None:
            os.lchown(path, 0, gid)
        executable = stat.S_ISDIR(st.st_mode) or st.st_mode & stat.S_IXUSR
        os.chmod(path, 0o750 if executable else 0o640)


def read_env_file(path):
    """KEY='value' lines as the base role writes airflow.env (shell quoting); {} when the file is missing."""
    env = {}
    if not path or not os.path.isfile(path):
        return env
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            parsed = shlex.split(value)
            env[key.strip()] = parsed[0] if parsed else ""
    return env


def validate(python, folder, name, timeout=300, env=None, user=None):
    """Import every DAG file of folder with python (the Airflow venv's). Returns {"errors": {file: error},
    "dags": [ids]}; raises BundleStoreError when the validation itself did not finish."""
    command = ["timeout", str(timeout), python, "-c", VALIDATOR, folder, name]
    if user:
        command = ["runuser", "-u", user, "--"] + command
    proc = subprocess.run(command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise BundleStoreError("the validation with %s did not finish (rc %s%s): %s" % (
            python, proc.returncode, ", timed out" if proc.returncode == 124 else "", (proc.stderr or proc.stdout)[-2000:]))


def describe_errors(errors):
    """One line: each failing file with the last line of its error."""
    return "; ".join("%s: %s" % (f, (e.strip().splitlines() or [""])[-1]) for f, e in sorted(errors.items()))


class BundleStore:
    """The versions of one bundle under home."""

    def __init__(self, home):
        self.home = home
        self.versions = os.path.join(home, "versions")
        self.active = os.path.join(home, "active")

    def ensure(self):
        """Create home and versions/ (no links in their place) and remove what an interrupted run left."""
        for path in (self.home, self.versions):
            if not os.path.isdir(path):
                os.makedirs(path, mode=0o755)
            if os.path.islink(path) or not stat.S_ISDIR(os.lstat(path).st_mode):
                raise BundleStoreError("%s is not a plain folder (a link?): refusing to use it" % path)
        for entry in os.listdir(self.versions):
            if entry.startswith(INCOMING):
                self._remove(os.path.join(self.versions, entry))

    def current(self):
        """The version "active" points at, or None. Refuses an "active" that is not a link."""
        try:
            mode = os.lstat(self.active).st_mode
        except OSError:
            return None
        if not stat.S_ISLNK(mode):
            raise BundleStoreError("%s is not a link: refusing to replace it" % self.active)
        return os.path.basename(os.readlink(self.active))

    def path_of(self, version):
        return os.path.join(self.versions, version)

    def has(self, version):
        path = self.path_of(version)
        return os.path.isdir(path) and not os.path.islink(path)

    def staging(self, label=""):
        """A new empty folder beside the versions, for one candidate."""
        path = tempfile.mkdtemp(prefix=INCOMING + label, dir=self.versions)
        os.chmod(path, 0o755)
        return path

    def adopt(self, staging, version):
        """Make a validated staging folder the version (a rename in the same folder)."""
        target = self.path_of(version)
        if not self.has(version):
            os.rename(staging, target)
        self.touch(version)
        return target

    def touch(self, version):
        """Mark a version as the newest (pruning keeps the newest)."""
        os.utime(self.path_of(version), None)

    def kept(self):
        """Versions on disk (real folders only), oldest first."""
        if not os.path.isdir(self.versions):
            return []
        found = []
        for name in os.listdir(self.versions):
            if name.startswith("."):
                continue
            st = os.lstat(self.path_of(name))
            if stat.S_ISDIR(st.st_mode):
                found.append((st.st_mtime, name))
        return [name for mtime, name in sorted(found)]

    def switch(self, version):
        """Point active at versions/<version> with one rename: a reader sees the old tree or the new one."""
        if not self.has(version):
            raise BundleStoreError("version %s of %s is not on disk" % (version, self.home))
        self.current()  # refuses an "active" that is not a link
        while True:
            link = os.path.join(self.home, ".active-%s" % binascii.hexlify(os.urandom(6)).decode())
            try:
                os.symlink(os.path.join("versions", version), link)  # fails if the name exists
                break
            except FileExistsError:
                continue
        os.rename(link, self.active)

    def prune(self, keep, protected=()):
        """Keep the active version, the protected ones and the newest others, keep in all; remove the rest."""
        keep_set = set(p for p in protected if p)
        active = self.current()
        if active:
            keep_set.add(active)
        versions = self.kept()
        for name in reversed(versions):
            if len(keep_set) >= keep:
                break
            keep_set.add(name)
        for name in versions:
            if name not in keep_set:
                self._remove(self.path_of(name))

    def write_json(self, name, data):
        """Replace home/name with data, through an exclusively created temporary file."""
        fd, tmp = tempfile.mkstemp(prefix=".%s-" % name, dir=self.home)
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
            os.chmod(tmp, 0o644)
            os.rename(tmp, os.path.join(self.home, name))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def read_json(self, name, default):
        path = os.path.join(self.home, name)
        if os.path.islink(path):
            return default
        try:
            with open(path) as handle:
                return json.load(handle)
        except (IOError, OSError, ValueError):
            return default

    @staticmethod
    def _remove(path):
        """Remove a folder (never through a link: rmtree refuses one) or a stray file."""
        if os.path.islink(path) or not os.path.isdir(path):
            os.unlink(path)
        else:
            shutil.rmtree(path, ignore_errors=True)
