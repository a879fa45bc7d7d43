"""module_utils/airflow_api.py and airflow_objects.py against the fake API (tests/unit/plugins/conftest.py)."""

from __future__ import annotations

import pytest

from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_api import AirflowAPI, AirflowAPIError
from ansible_collections.airflowops.airflow.plugins.module_utils.airflow_objects import (
    MASK,
    compare_redacted,
    mask_secrets,
)


def api(**kwargs):
    args = dict(api_url="http://airflow.test:8080/", username="admin", password="pw")
    args.update(kwargs)
    return AirflowAPI(**args)


def test_login_then_bearer_token(fake_airflow):
    client = api()
    assert client.call("GET", "/api/v2/pools")["total_entries"] == 1
    assert fake_airflow.calls[0][:2] == ("POST", "/auth/token")
    assert client.token == "tok"


def test_given_token_skips_login(fake_airflow):
    api(token="tok", username=None, password=None).call("GET", "/api/v2/pools")
    assert [c[1] for c in fake_airflow.calls] == ["/api/v2/pools"]


def test_wrong_password_names_the_credentials(fake_airflow):
    with pytest.raises(AirflowAPIError) as e:
        api(password="nope").call("GET", "/api/v2/pools")
    assert e.value.status == 401
    assert "refused the credentials" in str(e.value) and "api_username/api_password" in str(e.value)


@pytest.mark.parametrize(("status", "detail", "expect"), [
    (404, "Not Found", "is api_url the base URL of an Airflow 3 api-server"),
    (409, "already exist", "failed (409): already exist"),
    (403, "no permission", "may not GET"),
    (422, [{"loc": ["body", "actions", 0, "entities", 0, "port"], "msg": "Input should be a valid integer"}],
     "actions.0.entities.0.port: Input should be a valid integer"),
])
def test_http_errors_carry_the_servers_detail(fake_airflow, status, detail, expect):
    fake_airflow.fail("GET", "/api/v2/pools", status, detail)
    with pytest.raises(AirflowAPIError) as e:
        api().call("GET", "/api/v2/pools")
    assert e.value.status == status
    assert expect in str(e.value)


def test_timeout_or_unreachable_says_cannot_reach(fake_airflow):
    fake_airflow.fail("POST", "/auth/token", "timeout")
    with pytest.raises(AirflowAPIError) as e:
        api().call("GET", "/api/v2/pools")
    assert "Cannot reach the Airflow API at http://airflow.test:8080" in str(e.value)
    assert e.value.status is None


def test_list_all_pages_through_everything(fake_airflow):
    for i in range(250):
        fake_airflow.objects["variables"]["k%03d" % i] = {"key": "k%03d" % i, "value": "v", "description": None}
    items = api().list_all("variables")
    assert len(items) == 250
    assert [c[1] for c in fake_airflow.calls].count("/api/v2/variables") == 3


def test_bulk_collects_errors_from_a_200_answer(fake_airflow):
    fake_airflow.bulk_errors["create"] = "The pools with these ids: {'p'} already exist."
    body, errors = api().bulk("pools", [{"action": "create", "entities": [{"name": "p", "slots": 1}]}])
    assert errors == ["create: The pools with these ids: {'p'} already exist."]


@pytest.mark.parametrize(("wanted", "current", "expect"), [
    ("s3cret", "***", (True, True)),
    ("a", "a", (True, False)),
    ("a", "b", (False, False)),
    ({"x": 1, "token": "t"}, {"x": 1, "token": "***"}, (True, True)),
    ({"x": 2, "token": "t"}, {"x": 1, "token": "***"}, (False, True)),
    ({"x": 1}, {"x": 1, "y": 2}, (False, False)),
    ([1, "x"], [1, "***"], (True, True)),
    ([1, 2], [1, 2, 3], (False, False)),
    (None, "***", (False, False)),
])
def test_compare_redacted(wanted, current, expect):
    assert compare_redacted(wanted, current) == expect


def test_mask_secrets_hides_named_fields_and_redactions():
    assert mask_secrets({"password": "p", "extra": {"token": "***", "a": 1}, "host": "h"}, ("password",)) == {
        "password": MASK, "extra": {"token": MASK, "a": 1}, "host": "h"}
