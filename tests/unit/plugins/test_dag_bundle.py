"""airflow_dag_bundle on this machine: deploy, idempotence, validation refusing a broken version, atomic
switch, rollback, pruning, unsafe archives. The validation runs a stand-in airflow.dag_processing.dagbag
(tests/unit/plugins/fake_airflow) that imports each file, as DagBag does."""

from __future__ import annotations

import io
import os
import sys
import tarfile
from pathlib import Path

import pytest

from ansible_collections.airflowops.airflow.plugins.modules import airflow_dag_bundle

FAKE_AIRFLOW = Path(__file__).parent / "fake_airflow"
GOOD = "from datetime import datetime\nDAG_ID = 'sales'\n"


@pytest.fixture()
def bundle(tmp_path, run_module, monkeypatch):
    # The tests run in a temporary folder below /tmp, which every user may write: check only below it.
    real_check = airflow_dag_bundle.trusted_folder
    monkeypatch.setattr(airflow_dag_bundle, "trusted_folder", lambda path: real_check(path, start=str(tmp_path)))
    env = tmp_path / "airflow.env"
    env.write_text("PYTHONPATH='%s'\n" % FAKE_AIRFLOW)
    root = tmp_path / "bundles"

    def deploy(files=None, src=None, **args):
        if files is not None:
            src = tmp_path / ("src-%d" % len(list(tmp_path.glob("src-*"))))
            for rel, text in files.items():
                (src / rel).parent.mkdir(parents=True, exist_ok=True)
                (src / rel).write_text(text)
        full = dict(name="sales", root=str(root), airflow_python=sys.executable, environment_file=str(env),
                    owner="", group="")
        if src is not None:
            full["src"] = str(src)
        full.update(args)
        check, diff = full.pop("check_mode", False), full.pop("diff", False)
        return run_module(airflow_dag_bundle, full, check_mode=check, diff=diff, api=False)

    deploy.root = root
    return deploy


def active(root):
    return os.readlink(root / "sales" / "active")


def test_deploy_then_same_content_is_unchanged(bundle):
    first = bundle({"sales.py": GOOD, "lib/helpers.py": "X = 1\n"})
    assert first["changed"] and first["files"]["added"] == ["lib/helpers.py", "sales.py"]
    assert active(bundle.root) == "versions/" + first["version"]
    assert first["bundle_config"]["kwargs"]["path"] == str(bundle.root / "sales" / "active")
    again = bundle({"sales.py": GOOD, "lib/helpers.py": "X = 1\n"})
    assert not again["changed"] and again["version"] == first["version"]


def test_broken_file_is_refused_and_the_active_version_stays(bundle):
    good = bundle({"sales.py": GOOD})
    bad = bundle({"sales.py": GOOD, "broken.py": "def oops(:\n"})
    assert bad["failed"] and "broken.py" in bad["import_errors"]
    assert "was not activated, %s stays active" % good["version"] in bad["msg"]
    assert active(bundle.root) == "versions/" + good["version"]
    assert [p.name for p in (bundle.root / "sales" / "versions").iterdir()] == [good["version"]]


def test_check_mode_reports_without_switching(bundle):
    good = bundle({"sales.py": GOOD})
    preview = bundle({"sales.py": GOOD + "# v2\n", "new.py": GOOD}, check_mode=True, diff=True)
    assert preview["changed"] and preview["files"] == {"added": ["new.py"], "removed": [], "modified": ["sales.py"]}
    assert "new.py" in preview["diff"]["after"]
    assert active(bundle.root) == "versions/" + good["version"]


def test_rollback_to_previous_and_named_version_and_pruning(bundle):
    versions = [bundle({"sales.py": GOOD + "# %d\n" % i}, keep=3)["version"] for i in range(4)]
    kept = sorted(p.name for p in (bundle.root / "sales" / "versions").iterdir())
    assert kept == sorted(versions[1:]), "keep=3 keeps the three newest"
    back = bundle(state="rollback")
    assert back["changed"] and back["version"] == versions[2] and active(bundle.root) == "versions/" + versions[2]
    named = bundle(state="rollback", version=versions[1][:8])
    assert named["version"] == versions[1]
    unknown = bundle(state="rollback", version="deadbeefdeadbeef")
    assert unknown["failed"] and "not one of the kept versions" in unknown["msg"]


