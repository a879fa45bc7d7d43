"""The three modules against the fake API: create, idempotent rerun, update, check mode, diff, absent,
purge, secrets handling and the bad-input errors."""

from __future__ import annotations

import json

import pytest

from ansible_collections.airflowops.airflow.plugins.modules import airflow_connection, airflow_pool, airflow_variable

PG = {"conn_id": "sales_db", "conn_type": "postgres", "host": "db", "port": 5432, "login": "etl",
      "password": "s3cret", "schema": "sales", "extra": {"sslmode": "require", "api_key": "k1"}}


def test_connection_create_then_rerun_unchanged(fake_airflow, run_module):
    first = run_module(airflow_connection, PG)
    assert first["changed"] and first["created"] == ["sales_db"]
    stored = fake_airflow.objects["connections"]["sales_db"]
    assert stored["password"] == "s3cret" and json.loads(stored["extra"])["api_key"] == "k1"
    again = run_module(airflow_connection, PG)
    assert not again["changed"] and again["unchanged"] == ["sales_db"]
    assert fake_airflow.bulk_count() == 1


def test_connection_update_keeps_unknown_secrets_on_create(fake_airflow, run_module):
    run_module(airflow_connection, PG)
    changed = dict(PG, host="db2", password="other", extra={"sslmode": "verify-full", "api_key": "k2"})
    result = run_module(airflow_connection, changed)
    assert result["changed"] and result["updated"] == ["sales_db"]
    stored = fake_airflow.objects["connections"]["sales_db"]
    assert stored["host"] == "db2"
    assert stored["password"] == "s3cret", "on_create must not overwrite the stored password"
    assert json.loads(stored["extra"]) == {"sslmode": "verify-full", "api_key": "k1"}
    patch = [c for c in fake_airflow.calls if c[0] == "PATCH"][-1][2]
    assert "password" not in patch["actions"][0]["update_mask"]


def test_connection_update_password_always(fake_airflow, run_module):
    run_module(airflow_connection, PG)
    result = run_module(airflow_connection, dict(PG, password="other", update_password="always"))
    assert result["changed"]
    assert fake_airflow.objects["connections"]["sales_db"]["password"] == "other"


def test_connection_check_mode_and_diff_change_nothing_and_mask_secrets(fake_airflow, run_module):
    result = run_module(airflow_connection, PG, check_mode=True, diff=True)
    assert result["changed"] and result["created"] == ["sales_db"]
    assert fake_airflow.objects["connections"] == {} and fake_airflow.bulk_count() == 0
    assert "s3cret" not in result["diff"]["after"] and "********" in result["diff"]["after"]


def test_connection_from_uri(fake_airflow, run_module):
    result = run_module(airflow_connection, {"conn_id": "web", "uri": "http://u:p%40ss@example.com:8443/base?timeout=5"})
    assert result["created"] == ["web"]
    stored = fake_airflow.objects["connections"]["web"]
    assert (stored["conn_type"], stored["host"], stored["login"], stored["password"], stored["port"], stored["schema"]) == (
        "http", "example.com", "u", "p@ss", 8443, "base")
    assert json.loads(stored["extra"]) == {"timeout": "5"}


def test_parse_uri_postgresql_and_extra_json():
    fields = airflow_connection.parse_uri('postgresql://h/db?__extra__={"a": [1]}')
    assert fields["conn_type"] == "postgres" and fields["extra"] == {"a": [1]} and fields["schema"] == "db"


def test_connection_list_form_absent_and_again(fake_airflow, run_module):
    many = [dict(PG, conn_id="c%d" % i, password=None, extra=None) for i in range(5)]
    assert run_module(airflow_connection, {"connections": many})["created"] == ["c%d" % i for i in range(5)]
    assert fake_airflow.bulk_count() == 1
    gone = run_module(airflow_connection, {"connections": [{"conn_id": "c0"}, {"conn_id": "c1"}], "state": "absent"})
    assert gone["changed"] and gone["deleted"] == ["c0", "c1"]
    again = run_module(airflow_connection, {"connections": [{"conn_id": "c0"}], "state": "absent"})
    assert not again["changed"]


def test_connection_purge_reports_and_is_guarded(fake_airflow, run_module):
    run_module(airflow_connection, {"connections": [dict(PG, conn_id="a"), dict(PG, conn_id="b")]})
    result = run_module(airflow_connection, {"connections": [dict(PG, conn_id="a")], "purge": True})
    assert result["purged"] == ["b"] and list(fake_airflow.objects["connections"]) == ["a"]
    single = run_module(airflow_connection, dict(PG, purge=True))
    assert single["failed"] and "purge needs the list form (connections)" in single["msg"]
    empty = run_module(airflow_connection, {"connections": [], "purge": True})
    assert empty["failed"]


