"""Shared helpers: run ansible-playbook from the repository with the collection on its path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def run_playbook(tmp_path):
    def _run(playbook: str, *args: str) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env.update(
            ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
            ANSIBLE_COLLECTIONS_PATH=str(REPO / ".collections"),
            ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
            ANSIBLE_NOCOLOR="1",
        )
        return subprocess.run(
            ["ansible-playbook", str(REPO / "tests" / "playbooks" / playbook), *args],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
        )

    return _run
