"""Request headers carry credentials (a Bearer token, a cookie): a task that sends them must not log them.

ansible.builtin.uri prints its arguments, headers included, with -vvv and in a failure's invocation; its argument
spec masks url_password only. So every uri task (roles, playbooks, Molecule) that sends headers other than a literal
mapping free of credentials runs with no_log.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
URI = {"ansible.builtin.uri", "uri"}
SECRET_HEADERS = {"authorization", "cookie", "x-api-key", "proxy-authorization"}


def _tasks(node):
    """Every task mapping in a YAML document (plays, blocks, rescue, always, handlers)."""
    if isinstance(node, list):
        for item in node:
            yield from _tasks(item)
    elif isinstance(node, dict):
        if URI & node.keys():
            yield node
        for key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"):
            if key in node:
                yield from _tasks(node[key])


def _sends_credentials(headers) -> bool:
    if isinstance(headers, dict):
        return any(str(k).lower() in SECRET_HEADERS or "{{" in str(v) for k, v in headers.items())
    return True  # a templated mapping: its content is unknown here


def _uri_tasks():
    for path in sorted(p for d in ("roles", "playbooks", "molecule") for p in (ROOT / d).rglob("*.yml")):
        try:
            docs = list(yaml.safe_load_all(path.read_text()))
        except yaml.YAMLError:
            continue
        for task in _tasks(docs):
            args = task[sorted(URI & task.keys())[0]] or {}
            if isinstance(args, dict) and "headers" in args and _sends_credentials(args["headers"]):
                yield pytest.param(task, id=f"{path.relative_to(ROOT)}: {task.get('name', '?')}")


def test_the_scan_finds_uri_tasks_with_headers():
    assert len(list(_uri_tasks())) >= 5


@pytest.mark.parametrize("task", list(_uri_tasks()))
def test_uri_task_with_credentials_in_headers_has_no_log(task):
    assert task.get("no_log") is True