@pytest.mark.parametrize(("args", "expect"), [
    (dict(PG, conn_id="bad id!"), "conn_id must be"),
    (dict(PG, extra=["not", "a", "mapping"]), "'sales_db': extra must be a mapping, got list"),
    (dict(PG, extra="not json"), "extra must be a mapping (or JSON text of an object)"),
    (dict(PG, conn_type="warp_drive"), "'sales_db' has conn_type 'warp_drive'"),
    (dict(PG, uri="postgres://h/db"), "uri cannot be combined with"),
    ({"connections": [dict(PG), dict(PG)]}, "connections lists these conn_id more than once: sales_db"),
])
def test_connection_bad_input_names_the_object(fake_airflow, run_module, args, expect):
    result = run_module(airflow_connection, args)
    assert result["failed"] and expect in result["msg"]
    assert fake_airflow.bulk_count() == 0


def test_unknown_conn_type_allowed_when_validation_is_off(fake_airflow, run_module):
    result = run_module(airflow_connection, dict(PG, conn_type="warp_drive", validate_conn_type=False))
    assert result["created"] == ["sales_db"]


def test_wrong_credentials_and_unreachable(fake_airflow, run_module):
    result = run_module(airflow_connection, dict(PG, api_password="wrong"))
    assert result["failed"] and "refused the credentials (401)" in result["msg"]
    fake_airflow.fail("POST", "/auth/token", "timeout")
    result = run_module(airflow_connection, PG)
    assert result["failed"] and "Cannot reach the Airflow API" in result["msg"]


def test_partial_bulk_failure_says_what_was_and_was_not_applied(fake_airflow, run_module):
    fake_airflow.objects["connections"]["old"] = {"connection_id": "old", "conn_type": "http"}
    fake_airflow.bulk_errors["create"] = "The connections with these connection_ids: {'sales_db'} already exist."
    result = run_module(airflow_connection, {"connections": [dict(PG), {"conn_id": "old", "conn_type": "fs"}]})
    assert result["failed"]
    assert "Refused: create: The connections with these connection_ids: {'sales_db'} already exist." in result["msg"]
    assert "Not applied: sales_db" in result["msg"] and "Applied: old" in result["msg"]


def test_test_connection(fake_airflow, run_module):
    ok = run_module(airflow_connection, dict(PG, test_connection=True))
    assert ok["tests"]["sales_db"]["status"] is True
    bad = run_module(airflow_connection, dict(PG, conn_id="x", host="unreachable", test_connection=True))
    assert bad["failed"] and "x: refused" in bad["msg"]
    fake_airflow.test_connection = "Disabled"
    off = run_module(airflow_connection, dict(PG, test_connection=True))
    assert off["failed"] and "[core] test_connection = Enabled" in off["msg"]


def test_variables_text_json_and_secret(fake_airflow, run_module):
    wanted = [{"key": "env", "value": "prod"}, {"key": "report", "value": {"hour": 6}},
              {"key": "db_password", "value": "p1"}]
    assert run_module(airflow_variable, {"variables": wanted})["created"] == ["env", "report", "db_password"]
    fake_airflow.objects["variables"]["report"]["value"] = json.dumps({"hour": 6}, indent=2)
    again = run_module(airflow_variable, {"variables": wanted})
    assert not again["changed"], again
    changed = run_module(airflow_variable, {"variables": [{"key": "report", "value": {"hour": 7}}]})
    assert changed["updated"] == ["report"]
    secret = run_module(airflow_variable, {"key": "db_password", "value": "p2"})
    assert not secret["changed"] and fake_airflow.objects["variables"]["db_password"]["value"] == "p1"
    forced = run_module(airflow_variable, {"key": "db_password", "value": "p2", "update_secrets": "always"})
    assert forced["changed"] and fake_airflow.objects["variables"]["db_password"]["value"] == "p2"


def test_variable_needs_a_value(fake_airflow, run_module):
    result = run_module(airflow_variable, {"key": "env"})
    assert result["failed"] and "'env': value is required" in result["msg"]


