"""airflow.cfg as the base role renders it reads back, through Airflow's own parser rules, as given."""

from __future__ import annotations

import configparser
import json


def test_rendered_config_round_trips(run_playbook, tmp_path):
    out = tmp_path / "airflow.cfg"
    result = run_playbook("render_airflow_cfg.yml", "-e", f"render_dest={out}")
    assert result.returncode == 0, result.stdout + result.stderr

    text = out.read_text()
    assert text.startswith("#"), "the file starts with the ansible_managed comment"
    # Airflow's parser interpolates like ConfigParser: a literal % must come back intact.
    parser = configparser.ConfigParser()
    parser.read_string(text)
    assert parser.get("database", "sql_alchemy_conn") == "postgresql+psycopg2://airflow:p%40ss%2Fw%25rd@db:5432/airflow"
    assert parser.get("core", "executor") == "LocalExecutor"
    assert parser.get("core", "load_examples") == "False"
    assert parser.get("core", "parallelism") == "64"
    assert parser.get("logging", "log_format") == "[%(asctime)s] %(message)s"
    # Lists and mappings are written as JSON (e.g. dag_bundle_config_list).
    bundles = json.loads(parser.get("dag_processor", "dag_bundle_config_list"))
    assert bundles[0]["name"] == "dags"
    # A null override removes a key the role would set, and the Simple auth manager keys stay out under FAB.
    assert not parser.has_option("api", "expose_config")
    assert not parser.has_option("core", "simple_auth_manager_users")
    assert parser.get("api_auth", "jwt_secret") == "j" * 64


def _render_with_git_sync(run_playbook, tmp_path, **git_vars):
    cfg, env = tmp_path / "airflow.cfg", tmp_path / "airflow.env"
    extra = dict(render_dest=str(cfg), render_env_dest=str(env), airflow_config_overrides={},
                 git_sync_repo="ssh://git@git.example.invalid/dags.git", git_sync_interval=30,
                 git_sync_ssh_private_key="-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----",
                 git_sync_ssh_known_hosts=["git.example.invalid ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIx"], **git_vars)
    result = run_playbook("render_airflow_cfg.yml", "-e", json.dumps(extra))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    parser = configparser.ConfigParser()
    parser.read_string(cfg.read_text())
    return json.loads(parser.get("dag_processor", "dag_bundle_config_list")), env.read_text()


def test_git_sync_checkout_mode_lists_the_active_link_as_a_bundle(run_playbook, tmp_path):
    bundles, env = _render_with_git_sync(run_playbook, tmp_path)
    assert [b["name"] for b in bundles] == ["dags-folder", "dags", "airflowops"]
    assert bundles[1] == {"name": "dags", "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
                          "kwargs": {"path": "/var/lib/airflowops/git-sync/dags/active", "refresh_interval": 30}}
    assert "AIRFLOW_CONN_" not in env


def test_git_sync_bundle_mode_configures_gitdagbundle_and_its_connection(run_playbook, tmp_path):
    bundles, env = _render_with_git_sync(run_playbook, tmp_path, git_sync_mode="bundle", git_sync_ref="v1.2",
                                         git_sync_subdir="dags")
    assert bundles[1] == {"name": "dags", "classpath": "airflow.providers.git.bundles.git.GitDagBundle",
                          "kwargs": {"git_conn_id": "git_dags", "tracking_ref": "v1.2", "refresh_interval": 30,
                                     "subdir": "dags"}}
    line = next(line for line in env.splitlines() if line.startswith("AIRFLOW_CONN_GIT_DAGS="))
    conn = json.loads(line.split("=", 1)[1].strip("'"))
    assert conn == {"conn_type": "git", "host": "ssh://git@git.example.invalid/dags.git",
                    "extra": {"key_file": "/etc/airflow/git-sync/dags.key",
                              "known_hosts_file": "/etc/airflow/git-sync/dags.known_hosts",
                              "strict_host_key_checking": "yes"}}
