"""Preflight refuses bad input with a message naming what to fix (tests/playbooks/bad_input.yml)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

CASES = [
    ("unknown executor", "airflow", {"airflow_executor": "SequentialExecutor"}, "airflow_executor"),
    ("port that is not a number", "airflow", {"airflow_api_port": "eighty"}, "airflow_api_port"),
    ("LocalExecutor across two hosts", "airflow", {"airflow_executor": "LocalExecutor"},
     "LocalExecutor runs tasks on the scheduler's own host"),
    ("SQLite across two hosts", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_database_backend": "sqlite"}, "SQLite is a local file"),
    ("fernet key of the wrong size", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_fernet_key": "too-short"}, "airflow_fernet_key must be"),
    ("no lock file for the version", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_version": "9.9.9"}, "No lock file"),
    ("CeleryExecutor without a broker", "airflow", {"airflow_executor": "CeleryExecutor"},
     "airflow_executor is CeleryExecutor but there is no broker"),
    ("auth manager that does not exist", "airflow", {"airflow_auth_manager": "ldap"}, "airflow_auth_manager"),
    ("parallelism of zero", "airflow", {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_parallelism": 0},
     "airflow_parallelism must be 1 or more"),
    ("memory limit systemd cannot read", "scheduler", {"scheduler_memory_max": "lots"}, "memory_max must be a size"),
    ("CPU quota without a percent sign", "webserver", {"webserver_cpu_quota": "2"}, "cpu_quota"),
    ("worker without a reachable api-server", "worker", {"airflow_executor": "CeleryExecutor"},
     "runs a Celery worker but its execution API URL is https://127.0.0.1:8080/execution/"),
    ("worker queue with a space", "worker", {"airflow_api_base_url": "http://api1:8080", "worker_queues": ["a b"]},
     "worker_queues must list queue names"),
    ("capacity that is not a number", "triggerer", {"triggerer_capacity": "many"}, "triggerer_capacity"),
    ("extra args that are not a list", "dag_processor", {"dag_processor_extra_args": {"a": 1}}, "dag_processor_extra_args"),
    ("client network that is not a CIDR", "database",
     {"database_client_hosts": ["node1"], "database_celery_client_hosts": ["node1"], "database_client_networks": ["not-a-network"]},
     "database_client_networks must be CIDR networks"),
    ("client host without facts", "database", {}, "No IPv4 facts for database client node2"),
    ("unknown broker backend", "airflow", {"airflow_broker_backend": "kafka"}, "airflow_broker_backend"),
    ("RabbitMQ user with a space", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_broker_user": "air flow"},
     "airflow_broker_user a plain user name"),
    ("broker CA that is not a file", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_broker_tls_ca_src": "/nonexistent/ca.pem"},
     "must be a CA certificate file on the controller"),
    ("broker certificate without its key", "broker", {"broker_tls_cert_src": "/etc/hostname"},
     "Set broker_tls_cert_src and broker_tls_key_src together"),
    ("balancer without api-servers", "balancer", {}, "put the api-server hosts in the airflow_webserver group"),
    ("balancer check path without a slash", "balancer",
     {"balancer_backend_hosts": ["node1"], "balancer_check_path": "execution/health"}, "balancer_check_path a path starting with /"),
    ("balancer check timeout of zero", "balancer",
     {"balancer_backend_hosts": ["node1"], "balancer_check_timeout": 0}, "balancer_check_timeout"),
    ("plain HTTP base URL with HTTPS on", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_api_tls": True,
      "airflow_api_base_url": "http://api1:8080"}, "airflow_api_base_url must be https://"),
    ("API certificate without its key", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_api_tls_cert_src": "/etc/hostname"},
     "airflow_api_tls_cert_src and airflow_api_tls_key_src are files on the controller, given together"),
    ("api-server listening on a name", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_api_listen_address": "node1"},
     "airflow_api_listen_address must be an IPv4 address"),
    ("balancer certificate without its key", "balancer",
     {"balancer_backend_hosts": ["node1"], "balancer_backend_port": 8081, "balancer_tls_cert_src": "/etc/hostname"},
     "balancer_tls_cert_src and balancer_tls_key_src must be given together"),
    ("balancer and api-server on one host and port", "balancer", {"balancer_backend_hosts": ["node1"]},
     "different when this host runs an api-server as well"),
    ("vault password file that is missing", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_secrets_vault_password_file": "/nonexistent/pw"},
     "must be a file on the controller holding the vault password"),
    ("database CA that is not a file", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_database_tls_ca_src": "/nonexistent/ca.pem"},
     "airflow_database_tls_ca_src (/nonexistent/ca.pem) a CA certificate file"),
    ("database certificate without its key", "database",
     {"database_client_hosts": ["node1"], "database_celery_client_hosts": ["node1"], "database_tls_cert_src": "/etc/hostname"},
     "database_tls_cert_src and database_tls_key_src are files on the controller, given together"),
    ("metadata retention of zero", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_db_retention_days": 0},
     "a retention of 0 would delete the metadata or logs of running work"),
    ("backup retention of zero", "database",
     {"database_client_hosts": ["node1"], "database_celery_client_hosts": ["node1"], "database_backup_keep": 0},
     "a retention of 0 would delete every dump"),
    ("backup copy destination that is neither a path nor host:path", "database",
     {"database_client_hosts": ["node1"], "database_celery_client_hosts": ["node1"], "database_backup_copy_dest": "backups"},
     'database_backup_copy_dest empty, a path or host:path (got "backups")'),
    ("pg_hba rule without a method", "database",
     {"database_client_hosts": ["node1"], "database_celery_client_hosts": ["node1"],
      "database_hba_extra_rules": [{"contype": "hostssl", "databases": "airflow", "users": "r", "address": "10.0.0.1/32"}]},
     "every entry of database_hba_extra_rules names its contype and method"),
    ("metrics with a lock that lacks statsd", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b",
      "airflow_requirements_lock": str(Path(__file__).resolve().parents[2] / "roles/airflow/files/requirements/uv.txt")},
     "pins no statsd package"),
    ("metrics port out of range", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b", "airflow_metrics_port": 70000},
     "airflow_metrics_port and airflow_metrics_statsd_port must be ports"),
    ("Prometheus retention that is no duration", "monitoring", {"monitoring_retention": "two weeks"},
     "monitoring_retention and monitoring_scrape_interval must be Prometheus durations"),
    ("Prometheus rule file that does not exist", "monitoring", {"monitoring_extra_rule_files": ["/nonexistent/rules.yml"]},
     "monitoring_extra_rule_files must be files on the controller"),
    ("DAG bundle named like the DAG folder", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b",
      "airflow_dag_bundles": [{"name": "dags-folder", "classpath": "x.Y", "kwargs": {}}]}, '"dags-folder" is taken'),
    ("DAG bundle named like the smoke DAG's", "airflow",
     {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b",
      "airflow_dag_bundles": [{"name": "airflowops", "classpath": "x.Y", "kwargs": {}}]}, '"airflowops" by the collection'),
]

# The git_sync role's checks run from the base role's preflight when git_sync_repo is set.
CELERY = {"airflow_executor": "CeleryExecutor", "airflow_broker_host": "b"}
GIT_CASES = [
    ("Git over SSH without a deploy key", {"git_sync_repo": "ssh://git@git.example.invalid/dags.git"},
     "host keys are never trusted on first use"),
    ("Git over SSH without pinned host keys",
     {"git_sync_repo": "git@git.example.invalid:dags.git",
      "git_sync_ssh_private_key": "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----"},
     "git_sync_ssh_known_hosts to the server's host key lines"),
    ("Git token over plain HTTP",
     {"git_sync_repo": "http://git.example.invalid/dags.git", "git_sync_https_username": "u", "git_sync_https_token": "t"},
     "the repository URL must be https://"),
    ("Git token in the repository URL", {"git_sync_repo": "https://u:s3cret@git.example.invalid/dags.git"},
     "put it in git_sync_https_token"),
    ("Git ref that reads as an option", {"git_sync_repo": "/srv/git/dags.git", "git_sync_ref": "--upload-pack=x"},
     "git_sync_ref a branch, tag or 40-character commit"),
    ("Git repository that is no URL", {"git_sync_repo": "dags"}, "git_sync_repo must be an ssh://"),
    ("Git sub-folder outside the repository", {"git_sync_repo": "/srv/git/dags.git", "git_sync_subdir": "../etc"},
     "relative folder without"),
    ("Git bundle named like the DAG folder", {"git_sync_repo": "/srv/git/dags.git", "git_sync_bundle_name": "dags-folder"},
     'than "dags-folder"'),
    ("Git sync interval of one second", {"git_sync_repo": "/srv/git/dags.git", "git_sync_interval": 1},
     "git_sync_interval must be at least 5"),
    ("Git sync mode that does not exist", {"git_sync_repo": "/srv/git/dags.git", "git_sync_mode": "rsync"}, "git_sync_mode"),
    ("GitDagBundle with a local path", {"git_sync_repo": "file:///srv/git/dags.git", "git_sync_mode": "bundle"},
     "the repository a remote URL"),
]
CASES += [(name, "git_sync", dict(CELERY, **bad), expect) for name, bad, expect in GIT_CASES]
# git_sync reads the base role's published paths: alone, without the base role's preflight, it says so.
CASES += [("Git sync without the base role", "git_sync", dict(CELERY, git_sync_repo="/srv/git/dags.git", bad_input_alone=True),
           "run airflowops.airflow.airflow's preflight or publish entry point")]


# Good input after every bad case: the batch accepts it, so a case is not refused by what earlier cases left behind.
GOOD = "good input after the bad cases"


@pytest.fixture(scope="module")
def refusals(preflight_batch, tmp_path_factory):
    """Every case but the one that needs a run of its own (bad_input_alone), in one ansible-playbook run."""
    cases = {name: ((["airflow"] if role == "git_sync" else []) + [role], bad_vars)
             for name, role, bad_vars, _expect in CASES if not bad_vars.get("bad_input_alone")}
    cases[GOOD] = (["airflow"], CELERY)
    return preflight_batch(tmp_path_factory.mktemp("bad_input"), cases, "tests/inventory/hosts.yml", "node1")


@pytest.mark.xdist_group("bad_input")
@pytest.mark.parametrize(("role", "bad_vars", "expect"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_in_preflight(request, run_playbook, role, bad_vars, expect):
    if bad_vars.get("bad_input_alone"):
        extra = dict(bad_vars, role=role, expect=expect)
        result = run_playbook("bad_input.yml", "-i", "tests/inventory/hosts.yml", "-e", json.dumps(extra))
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        assert "The error names what to fix" in result.stdout
        return
    error = request.getfixturevalue("refusals")[request.node.callspec.id]
    assert error is not None, "accepted"
    assert expect in error, error


@pytest.mark.xdist_group("bad_input")
def test_the_batch_accepts_good_input_after_the_bad(refusals):
    assert refusals[GOOD] is None, refusals[GOOD]


def test_good_input_passes_preflight(run_playbook):
    """The same playbook fails when the input is fine: the cases above cannot pass by accident."""
    extra = {"role": "airflow", "expect": "anything", "airflow_executor": "CeleryExecutor", "airflow_broker_host": "b"}
    result = run_playbook("bad_input.yml", "-i", "tests/inventory/hosts.yml", "-e", json.dumps(extra))
    assert result.returncode != 0
    assert "BAD INPUT ACCEPTED" in result.stdout


def test_secrets_file_a_commit_would_publish_is_warned_about(run_playbook, tmp_path):
    """A secrets file inside a Git work tree, neither ignored nor vault-encrypted, gets a loud warning."""
    repo = tmp_path / "inventory"
    repo.mkdir()
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    extra = {"role": "airflow", "expect": "anything", "airflow_executor": "CeleryExecutor", "airflow_broker_host": "b",
             "airflow_secrets_file": str(repo / "secrets" / "airflow.yml")}
    warned = run_playbook("bad_input.yml", "-i", "tests/inventory/hosts.yml", "-e", json.dumps(extra))
    assert "neither ignored nor vault-encrypted" in " ".join(warned.stdout.split()), warned.stdout[-3000:]
    password = tmp_path / "vault-password"
    password.write_text("pw\n")
    vaulted = run_playbook("bad_input.yml", "-i", "tests/inventory/hosts.yml",
                           "-e", json.dumps(dict(extra, airflow_secrets_vault_password_file=str(password))))
    assert "BAD INPUT ACCEPTED" in vaulted.stdout, vaulted.stdout[-3000:]
    assert "neither ignored nor vault-encrypted" not in " ".join(vaulted.stdout.split())
    (repo / ".gitignore").write_text("secrets/\n")
    ignored = run_playbook("bad_input.yml", "-i", "tests/inventory/hosts.yml", "-e", json.dumps(extra))
    assert "BAD INPUT ACCEPTED" in ignored.stdout
    assert "neither ignored nor vault-encrypted" not in " ".join(ignored.stdout.split())


def test_vault_encrypted_secrets_file_without_its_password_is_refused(run_playbook, tmp_path):
    """A vault-encrypted secrets file that the run cannot decrypt stops preflight with what to pass."""
    secrets, password = tmp_path / "secrets" / "airflow.yml", tmp_path / "vault-password"
    secrets.parent.mkdir()
    secrets.write_text("jwt_secret: x\n")
    password.write_text("pw\n")
    subprocess.run(["ansible-vault", "encrypt", "--vault-id", "t@%s" % password, str(secrets)], check=True, capture_output=True)
    extra = {"role": "airflow", "airflow_executor": "CeleryExecutor", "airflow_broker_host": "b",
             "airflow_secrets_file": str(secrets), "expect": "is vault-encrypted, and this run cannot decrypt it"}
    refused = run_playbook("bad_input.yml", "-i", "tests/inventory/hosts.yml", "-e", json.dumps(extra))
    assert "The error names what to fix" in refused.stdout, refused.stdout[-3000:]
