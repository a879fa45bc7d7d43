"""The bundle store the airflow_dag_bundle module and the airflow-git-sync program share: switching,
pruning, exclusive temporary files, and refusing links planted where a version, the active link or a
temporary file belongs."""

from __future__ import annotations

import os

import pytest

from ansible_collections.airflowops.airflow.plugins.module_utils.dag_bundle_store import (
    BundleStore,
    BundleStoreError,
    read_env_file,
    trusted_folder,
)


@pytest.fixture()
def store(tmp_path):
    s = BundleStore(str(tmp_path / "sales"))
    s.ensure()
    return s


def add(store, version, mtime):
    path = store.adopt(store.staging(), version)
    os.utime(path, (mtime, mtime))


def test_switch_and_prune_keep_the_active_and_the_newest(store):
    for i, v in enumerate(["a", "b", "c", "d"]):
        add(store, v, 1000 + i)
    store.switch("a")
    assert store.current() == "a"
    store.prune(3)
    assert store.kept() == ["a", "c", "d"], "the active version stays although it is the oldest"
    store.prune(2, protected=["c"])
    assert sorted(store.kept()) == ["a", "c"]


def test_interrupted_run_is_cleaned_up(store):
    leftover = store.staging("x-")
    open(os.path.join(leftover, "half.py"), "w").close()
    store.ensure()
    assert os.listdir(store.versions) == []


def test_an_active_that_is_no_link_is_refused(store):
    add(store, "a", 1000)
    os.mkdir(store.active)
    with pytest.raises(BundleStoreError, match="not a link"):
        store.switch("a")


def test_prune_never_follows_a_planted_version_link(store, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious").write_text("x")
    add(store, "a", 1000)
    store.switch("a")
    os.symlink(str(victim), os.path.join(store.versions, "planted"))
    assert "planted" not in store.kept()
    with pytest.raises(BundleStoreError):
        store.switch("planted")
    store.prune(1)
    assert (victim / "precious").read_text() == "x"


def test_write_json_does_not_follow_a_planted_temporary_name(store, tmp_path):
    target = tmp_path / "etc-passwd"
    target.write_text("root:x:0:0\n")
    for name in (".history.json-", "history.json.new"):
        os.symlink(str(target), os.path.join(store.home, name))
    store.write_json("history.json", ["a"])
    assert target.read_text() == "root:x:0:0\n"
    assert store.read_json("history.json", []) == ["a"]


def test_a_home_that_is_a_link_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(str(real), str(tmp_path / "linked"))
    with pytest.raises(BundleStoreError, match="not a plain folder"):
        BundleStore(str(tmp_path / "linked")).ensure()


def test_env_file_is_read_with_shell_quoting(tmp_path):
    env = tmp_path / "airflow.env"
    env.write_text("# comment\nA='x y'\nB='it'\"'\"'s'\nC=\n")
    assert read_env_file(str(env)) == {"A": "x y", "B": "it's", "C": ""}
    assert read_env_file(str(tmp_path / "missing")) == {}


def test_trusted_folder_refuses_links_and_folders_others_can_write(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("ownership checks need root")
    safe = tmp_path / "safe"
    (safe / "bundles").mkdir(parents=True)
    os.chmod(safe, 0o755)
    os.chmod(safe / "bundles", 0o755)
    trusted_folder(str(safe / "bundles" / "missing" / "deeper"), start=str(tmp_path))  # missing parts are fine
    os.chown(safe / "bundles", 1000, 0)
    with pytest.raises(BundleStoreError, match="owner uid 1000"):
        trusted_folder(str(safe / "bundles"), start=str(tmp_path))
    os.chown(safe / "bundles", 0, 0)
    os.chmod(safe, 0o775)
    with pytest.raises(BundleStoreError, match="mode 0775"):
        trusted_folder(str(safe / "bundles"), start=str(tmp_path))
    os.chmod(safe, 0o755)
    (safe / "link").symlink_to(safe / "bundles")
    with pytest.raises(BundleStoreError, match="a link"):
        trusted_folder(str(safe / "link" / "x"), start=str(tmp_path))
