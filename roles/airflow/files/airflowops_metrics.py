# Airflow's metrics for Prometheus, run by airflowops-metrics.service on every Airflow host (the base role installs it
# as /usr/local/lib/airflowops/airflowops_metrics.py; Debian's python3-prometheus-client serves the page):
#   --statsd ADDR:PORT --listen ADDR:PORT [--probe NAME=HOST:PORT ...] [--max-series N]
# Airflow's components on the host send StatsD lines over UDP to --statsd ([metrics] statsd_on, statsd_influxdb_enabled:
# tags ride in the name, "airflow.dagrun.duration.success,dag_id=etl,run_type=manual:1520|ms"). Each line becomes a
# series of /metrics on --listen, named as Prometheus's statsd_exporter names them (dots to "_"), tags as labels:
#   counter "c"            airflow_ti_failures_total{...}                 (summed; the sample rate applied)
#   gauge "g"              airflow_pool_open_slots{pool="default_pool"}   ("+N"/"-N" change it)
#   timer "ms", "h"        airflow_dagrun_duration_success_count/_sum     (seconds)
# and for each --probe, airflowops_backend_up{backend=NAME,address=HOST:PORT}: 1 when a TCP connection to it opens within
# 2 s at scrape time (the database and the broker as this host reaches them), else 0. At most --max-series series are
# kept (airflowops_metrics_dropped_lines_total counts the lines of the others); a name that arrives with another type
# than its first counts there too.
from __future__ import annotations

import argparse
import re
import socket
import threading
import time

from prometheus_client import start_http_server
from prometheus_client.core import REGISTRY, Metric

TYPES = {"c": "counter", "g": "gauge", "ms": "summary", "h": "summary"}
LINE = re.compile(r"^(?P<name>[^:|@]+):(?P<value>[^|]+)\|(?P<type>c|g|ms|h)(?:\|@(?P<rate>[0-9.]+))?(?:\|.*)?$")
INVALID = re.compile(r"[^a-zA-Z0-9_]")
PROBE_TIMEOUT = 2.0


def prometheus_name(name):
    """A StatsD name or tag key as a Prometheus metric or label name."""
    name = INVALID.sub("_", name)
    return "_" + name if name[:1].isdigit() else name


def parse_line(line):
    """One StatsD line: (metric name, labels as a sorted tuple of pairs, type, value, is a gauge change), or None when
    the line is not StatsD (or a type this exporter does not keep, such as sets)."""
    match = LINE.match(line.strip())
    if not match:
        return None
    name, *tags = match.group("name").split(",")
    labels = {}
    for tag in tags:
        key, sep, value = tag.partition("=")
        if not sep or not key:
            return None
        labels[prometheus_name(key)] = value
    raw = match.group("value")
    try:
        value = float(raw)
    except ValueError:
        return None
    kind = TYPES[match.group("type")]
    if kind == "counter" and match.group("rate"):
        rate = float(match.group("rate"))
        if rate > 0:
            value /= rate
    if kind == "summary":
        value /= 1000.0
    return prometheus_name(name), tuple(sorted(labels.items())), kind, value, kind == "gauge" and raw[:1] in "+-"


class Store:
    """The series seen so far, and the exporter's own counts. Thread-safe: the UDP loop adds, scrapes collect."""

    def __init__(self, max_series, probes=()):
        self.max_series = max_series
        self.probes = list(probes)
        self.lock = threading.Lock()
        self.families = {}
        self.series = 0
        self.packets = 0
        self.bad_lines = 0
        self.dropped_lines = 0
        self.last_packet = 0.0

    def describe(self):
        """No names up front: registering would otherwise collect (and probe) once."""
        return []

    def add_packet(self, data):
        text = data.decode("utf-8", errors="replace")
        with self.lock:
            self.packets += 1
            self.last_packet = time.time()
            for line in text.splitlines():
                if line.strip():
                    self._add(line)

    def _add(self, line):
        parsed = parse_line(line)
        if parsed is None:
            self.bad_lines += 1
            return
        name, labels, kind, value, change = parsed
        family = self.families.get(name)
        if family is None:
            if self.series >= self.max_series:
                self.dropped_lines += 1
                return
            family = self.families[name] = (kind, {})
        if family[0] != kind:
            self.dropped_lines += 1
            return
        series = family[1]
        if labels not in series:
            if self.series >= self.max_series:
                self.dropped_lines += 1
                return
            self.series += 1
            series[labels] = [0.0, 0.0] if kind == "summary" else 0.0
        if kind == "summary":
            series[labels][0] += 1
            series[labels][1] += value
        elif kind == "counter" or change:
            series[labels] += value
        else:
            series[labels] = value

    def collect(self):
        with self.lock:
            snapshot = [(name, kind, dict(series)) for name, (kind, series) in sorted(self.families.items())]
            own = [
                ("airflowops_metrics_packets", "counter", "UDP packets received", self.packets),
                ("airflowops_metrics_bad_lines", "counter", "Lines that are not StatsD", self.bad_lines),
                ("airflowops_metrics_dropped_lines", "counter",
                 "Lines dropped: over --max-series, or a name seen before with another type", self.dropped_lines),
                ("airflowops_metrics_series", "gauge", "Series kept", self.series),
                ("airflowops_metrics_last_packet_timestamp_seconds", "gauge",
                 "When the last packet arrived (Unix time; 0: none yet)", self.last_packet),
            ]
        for name, kind, series in snapshot:
            metric = Metric(name, "Airflow metric %s (StatsD)" % name, kind)
            for labels, value in sorted(series.items()):
                labels = dict(labels)
                if kind == "summary":
                    metric.add_sample(name + "_count", labels, value[0])
                    metric.add_sample(name + "_sum", labels, value[1])
                else:
                    metric.add_sample(name + ("_total" if kind == "counter" else ""), labels, value)
            yield metric
        for name, kind, doc, value in own:
            metric = Metric(name, doc, kind)
            metric.add_sample(name + ("_total" if kind == "counter" else ""), {}, value)
            yield metric
        if self.probes:
            metric = Metric("airflowops_backend_up", "1 when a TCP connection to the backend opens within 2 s", "gauge")
            for backend, host, port in self.probes:
                metric.add_sample("airflowops_backend_up", {"backend": backend, "address": "%s:%d" % (host, port)},
                                  1.0 if reachable(host, port) else 0.0)
            yield metric


def reachable(host, port):
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
            return True
    except OSError:
        return False


def address(text):
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)
    return host.strip("[]"), int(port)


def probe(text):
    backend, sep, rest = text.partition("=")
    if not sep or not backend:
        raise argparse.ArgumentTypeError("expected NAME=HOST:PORT, got %r" % text)
    return (backend,) + address(rest)


def main():
    parser = argparse.ArgumentParser(prog="airflowops-metrics")
    parser.add_argument("--statsd", type=address, required=True)
    parser.add_argument("--listen", type=address, required=True)
    parser.add_argument("--probe", type=probe, action="append", default=[])
    parser.add_argument("--max-series", type=int, default=20000)
    args = parser.parse_args()
    store = Store(args.max_series, args.probe)
    REGISTRY.register(store)
    udp = socket.socket(socket.AF_INET6 if ":" in args.statsd[0] else socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(args.statsd)
    start_http_server(args.listen[1], addr=args.listen[0])
    while True:
        data, _sender = udp.recvfrom(65535)
        store.add_packet(data)


if __name__ == "__main__":
    main()
