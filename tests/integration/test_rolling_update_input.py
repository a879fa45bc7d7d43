"""rolling_update.yml, rollback.yml and backup.yml refuse bad input before anything changes (the playbooks themselves,
against a local inventory: nothing is installed, no service is touched)."""

from __future__ import annotations

import re

import pytest

INVENTORY = """\
all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    airflow_secrets_file: %(tmp)s/secrets.yml
  children:
    airflow:
      children:
        airflow_scheduler:
          hosts:
            node1:
    airflow_database:
      hosts:
        node1:
"""

CASES = [
    ("batch of zero", "rolling_update.yml", ["-e", "rolling_update_batch=0"], "rolling_update_batch must be 1 or more"),
    ("target without a lock", "rolling_update.yml", ["-e", "airflow_version=9.9.9"], "No lock file"),
    ("negative drain timeout", "rolling_update.yml", ["-e", "rolling_update_drain_timeout=-1"],
     "rolling_update_drain_timeout 0 or"),
    ("rollback with no update recorded", "rollback.yml", [], "Nothing to roll back: no rolling update is recorded"),
    ("backup with the secrets file in clear and no vault password", "backup.yml", [],
     "is not vault-encrypted: pass -e backup_vault_password_file=FILE"),
]


@pytest.mark.parametrize(("playbook", "args", "expect"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_before_any_change(run_playbook, tmp_path, playbook, args, expect):
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(INVENTORY % {"tmp": tmp_path})
    # The rollback record lives in the config folder; this one is empty.
    extra = ["-e", "airflow_config_dir=%s/etc" % tmp_path]
    # The first run generates the cluster's secrets on the controller, as any first playbook would; the
    # second finds them and must change nothing.
    run_playbook("../../playbooks/" + playbook, "-i", str(inventory), *extra, *args)
    result = run_playbook("../../playbooks/" + playbook, "-i", str(inventory), *extra, *args)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert expect in re.sub(r"\s+", " ", output), output[-3000:]
    assert not re.search(r"changed=[1-9]", output), output[-3000:]


WORKERS = """\
all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  children:
    airflow_worker:
      hosts:
        worker1:
        worker2:
"""


@pytest.mark.parametrize("seed", ["0", "1", "2", "3", "4", "5"])
@pytest.mark.parametrize(("args", "expect"), [(["-e", "rolling_update_canary=worker2"], "worker2"), ([], "worker1")],
                         ids=["chosen", "first"])
def test_canary_pick_keeps_the_order(run_playbook, tmp_path, monkeypatch, seed, args, expect):
    """The canary is rolling_update_canary, else the inventory's first worker, under any string hashing (a set filter
    in the pick once made it the other worker in about half of the processes)."""
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(WORKERS)
    monkeypatch.setenv("PYTHONHASHSEED", seed)
    result = run_playbook("canary_pick.yml", "-i", str(inventory), *args)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert re.findall(r"canary=(\w+)", output) == [expect], output[-3000:]
