"""The same_file filter: true only for a regular file with exactly this content, owner, group and mode."""

from __future__ import annotations

import hashlib

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.airflowops.airflow.plugins.filter.same_file import same_file

CONTENT = "[core]\nexecutor = LocalExecutor\nnon-ascii = \u00e9\n"


def entry(**overrides):
    found = {
        "path": "/etc/airflow/airflow.cfg",
        "isreg": True,
        "islnk": False,
        "checksum": hashlib.sha1(CONTENT.encode("utf-8")).hexdigest(),
        "pw_name": "root",
        "gr_name": "airflow",
        "mode": "0640",
    }
    found.update(overrides)
    return found


def test_same_file_as_written():
    assert same_file({"files": [entry()]}, "/etc/airflow/airflow.cfg", CONTENT, "root", "airflow", "0640")
    assert same_file([entry()], "/etc/airflow/airflow.cfg", CONTENT, "root", "airflow", "640")


@pytest.mark.parametrize(
    "found, content, owner, group, mode",
    [
        ([entry()], CONTENT + "x", "root", "airflow", "0640"),  # other content
        ([entry()], CONTENT.rstrip("\n"), "root", "airflow", "0640"),  # a trailing newline counts
        ([entry(pw_name="airflow")], CONTENT, "root", "airflow", "0640"),
        ([entry(gr_name="root")], CONTENT, "root", "airflow", "0640"),
        ([entry(mode="0644")], CONTENT, "root", "airflow", "0640"),
        ([entry(islnk=True, isreg=False, checksum=None)], CONTENT, "root", "airflow", "0640"),  # a link
        ([entry(path="/etc/airflow/other.cfg")], CONTENT, "root", "airflow", "0640"),  # not in the result
        ([], CONTENT, "root", "airflow", "0640"),
        ({}, CONTENT, "root", "airflow", "0640"),  # a probe cleared after a health wait
    ],
)
def test_anything_else_is_not_the_same(found, content, owner, group, mode):
    assert not same_file(found, "/etc/airflow/airflow.cfg", content, owner, group, mode)


def test_not_a_find_result():
    with pytest.raises(AnsibleFilterError, match="find result"):
        same_file("files", "/etc/airflow/airflow.cfg", CONTENT, "root", "airflow", "0640")


def test_same_dir():
    from ansible_collections.airflowops.airflow.plugins.filter.same_file import same_dir

    folder = {"path": "/var/lib/airflow", "isdir": True, "islnk": False, "pw_name": "airflow", "gr_name": "airflow",
              "mode": "0750"}
    assert same_dir({"files": [folder]}, "/var/lib/airflow", "airflow", "airflow", "0750")
    assert not same_dir([folder], "/var/lib/airflow", "root", "airflow", "0750")
    assert not same_dir([folder], "/var/lib/airflow", "airflow", "airflow", "0755")
    # a link planted where the folder was: never the same, so the file task runs (and refuses it, follow: false)
    assert not same_dir([dict(folder, isdir=False, islnk=True)], "/var/lib/airflow", "airflow", "airflow", "0750")
    assert not same_dir([], "/var/lib/airflow", "airflow", "airflow", "0750")
    assert not same_dir({}, "/var/lib/airflow", "airflow", "airflow", "0750")
