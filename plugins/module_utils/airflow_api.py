# -*- coding: utf-8 -*-
# Copyright: airflowops.airflow contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Client of the Airflow 3 REST API v2: authentication, errors that name the cause, paging, bulk PATCH."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import time

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.six.moves.urllib.parse import quote, urlencode
from ansible.module_utils.urls import open_url

# Options every module of the collection shares (documented in doc_fragments/airflow_api.py).
API_ARGUMENT_SPEC = dict(
    api_url=dict(type="str", required=True, fallback=(env_fallback, ["AIRFLOW_API_URL"])),
    api_token=dict(type="str", no_log=True, fallback=(env_fallback, ["AIRFLOW_API_TOKEN"])),
    api_username=dict(type="str", fallback=(env_fallback, ["AIRFLOW_API_USERNAME"])),
    api_password=dict(type="str", no_log=True, fallback=(env_fallback, ["AIRFLOW_API_PASSWORD"])),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=30),
)

PAGE_SIZE = 100

# Value the API shows in place of a secret it will not reveal.
REDACTED = "***"


class AirflowAPIError(Exception):
    """A failed API call, with the HTTP status (None when the server was not reached)."""

    def __init__(self, message, status=None, body=None):
        super(AirflowAPIError, self).__init__(message)
        self.status = status
        self.body = body


def poll(read, timeout, interval, retry, timed_out):
    """Call read() every interval seconds until it returns something other than None; returns (value, seconds).
    An AirflowAPIError from read() for which retry(error) is true is tried again at the next poll; after timeout
    seconds, timed_out(the last such error, or None) is raised."""
    start = time.time()
    while True:
        error = None
        try:
            value = read()
            if value is not None:
                return value, time.time() - start
        except AirflowAPIError as e:
            if not retry(e):
                raise
            error = e
        if time.time() - start >= timeout:
            raise timed_out(error)
        time.sleep(interval)


def _detail(body):
    """The human part of an error body: FastAPI's "detail" (a string or a list of validation errors)."""
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return to_text(body or "").strip()[:500]
    detail = data.get("detail", data) if isinstance(data, dict) else data
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                location = ".".join(to_text(p) for p in item.get("loc", []) if p != "body")
                parts.append("%s: %s" % (location, item.get("msg")) if location else to_text(item.get("msg")))
            else:
                parts.append(to_text(item))
        return "; ".join(parts)
    return to_text(detail)


class AirflowAPI:
    """Talks to one Airflow api-server. Authenticates lazily: with api_token, or POST /auth/token."""

    def __init__(self, api_url, token=None, username=None, password=None, validate_certs=True, ca_path=None, timeout=30):
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.username = username
        self.password = password
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        self.timeout = timeout

    @classmethod
    def from_module(cls, module):
        p = module.params
        if not p["api_token"] and not (p["api_username"] and p["api_password"]):
            module.fail_json(msg="Give api_token, or api_username and api_password, to log in to the Airflow API at %s." % p["api_url"])
        return cls(p["api_url"], p["api_token"], p["api_username"], p["api_password"], p["validate_certs"], p["ca_path"], p["timeout"])

    def _open(self, method, path, body=None, headers=None):
        url = self.api_url + path
        data = None if body is None else json.dumps(body)
        all_headers = {"Accept": "application/json"}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        try:
            response = open_url(
                url, data=data, method=method, headers=all_headers, validate_certs=self.validate_certs,
                ca_path=self.ca_path, timeout=self.timeout, follow_redirects="safe",
            )
            raw = response.read()
            return response.getcode(), (json.loads(raw) if raw else None)
        except HTTPError as e:
            try:
                raw = e.read()
            except Exception:  # pylint: disable=broad-except
                raw = b""
            raise AirflowAPIError(self._explain(method, path, e.code, _detail(raw)), status=e.code, body=to_text(raw))
        except (URLError, socket.timeout, socket.error) as e:
            reason = getattr(e, "reason", e)
            raise AirflowAPIError("Cannot reach the Airflow API at %s: %s" % (self.api_url, to_native(reason)))
        except ValueError as e:
            raise AirflowAPIError("%s %s answered something that is not JSON: %s" % (method, url, to_native(e)))

    def _explain(self, method, path, status, detail):
        if status == 401:
            return "The Airflow API at %s refused the credentials (401): check api_username/api_password or api_token. %s" % (
                self.api_url, detail)
        if status == 403:
            return "The Airflow API user may not %s %s (403): %s" % (method, path, detail)
        if status == 404 and path.startswith("/api/v2/") and "/" not in path[len("/api/v2/"):]:
            return "%s%s does not exist (404): is api_url the base URL of an Airflow 3 api-server? %s" % (self.api_url, path, detail)
        return "%s %s failed (%s): %s" % (method, path, status, detail)

    def login(self):
        if self.token:
            return self.token
        status, data = self._open("POST", "/auth/token", {"username": self.username, "password": self.password})
        if not data or "access_token" not in data:
            raise AirflowAPIError("POST /auth/token answered %s without an access_token" % status, status=status)
        self.token = data["access_token"]
        return self.token

    def call(self, method, path, body=None, params=None):
        if params:
            path = path + "?" + urlencode(params)
        return self._open(method, path, body, {"Authorization": "Bearer %s" % self.login()})[1]

    def list_all(self, collection):
        """Every object of /api/v2/<collection>, page by page."""
        return self.list_pages("/api/v2/%s" % collection, collection)

    def list_pages(self, path, key, params=None):
        """Every item of a list endpoint (path, the list under key in its answer), page by page; params (a dict
        or a list of pairs, for a filter given more than once) filter it."""
        query = list(params.items() if isinstance(params, dict) else params or [])
        items = []
        while True:
            page = self.call("GET", path, params=query + [("limit", PAGE_SIZE), ("offset", len(items))]) or {}
            batch = page.get(key) or []
            items.extend(batch)
            if not batch or len(items) >= page.get("total_entries", 0):
                return items

    def bulk(self, collection, actions):
        """PATCH /api/v2/<collection> with create/update/delete actions. The API answers 200 even when some
        fail; the errors are in the body, so they are collected here per action."""
        body = self.call("PATCH", "/api/v2/%s" % collection, {"actions": actions}) or {}
        errors = []
        for name in ("create", "update", "delete"):
            for error in (body.get(name) or {}).get("errors") or []:
                errors.append("%s: %s" % (name, error.get("error", error)))
        return body, errors

    @staticmethod
    def quote(value):
        return quote(value, safe="")
