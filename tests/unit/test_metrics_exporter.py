"""roles/airflow/files/airflowops_metrics.py: StatsD lines as Airflow sends them (tags in the name) become Prometheus
series; the exporter run as a process answers /metrics with what it received over UDP and its backend probes."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest

SCRIPT = Path(__file__).resolve().parents[2] / "roles" / "airflow" / "files" / "airflowops_metrics.py"
SPEC = importlib.util.spec_from_file_location("airflowops_metrics", SCRIPT)
exporter = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(exporter)


def exposition(store):
    registry = CollectorRegistry()
    registry.register(store)
    return generate_latest(registry).decode()


def test_tagged_timer_counter_and_gauge():
    store = exporter.Store(100)
    store.add_packet(
        b"airflow.dagrun.duration.success,dag_id=etl,run_type=manual:1520|ms\n"
        b"airflow.dagrun.duration.success,dag_id=etl,run_type=manual:480|ms\n"
        b"airflow.ti_failures:1|c\nairflow.ti_failures:2|c|@0.5\n"
        b"airflow.pool.open_slots,pool_name=default_pool:128|g\nairflow.pool.open_slots,pool_name=default_pool:-3|g\n"
    )
    text = exposition(store)
    assert 'airflow_dagrun_duration_success_count{dag_id="etl",run_type="manual"} 2.0' in text
    assert 'airflow_dagrun_duration_success_sum{dag_id="etl",run_type="manual"} 2.0' in text
    assert "# TYPE airflow_dagrun_duration_success summary" in text
    assert "airflow_ti_failures_total 5.0" in text
    assert 'airflow_pool_open_slots{pool_name="default_pool"} 125.0' in text
    assert "airflowops_metrics_packets_total 1.0" in text
    assert "airflowops_metrics_series 3.0" in text


def test_a_gauge_is_set_unless_signed():
    store = exporter.Store(100)
    store.add_packet(b"airflow.executor.open_slots:16|g\nairflow.executor.open_slots:12|g")
    assert "airflow_executor_open_slots 12.0" in exposition(store)


@pytest.mark.parametrize("line", ["no value here", "airflow.x:abc|c", "airflow.x:1|s", "airflow.x,badtag:1|c", ":1|c"])
def test_lines_that_are_not_statsd_are_counted_not_kept(line):
    store = exporter.Store(100)
    store.add_packet(line.encode())
    text = exposition(store)
    assert "airflowops_metrics_bad_lines_total 1.0" in text
    assert "airflowops_metrics_series 0.0" in text


def test_series_cap_and_type_conflicts_drop_lines():
    store = exporter.Store(2)
    store.add_packet(b"a.one:1|c\na.two,k=v:1|c\na.three:1|c\na.one:1|g\na.one:1|c")
    text = exposition(store)
    assert "a_one_total 2.0" in text
    assert 'a_two_total{k="v"} 1.0' in text
    assert "a_three" not in text
    assert "airflowops_metrics_dropped_lines_total 2.0" in text


def test_names_and_labels_are_made_prometheus_safe():
    assert exporter.parse_line("airflow.dag.my-dag.task-1.duration,try-number=1:250|ms") == (
        "airflow_dag_my_dag_task_1_duration", (("try_number", "1"),), "summary", 0.25, False)
    assert exporter.prometheus_name("1st.metric") == "_1st_metric"


def _free_port(kind):
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_exporter_serves_what_it_received_and_its_probes():
    statsd_port, http_port = _free_port(socket.SOCK_DGRAM), _free_port(socket.SOCK_STREAM)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    closed = _free_port(socket.SOCK_STREAM)
    proc = subprocess.Popen([
        sys.executable, str(SCRIPT), "--statsd", "127.0.0.1:%d" % statsd_port, "--listen", "127.0.0.1:%d" % http_port,
        "--probe", "database=127.0.0.1:%d" % listening.getsockname()[1], "--probe", "broker=127.0.0.1:%d" % closed])
    try:
        url = "http://127.0.0.1:%d/metrics" % http_port
        text = ""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            for _attempt in range(100):
                udp.sendto(b"airflow.scheduler_heartbeat:1|c", ("127.0.0.1", statsd_port))
                try:
                    text = urllib.request.urlopen(url, timeout=5).read().decode()
                except OSError:
                    text = ""
                if "airflow_scheduler_heartbeat_total" in text:
                    break
                time.sleep(0.1)
        assert "airflow_scheduler_heartbeat_total" in text
        assert 'airflowops_backend_up{address="127.0.0.1:%d",backend="database"} 1.0' % listening.getsockname()[1] in text
        assert 'airflowops_backend_up{address="127.0.0.1:%d",backend="broker"} 0.0' % closed in text
        assert "process_resident_memory_bytes" in text
    finally:
        proc.terminate()
        proc.wait(10)
        listening.close()
