"""inventories/environments/*: each environment's connection definitions decrypt with the vault password and
render, and differ between environments; playbooks/objects.yml passes a syntax check against them."""

from __future__ import annotations

import json
import os
import subprocess

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENVIRONMENTS = REPO / "inventories" / "environments"
VAULT_PASSWORD = ENVIRONMENTS / "demo-vault-password.txt"


def _ansible(*args):
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_COLLECTIONS_PATH=str(REPO / ".collections"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json")
    return subprocess.run(list(args), cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)


def _rendered(environment):
    result = _ansible("ansible", "-i", str(ENVIRONMENTS / environment), "all", "-c", "local",
                      "--vault-password-file", str(VAULT_PASSWORD), "-m", "ansible.builtin.debug",
                      "-a", "msg={{ airflow_connections }}")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(result.stdout)["plays"][0]["tasks"][0]["hosts"]


@pytest.mark.parametrize("environment", ["dev", "staging", "production"])
def test_vaulted_connections_render(environment):
    (host, outcome), = _rendered(environment).items()
    connections = {c["conn_id"]: c for c in outcome["msg"]}
    assert connections["sales_db"]["password"] == f"{environment}-sales-password-change-me"
    assert f"{environment}-smtp%2Fpassword-change-me@" in connections["alerts_smtp"]["uri"]
    assert (ENVIRONMENTS / environment / "group_vars" / "all" / "vault.yml").read_text().startswith("$ANSIBLE_VAULT;")


def test_environments_differ():
    hosts = {env: next(iter(_rendered(env).values()))["msg"][0]["host"] for env in ("dev", "staging", "production")}
    assert len(set(hosts.values())) == 3


def test_objects_playbook_syntax():
    result = _ansible("ansible-playbook", "-i", str(ENVIRONMENTS / "production"), "--syntax-check",
                      "--vault-password-file", str(VAULT_PASSWORD), "playbooks/objects.yml")
    assert result.returncode == 0, result.stdout + result.stderr
