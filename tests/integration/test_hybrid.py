"""The hybrid layout (tests/inventory/hybrid.yml): what each host's airflow.cfg holds, the network table the base role
publishes, and the zone and Edge rules refused in preflight."""

from __future__ import annotations

import configparser
import json

import pytest

EDGE = "airflow.providers.edge3.executors.EdgeExecutor"


def render(ansible_playbook, out, inventory):
    """Renders every Airflow host of the inventory into out (tests/playbooks/render_hybrid.yml)."""
    result = ansible_playbook(out, "-i", inventory, "tests/playbooks/render_hybrid.yml", "-e", f"render_dir={out}")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


# The tests that read the rendered hosts run on one pytest-xdist worker (scripts/test: --dist loadgroup), so the render
# runs once, not once per worker.
RENDERED = pytest.mark.xdist_group("hybrid_rendered")


@pytest.fixture(scope="module")
def rendered(ansible_playbook, tmp_path_factory):
    """Renders every host once for the module (run_playbook is per test)."""
    out = tmp_path_factory.mktemp("hybrid")
    render(ansible_playbook, out, "tests/inventory/hybrid.yml")

    def host(name):
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(out / f"{name}.cfg")
        return parser, json.loads((out / f"{name}.json").read_text())

    host.out = out
    return host


@RENDERED
def test_every_host_runs_the_same_executors(rendered):
    for name in ("ctl1", "worker-a1", "edge-b1"):
        cfg, published = rendered(name)
        assert cfg.get("core", "executor") == f"CeleryExecutor,{EDGE}"
        assert published["executors"] == f"CeleryExecutor,{EDGE}"


@RENDERED
def test_the_api_server_serves_the_edge_api_and_the_edge_worker_polls_it_over_https(rendered):
    ctl = rendered("ctl1")[0]
    edge, published = rendered("edge-b1")
    assert ctl.get("edge", "api_enabled") == "True" and not ctl.has_option("edge", "api_url")
    assert edge.get("edge", "api_url").startswith("https://") and edge.get("edge", "api_url").endswith("/edge_worker/v1/rpcapi")
    assert not edge.has_option("edge", "api_enabled")
    # No database, no broker, no Fernet key on the Edge worker: the api-servers are all it talks to.
    assert not edge.has_option("database", "sql_alchemy_conn") and not edge.has_option("core", "fernet_key")
    assert not edge.has_option("celery", "broker_url")
    assert published["zone"] == "cloud-b" and published["database_zone"] == "onprem"


@RENDERED
def test_the_edge_worker_rides_out_minutes_without_an_api_server(rendered):
    # Edge's client reads its retry budget from the environment only; its own 10 attempts last about 2.5 minutes.
    env_files = {name: (rendered.out / f"{name}.env").read_text() for name in ("ctl1", "worker-a1", "edge-b1")}
    assert "AIRFLOW__EDGE__API_RETRIES='30'" in env_files["edge-b1"].splitlines()
    assert "AIRFLOW__EDGE__API_RETRIES" not in env_files["ctl1"] + env_files["worker-a1"]


@RENDERED
def test_a_celery_worker_in_another_zone_stores_results_in_redis_not_postgresql(rendered):
    worker, published = rendered("worker-a1")
    assert not worker.has_option("database", "sql_alchemy_conn")
    assert worker.get("celery", "broker_url").startswith("rediss://") and worker.get("celery", "broker_url").endswith("/0")
    backend = worker.get("celery", "result_backend")
    assert backend.startswith("rediss://") and "/1?ssl_cert_reqs=required&ssl_ca_certs=" in backend
    assert published["celery_result_backend"] == "broker"
    ctl = rendered("ctl1")[0]
    assert ctl.get("celery", "result_backend") == backend, "the schedulers read the results where the workers write them"


@RENDERED
def test_the_network_table_keeps_postgresql_inside_its_zone(rendered):
    published = rendered("ctl1")[1]
    rows = published["network"]
    across = {(r["from_zone"], r["to_host"], r["port"]) for r in rows if r["across_zones"]}
    assert across == {("cloud-a", "dmz1", 8080), ("cloud-b", "dmz1", 8080), ("cloud-a", "dmz1", 6379),
                      ("onprem", "worker-a1", 8793)}
    db = [r for r in rows if r["to_host"] == "db1"]
    assert db and all(r["from_zone"] == "onprem" for r in db)
    assert not [r for r in rows if "edge-b1" in r["from_hosts"] and r["port"] != 8080], "an Edge worker needs the API only"