def test_archive_with_paths_outside_the_bundle_is_refused(bundle, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = GOOD.encode()
        info = tarfile.TarInfo("../escape.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    result = bundle(src=archive)
    assert result["failed"] and "outside the bundle" in result["msg"]
    assert not (tmp_path / "escape.py").exists() and not (bundle.root / "sales" / "active").exists()


def test_archive_deploys_like_a_folder(bundle, tmp_path):
    src = tmp_path / "tree"
    src.mkdir()
    (src / "sales.py").write_text(GOOD)
    folder = bundle(src=src)
    archive = tmp_path / "bundle.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(src / "sales.py", arcname="sales.py")
    assert bundle(src=archive)["version"] == folder["version"]


def test_bad_input(bundle, tmp_path):
    assert "does not exist" in bundle(src=tmp_path / "missing")["msg"]
    assert "use letters" in bundle({"a.py": GOOD}, name="bad name")["msg"]
    for escape in ("..", ".", "-x"):  # ".." would put the bundle's folder above root
        assert "use letters" in bundle({"a.py": GOOD}, name=escape)["msg"]
    assert "no earlier version" in bundle(state="rollback")["msg"]


def test_failure_before_the_switch_reports_the_version_still_active(bundle):
    good = bundle({"sales.py": GOOD})
    preview = bundle({"sales.py": GOOD + "# v2\n"}, check_mode=True)
    (bundle.root / "sales" / "versions" / preview["version"]).write_text("")  # a file where the folder goes
    failed = bundle({"sales.py": GOOD + "# v2\n"})
    assert failed["failed"] and failed["msg"].endswith("; active now: %s" % good["version"])
    assert failed["version"] == good["version"] and active(bundle.root) == "versions/" + good["version"]


def test_failure_after_the_switch_reports_the_new_version_active(bundle):
    good = bundle({"sales.py": GOOD})
    history = bundle.root / "sales" / "history.json"
    history.unlink()
    history.mkdir()  # the switch happens, writing the history then fails
    failed = bundle({"sales.py": GOOD + "# v2\n"})
    assert failed["failed"] and failed["version"] != good["version"]
    assert failed["msg"].endswith("; active now: %s" % failed["version"])
    assert active(bundle.root) == "versions/" + failed["version"]


def test_a_root_another_user_can_write_is_refused_before_anything_changes(bundle, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the check runs as root only")
    bundle.root.mkdir(mode=0o755)
    os.chmod(bundle.root, 0o777)  # e.g. a folder the service user owns or may write
    refused = bundle({"sales.py": GOOD})
    assert refused["failed"] and "can be changed by another user than root" in refused["msg"]
    assert list(bundle.root.iterdir()) == []
    os.chmod(bundle.root, 0o755)
    linked = tmp_path / "elsewhere"
    linked.mkdir()
    bundle.root.rmdir()
    bundle.root.symlink_to(linked)
    refused = bundle({"sales.py": GOOD})
    assert refused["failed"] and "is not a plain folder (a link?)" in refused["msg"]
    assert list(linked.iterdir()) == []


def test_versions_are_read_only_and_lose_set_id_bits(bundle, tmp_path):
    src = tmp_path / "src-setid"
    (src / "bin").mkdir(parents=True)
    (src / "sales.py").write_text(GOOD)
    (src / "bin" / "tool").write_text("#!/bin/sh\n")
    os.chmod(src / "bin" / "tool", 0o4777)
    os.chmod(src / "sales.py", 0o666)
    done = bundle(src=src)
    top = bundle.root / "sales" / "versions" / done["version"]
    modes = {p.relative_to(top).as_posix(): oct(os.lstat(p).st_mode & 0o7777) for p in [top] + list(top.rglob("*"))}
    assert modes == {".": "0o750", "bin": "0o750", "bin/tool": "0o750", "sales.py": "0o640"}


def test_the_candidate_is_closed_to_others_until_it_is_sealed(bundle, tmp_path, monkeypatch):
    seen = {}
    real_unpack = airflow_dag_bundle.unpack

    def unpack(src, dest):
        seen["mode"] = os.stat(dest).st_mode & 0o777
        return real_unpack(src, dest)

    monkeypatch.setattr(airflow_dag_bundle, "unpack", unpack)
    bundle({"sales.py": GOOD})
    assert seen["mode"] == 0o700