def test_pools_resize_default_and_purge_never_deletes_it(fake_airflow, run_module):
    result = run_module(airflow_pool, {"pools": [{"name": "default_pool", "slots": 64}, {"name": "api", "slots": 4}],
                                       "purge": True})
    assert result["created"] == ["api"] and result["updated"] == ["default_pool"] and result["purged"] == []
    assert fake_airflow.objects["pools"]["default_pool"]["slots"] == 64
    assert not run_module(airflow_pool, {"name": "api", "slots": 4})["changed"]
    refused = run_module(airflow_pool, {"name": "default_pool", "state": "absent"})
    assert refused["failed"] and "cannot be deleted" in refused["msg"]


def test_pool_slots_required(fake_airflow, run_module):
    result = run_module(airflow_pool, {"name": "p"})
    assert result["failed"] and "slots must be" in result["msg"]


def shown(result, args):
    """What Ansible would print of a module run: its result and the logged invocation, with the module's
    no_log values removed (as AnsibleModule does on exit)."""
    from ansible.module_utils.basic import remove_values

    hidden = result.pop("_no_log_values")
    return json.dumps(remove_values(dict(result, invocation={"module_args": args}), hidden), sort_keys=True)


@pytest.mark.parametrize(("name", "hidden"), [
    ("password", True), ("db_password", True), ("My-API Key", True), ("slack_webhook_url", True),
    ("AWS_ACCESS_KEY_ID", True), ("https_proxy", True), ("oauth_token", True), ("client-secret", True),
    ("sslmode", False), ("host", False), ("region", False), ("endpoint", False),
])
def test_sensitive_names_follow_airflow(name, hidden):
    from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_objects import sensitive_names_rule

    assert sensitive_names_rule()(name) is hidden
    assert sensitive_names_rule(["Tenant_Ref "])("tenant_ref_main")


def test_connection_extra_secrets_never_shown(fake_airflow, run_module):
    args = dict(PG, extra={"sslmode": "require", "api_token": "tok-123456", "proxy": "http://u:Zq9@proxy:3128"},
                password="s3cret-Q1")
    created = run_module(airflow_connection, args, diff=True)
    out = shown(created, args)
    assert created["changed"]
    for secret in ("tok-123456", "http://u:Zq9@proxy:3128", "s3cret-Q1"):
        assert secret not in out
    assert '\\"sslmode\\": \\"require\\"' in out, "what is not secret stays readable in the diff"
    fake_airflow.objects["connections"]["sales_db"]["extra"] = json.dumps(
        {"sslmode": "verify-full", "api_token": "tok-old-999", "proxy": "http://old:3128"})
    updated = run_module(airflow_connection, dict(args, update_password="always"), diff=True)
    out = shown(updated, args)
    assert updated["changed"] and "tok-old-999" not in out and "http://old:3128" not in out and "verify-full" in out


def test_connection_sensitive_names_from_the_cluster(fake_airflow, run_module):
    args = dict(PG, extra={"tenant_ref": "t-445566"}, sensitive_names=["tenant_ref"])
    assert "t-445566" not in shown(run_module(airflow_connection, args, check_mode=True, diff=True), args)
    plain = dict(PG, extra={"tenant_ref": "t-445566"})
    assert "t-445566" in shown(run_module(airflow_connection, plain, check_mode=True, diff=True), plain)


def test_connection_secrets_hidden_when_another_item_is_refused(fake_airflow, run_module):
    args = {"connections": [dict(PG, extra={"api_key": "key-778899"}), dict(PG, conn_id="bad id!")]}
    result = run_module(airflow_connection, args)
    assert result["failed"] and "conn_id must be" in result["msg"]
    assert "key-778899" not in shown(result, args)


def test_variable_secrets_never_shown(fake_airflow, run_module):
    args = {"variables": [{"key": "slack_webhook_url", "value": "https://hooks.example/T0/B0/x1y2"},
                          {"key": "service", "value": {"endpoint": "https://svc.example", "client_secret": "cs-4242"}},
                          {"key": "env", "value": "prod"}]}
    result = run_module(airflow_variable, args, diff=True)
    out = shown(result, args)
    assert result["created"] == ["slack_webhook_url", "service", "env"]
    assert "https://hooks.example/T0/B0/x1y2" not in out and "cs-4242" not in out
    assert "https://svc.example" in out and "prod" in out, "values that are not secret stay readable"
    assert json.loads(result["diff"]["after"])["slack_webhook_url"]["value"] == "********"


def test_variable_secrets_hidden_when_another_item_is_refused(fake_airflow, run_module):
    args = {"variables": [{"key": "db_password", "value": "vv-556677"}, {"key": "env"}]}
    result = run_module(airflow_variable, args)
    assert result["failed"] and "'env': value is required" in result["msg"]
    assert "vv-556677" not in shown(result, args)