CASES = [
    ("Edge workers without HTTPS on the API", {"airflow_api_tls": False}, "poll the api-servers over HTTPS only"),
    ("Edge API over plain HTTP", {"airflow_edge_api_url": "http://dmz1:8080/edge_worker/v1/rpcapi"},
     "airflow_edge_api_url an https:// URL"),
    ("A remote Celery worker with its results in PostgreSQL", {"airflow_celery_result_backend": "database"},
     "they would need the database"),
    ("A remote Celery worker with RabbitMQ", {"airflow_broker_backend": "rabbitmq"}, "they would need the database"),
    ("Results in a RabbitMQ broker", {"airflow_broker_backend": "rabbitmq", "airflow_celery_result_backend": "broker"},
     "broker needs the Redis broker"),
    ("A zone that is no name", {"airflow_zone": "cloud a"}, "airflow_zone must be a plain name"),
]


# The hybrid inventory as it is, after the bad cases: accepted, so the cases cannot pass by accident.
GOOD = "the hybrid inventory as it is"


@pytest.fixture(scope="module")
def refusals(preflight_batch, tmp_path_factory):
    """The base role's preflight on ctl1 with each case's input, in one ansible-playbook run."""
    cases = {name: (["airflow"], bad_vars) for name, bad_vars, _expect in CASES}
    cases[GOOD] = (["airflow"], {})
    return preflight_batch(tmp_path_factory.mktemp("hybrid_bad_input"), cases, "tests/inventory/hybrid.yml", "ctl1")


@pytest.mark.xdist_group("hybrid_bad_input")
@pytest.mark.parametrize("expect", [c[2] for c in CASES], ids=[c[0] for c in CASES])
def test_hybrid_bad_input_is_refused_in_preflight(request, refusals, expect):
    error = refusals[request.node.callspec.id]
    assert error is not None, "accepted"
    assert expect in error, error


@pytest.mark.xdist_group("hybrid_bad_input")
def test_hybrid_good_input_passes_preflight(refusals):
    assert refusals[GOOD] is None, refusals[GOOD]


@RENDERED
def test_each_host_publishes_the_components_of_its_groups(rendered):
    """airflow_published.components: what tasks/stop_airflow.yml stops (restore.yml, a migration window)."""
    assert rendered("ctl1")[1]["components"] == ["scheduler", "dag_processor", "triggerer", "webserver"]
    for name in ("worker-a1", "edge-b1"):
        assert rendered(name)[1]["components"] == ["worker"]


def test_a_host_in_no_component_group_publishes_every_control_component(ansible_playbook, tmp_path):
    """A single-node inventory (no component groups): the host runs the control plane, as single_node.yml deploys it,
    so restore.yml stops every component there before it replaces the database."""
    render(ansible_playbook, tmp_path, "tests/inventory/single_node.yml")
    published = json.loads((tmp_path / "single1.json").read_text())
    assert published["components"] == ["scheduler", "dag_processor", "triggerer", "webserver"]


@RENDERED
def test_the_smoke_dag_has_a_task_per_worker_pool(rendered):
    """playbooks/smoke_test.yml runs airflowops_smoke_test: one task per executor and queue the workers serve, with the
    hosts that serve it (the same list on every host: it is the cluster's)."""
    pools = [{"task_id": "celery_cloud_a", "executor": None, "queue": "cloud-a", "hosts": ["worker-a1"]},
             {"task_id": "edge_cloud_b", "executor": "EdgeExecutor", "queue": "cloud-b", "hosts": ["edge-b1"]}]
    for name in ("ctl1", "worker-a1", "edge-b1"):
        cfg, published = rendered(name)
        assert published["smoke_dag_id"] == "airflowops_smoke_test"
        assert published["worker_pools"] == pools
        bundles = json.loads(cfg["dag_processor"]["dag_bundle_config_list"])
        assert bundles[-1] == {"name": "airflowops", "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
                               "kwargs": {"path": "/opt/airflow/dags-airflowops"}}
