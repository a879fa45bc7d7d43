"""settings_diff: the settings that differ between a file on a host and what a run writes, secret values hidden."""

from __future__ import annotations

from ansible_collections.airflowops.airflow.plugins.filter.settings_diff import settings_diff

CFG = """\
[core]
executor = LocalExecutor
parallelism = 32
fernet_key = FERNET-OLD

[database]
sql_alchemy_conn = postgresql+psycopg2://airflow:DBPASS@127.0.0.1:5432/airflow
"""


def test_same_file_no_lines():
    assert settings_diff(CFG, CFG, "/etc/airflow/airflow.cfg") == []


def test_a_setting_changed_by_hand_shows_both_values():
    found = CFG.replace("parallelism = 32", "parallelism = 7")
    assert settings_diff(found, CFG, "/etc/airflow/airflow.cfg") == ['[core] parallelism: "7" -> "32"']


def test_secret_values_never_shown():
    wanted = CFG.replace("FERNET-OLD", "FERNET-NEW").replace("DBPASS", "DBPASS2")
    lines = settings_diff(CFG, wanted, "/etc/airflow/airflow.cfg")
    assert lines == ["[core] fernet_key: changed (secret value hidden)",
                     "[database] sql_alchemy_conn: changed (secret value hidden)"]
    assert not any(s in " ".join(lines) for s in ("FERNET", "DBPASS"))


def test_password_in_a_url_hidden_whatever_the_name():
    found = "[celery]\nbroker_target = amqp://u:SECRET@mq:5671/airflow\n"
    lines = settings_diff(found, found.replace("SECRET", "OTHER"), "airflow.cfg")
    assert lines == ["[celery] broker_target: changed (secret value hidden)"]


def test_added_and_removed_settings_in_file_order():
    found = "[core]\na = 1\nb = 2\n"
    wanted = "[core]\na = 1\nc = 3\n[api]\nd = 4\n"
    assert settings_diff(found, wanted) == [
        '[core] b: "2" -> (absent)', '[core] c: (absent) -> "3"', '[api] d: (absent) -> "4"']


def test_environment_file_keys_and_quotes():
    found = 'AIRFLOW_HOME=/var/lib/airflow\nexport PYTHONPATH="/a"\nAIRFLOW__CORE__FERNET_KEY=x\n'
    wanted = 'AIRFLOW_HOME=/var/lib/airflow\nexport PYTHONPATH="/b"\nAIRFLOW__CORE__FERNET_KEY=y\n'
    assert settings_diff(found, wanted, "/etc/airflow/airflow.env") == [
        'PYTHONPATH: "/a" -> "/b"', "AIRFLOW__CORE__FERNET_KEY: changed (secret value hidden)"]


def test_whole_files_never_printed():
    assert settings_diff('{"admin": "PW1"}', '{"admin": "PW2"}', "/etc/airflow/passwords.json") == [
        "content differs (1 lines there, 1 wanted)"]
    assert settings_diff("", "-----BEGIN CERTIFICATE-----\n", "/etc/airflow/ca.pem") == [
        "content differs (not on the host)"]


def test_layout_only():
    assert settings_diff("[core]\na = 1\n", "# comment\n[core]\na = 1\n") == [
        "layout differs (comments, order or spacing), no setting does"]


def test_paths_named_like_secrets_show():
    found = "[core]\nsimple_auth_manager_passwords_file = /a.json\n"
    assert settings_diff(found, found.replace("/a", "/b")) == [
        '[core] simple_auth_manager_passwords_file: "/a.json" -> "/b.json"']
