"""Uses what the collection's modules created: the connection airflowops_api (its password included), the
JSON variable airflowops_settings and the pool airflowops_verify. Fails when any of them is missing or wrong."""

from __future__ import annotations

import json
import urllib.request

import pendulum

from airflow.sdk import BaseHook, Variable, dag, task


@dag(
    dag_id="airflowops_objects",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["airflowops", "modules"],
)
def airflowops_objects():
    @task(pool="airflowops_verify")
    def use_connection_variable_and_pool() -> str:
        conn = BaseHook.get_connection("airflowops_api")
        settings = Variable.get("airflowops_settings", deserialize_json=True)
        base = f"http://{conn.host}:{conn.port}"
        # The stored password works: the api-server hands out a token for the connection's login.
        request = urllib.request.Request(
            base + conn.extra_dejson["token_path"],
            data=json.dumps({"username": conn.login, "password": conn.password}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            token = json.load(answer)["access_token"]
        with urllib.request.urlopen(base + conn.extra_dejson["health_path"], timeout=10) as answer:
            health = json.load(answer)
        status = health["scheduler"]["status"]
        if status != settings["expect_scheduler"] or not token:
            raise ValueError(f"scheduler {status!r}, expected {settings['expect_scheduler']!r}")
        return f"{conn.conn_id}: scheduler {status}, token of {len(token)} characters"

    use_connection_variable_and_pool()


airflowops_objects()
