"""Steady load and an API probe while a cluster changes (rolling update, restarts), from the controller.

    python3 benchmarks/api_load.py --url http://10.0.0.5:8080 --password-file secrets.yml \
        --dag airflowops_fanout --conf '{"count": 2, "sleep": 12}' --every 6 --probe-rate 4 --stop-file /tmp/stop

Probes GET /api/v2/monitor/health `--probe-rate` times a second (5 s timeout) and triggers a run of `--dag`
every `--every` seconds until the stop file exists; then waits for every triggered run to end and prints one
JSON line: probes, failed probes (errors: refused or an error status; timeouts: no answer in 5 s), the
longest stretch without an answer, when the failures happened (stretches of consecutive failed probes, UTC
wall clock, to set beside a playbook's task times), triggers refused, runs by state and task instances
that failed or needed more than one try. Standard library only."""

import argparse
import json
import os
import threading
import time
import urllib.error
import urllib.request


def call(url, method="GET", body=None, token=None, timeout=5):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers),
                                timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def read_password(path):
    with open(path) as handle:
        for line in handle:
            if line.startswith("admin_password:"):
                return line.split(":", 1)[1].strip().strip("'\"")
    raise SystemExit("no admin_password in %s" % path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--password-file", help="YAML file with admin_password (else $AIRFLOW_ADMIN_PASSWORD)")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--dag", default="airflowops_fanout")
    parser.add_argument("--conf", default="{}")
    parser.add_argument("--every", type=float, default=6)
    parser.add_argument("--probe-rate", type=float, default=4)
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--wait", type=float, default=900, help="seconds to wait for the runs after the stop")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    password = read_password(args.password_file) if args.password_file else os.environ.get("AIRFLOW_ADMIN_PASSWORD")
    if not password:
        raise SystemExit("give --password-file or set AIRFLOW_ADMIN_PASSWORD")
    credentials = {"username": args.user, "password": password}
    token = {"value": call(base + "/auth/token", "POST", credentials)["access_token"]}
    stats = {"probes": 0, "probe_failures": 0, "probe_errors": 0, "probe_timeouts": 0, "longest_gap_s": 0.0,
             "triggers": 0, "triggers_refused": 0}
    stretches = []  # [first failure, last failure, refused or errors, timeouts] of consecutive failed probes
    runs = []
    stop = threading.Event()

    def probe():
        last_ok = time.time()
        failing = False
        while not stop.is_set():
            started = time.time()
            stats["probes"] += 1
            try:
                call(base + "/api/v2/monitor/health", timeout=5)
                last_ok = time.time()
                failing = False
            except (urllib.error.URLError, OSError, ValueError) as error:
                # A refusal or an error status is an outage; no answer within 5 s is a slow answer (the
                # lab is CPU-bound while services restart), counted apart.
                reason = getattr(error, "reason", error)
                slow = isinstance(error, TimeoutError) or isinstance(reason, TimeoutError)
                stats["probe_timeouts" if slow else "probe_errors"] += 1
                stats["probe_failures"] += 1
                stats["longest_gap_s"] = max(stats["longest_gap_s"], round(time.time() - last_ok, 1))
                if not failing:
                    stretches.append([started, started, 0, 0])
                    failing = True
                stretches[-1][1] = time.time()
                stretches[-1][3 if slow else 2] += 1
            time.sleep(max(0.0, 1.0 / args.probe_rate - (time.time() - started)))

    def trigger():
        while not stop.is_set():
            started = time.time()
            stats["triggers"] += 1
            try:
                try:
                    run = call("%s/api/v2/dags/%s/dagRuns" % (base, args.dag), "POST",
                               {"logical_date": None, "conf": json.loads(args.conf)}, token["value"], timeout=10)
                except urllib.error.HTTPError as e:
                    if e.code != 401:
                        raise
                    token["value"] = call(base + "/auth/token", "POST", credentials)["access_token"]
                    continue
                runs.append(run["dag_run_id"])
            except (urllib.error.URLError, OSError, ValueError):
                stats["triggers_refused"] += 1
            time.sleep(max(0.0, args.every - (time.time() - started)))

    call("%s/api/v2/dags/%s" % (base, args.dag), "PATCH", {"is_paused": False}, token["value"])
    threads = [threading.Thread(target=probe, daemon=True), threading.Thread(target=trigger, daemon=True)]
    for thread in threads:
        thread.start()
    while not os.path.exists(args.stop_file):
        time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join()

    deadline = time.time() + args.wait
    states, bad = {}, []
    token["value"] = call(base + "/auth/token", "POST", credentials)["access_token"]
    for run_id in runs:
        quoted = urllib.request.quote(run_id, safe="")
        while True:
            run = call("%s/api/v2/dags/%s/dagRuns/%s" % (base, args.dag, quoted), token=token["value"], timeout=10)
            if run["state"] in ("success", "failed") or time.time() > deadline:
                break
            time.sleep(5)
        states[run["state"]] = states.get(run["state"], 0) + 1
        tis = call("%s/api/v2/dags/%s/dagRuns/%s/taskInstances" % (base, args.dag, quoted), token=token["value"],
                   timeout=10)["task_instances"]
        bad += ["%s %s[%s] %s try %s on %s" % (run_id, ti["task_id"], ti["map_index"], ti["state"],
                                               ti["try_number"], ti["hostname"])
                for ti in tis if ti["state"] != "success" or ti["try_number"] != 1]

    def clock(t):
        return time.strftime("%H:%M:%S", time.gmtime(t)) + ".%d" % (t % 1 * 10)

    stats["failure_stretches"] = ["%s-%s UTC: %d refused or errors, %d timeouts" % (clock(a), clock(b), e, t)
                                  for a, b, e, t in stretches[:30]]
    stats.update(runs=len(runs), run_states=states, task_instances_not_clean=bad)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
