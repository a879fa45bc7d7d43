"""The built collection holds what a user needs, and its playbooks and roles resolve by FQCN once installed."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("collection")
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1", PAGER="cat", ANSIBLE_PAGER="cat")
    subprocess.run(["ansible-galaxy", "collection", "build", "--output-path", str(work), str(REPO)],
                   check=True, capture_output=True, env=env)
    tarball = next(work.glob("airflowops-airflow-*.tar.gz"))
    target = work / "collections"
    subprocess.run(["ansible-galaxy", "collection", "install", "--force", "--no-deps", "-p", str(target), str(tarball)],
                   check=True, capture_output=True, env=env)
    # Only the installed copy (and the collections bundled with ansible) are on the path; none of the
    # repository's settings apply.
    (work / "ansible.cfg").write_text("[defaults]\n")
    env.update(ANSIBLE_COLLECTIONS_PATH=str(target), ANSIBLE_CONFIG=str(work / "ansible.cfg"))
    return tarball, env, work


def test_tarball_leaves_out_tests_and_tooling(installed):
    tarball = installed[0]
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
    assert "roles/airflow/files/requirements/airflow-3.3.2.txt" in names
    assert "playbooks/single_node.yml" in names
    for prefix in ("molecule/", "tests/", "benchmarks/", "scripts/", ".venv/", ".collections/", ".lab/", ".ansible/",
                   "requirements/"):
        assert not [n for n in names if n.startswith(prefix)], prefix


def test_playbook_runs_by_fqcn_from_the_install(installed):
    env, work = installed[1:]
    result = subprocess.run(
        ["ansible-playbook", "-i", str(REPO / "tests" / "inventory" / "hosts.yml"), "--syntax-check",
         "airflowops.airflow.single_node"],
        capture_output=True, text=True, env=env, cwd=work, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("role", sorted(p.name for p in (REPO / "roles").iterdir()))
def test_role_docs_come_from_argument_specs(installed, role):
    env, work = installed[1:]
    result = subprocess.run(["ansible-doc", "-t", "role", f"airflowops.airflow.{role}"],
                            capture_output=True, text=True, env=env, cwd=work, check=False)
    assert result.returncode == 0, result.stderr
    assert "ENTRY POINT: *main*" in result.stdout
    specs = yaml.safe_load((REPO / "roles" / role / "meta" / "argument_specs.yml").read_text())
    for option in specs["argument_specs"]["main"]["options"]:
        assert option in result.stdout


@pytest.mark.parametrize("module", sorted(p.stem for p in (REPO / "plugins" / "modules").glob("*.py")))
def test_module_docs_and_examples_from_the_install(installed, module):
    env, work = installed[1:]
    result = subprocess.run(["ansible-doc", f"airflowops.airflow.{module}"],
                            capture_output=True, text=True, env=env, cwd=work, check=False)
    assert result.returncode == 0, result.stderr
    parts = ["OPTIONS", "EXAMPLES", "RETURN VALUES", f"airflowops.airflow.{module}:"]
    if module != "airflow_dag_bundle":
        parts += ["api_url", "check_mode"]  # the REST API modules share the doc fragment
    if module in ("airflow_connection", "airflow_variable", "airflow_pool"):
        parts += ["purge"]  # and the object modules its object_set part
    for part in parts:
        assert part in result.stdout, part
