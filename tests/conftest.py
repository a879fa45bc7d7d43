"""Shared helpers: run ansible-playbook from the repository with the collection on its path."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def _ansible_playbook(tmp: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """ansible-playbook from the repository with the collection on its path, its temporary files under tmp."""
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_COLLECTIONS_PATH=str(REPO / ".collections"),
               ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(["ansible-playbook", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.fixture(scope="session")
def ansible_playbook():
    """_ansible_playbook, for module-scoped fixtures."""
    return _ansible_playbook


@pytest.fixture()
def run_playbook(tmp_path):
    def _run(playbook: str, *args: str) -> subprocess.CompletedProcess:
        return _ansible_playbook(tmp_path, str(REPO / "tests" / "playbooks" / playbook), *args)

    return _run


def _preflight_batch(out: Path, cases: dict, inventory: str, host: str) -> dict:
    """Runs the preflight of each case in one ansible-playbook (a playbook start and fact gathering once, not per case):
    cases maps an id to (roles, variables); each case is a block that includes the roles' preflight entry points with
    its variables (include parameters: above the inventory, role defaults and facts of earlier cases) and records what
    refused it. Returns each id's error text, or None when its preflight accepted the input."""
    keys = {"c%d" % i: case_id for i, case_id in enumerate(cases)}
    tasks = []
    for key, case_id in keys.items():
        roles, variables = cases[case_id]
        record = "{{ __bad_input_results | default({}) | combine({'%s': %s}) }}"
        tasks.append({
            "name": "Case %s: %s" % (key, case_id),
            "block": [
                {"name": "Run the preflight of the roles", "ansible.builtin.include_role": {
                    "name": "airflowops.airflow.{{ __bad_input_role }}", "tasks_from": "preflight"},
                 "loop": list(roles), "loop_control": {"loop_var": "__bad_input_role"}, "vars": variables},
                {"name": "Accepted", "ansible.builtin.set_fact": {"__bad_input_results": record % (key, "none")}},
            ],
            "rescue": [{"name": "Refused", "ansible.builtin.set_fact": {"__bad_input_results": record % (
                key, "(ansible_failed_result.argument_errors | default([]) | join(' ')) ~ ' ' ~ ansible_failed_result.msg")}}],
        })
    report = out / "bad_input_results.json"
    tasks.append({"name": "Write what refused each case", "ansible.builtin.copy": {
        "content": "{{ __bad_input_results | to_json }}", "dest": str(report), "mode": "0600"}, "delegate_to": "localhost"})
    playbook = out / "bad_input_batch.yml"
    playbook.write_text(yaml.safe_dump([{"name": "Bad input, case after case", "hosts": host, "gather_facts": True,
                                         "tasks": tasks}], sort_keys=False))
    result = _ansible_playbook(out, "-i", inventory, str(playbook), timeout=1200)
    assert result.returncode == 0 and report.exists(), result.stdout[-4000:] + result.stderr[-2000:]
    results = json.loads(report.read_text())
    return {keys[key]: error for key, error in results.items()}


@pytest.fixture(scope="session")
def preflight_batch():
    """_preflight_batch, for module-scoped fixtures (tests/integration/test_bad_input.py, test_hybrid.py)."""
    return _preflight_batch
