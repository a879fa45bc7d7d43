"""What the metrics exporter of the base role (roles/airflow/files/airflowops_metrics.py) costs: resident memory and
the time of one scrape of /metrics with N series, and how many one-line StatsD packets a second its store takes in
(Airflow sends one metric per packet; measured in-process, 100000 packets over the N series). Runs the exporter on this machine, on loopback, with
the controller venv's prometheus-client (the version Debian 12 ships, which the hosts run).
  .venv/bin/python benchmarks/metrics_exporter.py [SERIES ...]      (default: 100 1000 10000)
"""

from __future__ import annotations

import importlib.util
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

EXPORTER = Path(__file__).resolve().parents[1] / "roles" / "airflow" / "files" / "airflowops_metrics.py"


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid):
    for line in Path("/proc/%d/status" % pid).read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def scrape(url):
    start = time.perf_counter()
    body = urllib.request.urlopen(url, timeout=30).read()
    return time.perf_counter() - start, body.decode()


def counter(text, name):
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def wait_for(url, name, value, timeout=60):
    deadline = time.time() + timeout
    text = ""
    while time.time() < deadline:
        try:
            text = scrape(url)[1]
        except OSError:
            text = ""
        if text and counter(text, name) >= value:
            return text
        time.sleep(0.2)
    return text


def lines_per_second(lines, total=100000):
    """The exporter's own cost of a line: its Store takes one-line packets in-process (no socket, no scrape)."""
    spec = importlib.util.spec_from_file_location("airflowops_metrics", EXPORTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    store = module.Store(max(len(lines), 20000))
    start = time.perf_counter()
    for i in range(total):
        store.add_packet(lines[i % len(lines)])
    return total / (time.perf_counter() - start)


def run(series):
    statsd_port, http_port = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
    proc = subprocess.Popen([sys.executable, str(EXPORTER), "--statsd", "127.0.0.1:%d" % statsd_port,
                             "--listen", "127.0.0.1:%d" % http_port, "--max-series", str(max(series, 20000))])
    url = "http://127.0.0.1:%d/metrics" % http_port
    try:
        wait_for(url, "airflowops_metrics_packets_total", 0)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        target = ("127.0.0.1", statsd_port)
        # The series: task outcomes by DAG and task, as Airflow tags ti.finish (one line per packet). Sent in chunks
        # of 200, each taken in before the next (a socket's receive buffer holds a few hundred packets).
        lines = [("airflow.ti.finish,dag_id=dag_%d,task_id=task_%d,state=success:1|c" % (i % 200, i)).encode()
                 for i in range(series)]
        sent = 0
        start = time.perf_counter()
        for first in range(0, series, 200):
            for line in lines[first:first + 200]:
                udp.sendto(line, target)
            sent += len(lines[first:first + 200])
            wait_for(url, "airflowops_metrics_packets_total", sent, timeout=10)
        loaded_in = time.perf_counter() - start
        text = scrape(url)[1]
        kept = counter(text, "airflowops_metrics_series")
        received = counter(text, "airflowops_metrics_packets_total")
        memory = rss_mib(proc.pid)
        scrapes = [scrape(url)[0] for _attempt in range(5)]
        udp.close()
        return {"series": int(kept), "rss_mib": memory, "scrape_ms": statistics.median(scrapes) * 1000,
                "per_s": lines_per_second(lines), "received": int(received), "sent": sent, "loaded_in": loaded_in}
    finally:
        proc.terminate()
        proc.wait(10)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000, 10000]
    print("| series sent | kept | exporter RSS (MiB) | one scrape of /metrics (ms, median of 5) | packets taken in per s |")
    print("| --- | --- | --- | --- | --- |")
    for size in sizes:
        r = run(size)
        print("| %d | %d | %.1f | %.1f | %.0f |" % (r["sent"], r["series"], r["rss_mib"], r["scrape_ms"], r["per_s"]))


if __name__ == "__main__":
    main()
