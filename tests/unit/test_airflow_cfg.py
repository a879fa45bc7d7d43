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
