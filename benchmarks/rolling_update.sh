#!/usr/bin/env bash
# Changing a running multi-node cluster under load, on the multi lab (scripts/lab up multi: one
# api-server, no balancer, LAB_WORKERS workers), for each worker count given (default: 2):
#   naive    every Airflow unit of every host restarted at once (what a configuration change did before
#            multi_node.yml restarted running hosts in batches; the change itself does not matter)
#   rerun    a configuration change applied by rerunning multi_node.yml (running hosts that change go one
#            at a time; the only api-server restarts while the workers hold: queues paused, running tasks
#            finished; then the workers, each drained first)
#   rolling  another configuration change applied by rolling_update.yml (the same plays, after a preflight
#            and plan; the first worker is a canary with a run of the fan-out DAG)
#   version  rolling_update.yml from 3.2.2 to 3.3.2 (a schema migration: backup and window)
#   steady   no change: the same load for BENCH_STEADY seconds (default 360), the baseline of probes that
#            get no answer in 5 s on a CPU-bound lab without any restart
# During each, benchmarks/api_load.py triggers a run of the fan-out DAG (two 12 s tasks) every 6 s and
# probes the API 4 times a second (5 s timeout) on 127.0.0.1; it reports failed probes, the longest
# stretch without an answer, refused triggers, and every run and task instance that did not succeed at
# its first try. The HA layout (two api-servers behind HAProxy) is measured by the multi_node scenario's
# side effect. Usage: benchmarks/rolling_update.sh [WORKERS...]  (results in benchmarks/results/);
# BENCH_CASES="steady rolling" takes only those cases, in the order above (default: all but steady).
source "$(dirname "$0")/lib.sh" rolling_update

export LAB_NAME=airflowops-bench LAB_PORT="${BENCH_PORT:-18080}"
INVENTORY="$REPO_ROOT/.lab/inventory.yml"
SECRETS="$REPO_ROOT/.lab/secrets/lab.yml"
STOP=$(mktemp -u /tmp/bench-load-stop.XXXXXX)
trap 'touch "$STOP"; scripts/lab down >/dev/null 2>&1 || true' EXIT

CASES=" ${BENCH_CASES:-naive rerun rolling version} "

# under_load NAME COMMAND...: runs the command while the load runs; one result line.
under_load() {
  local name=$1; shift
  [[ $CASES == *" $name "* ]] || return 0
  log "$name"
  rm -f "$STOP"
  # The multi-node lab serves HTTPS with the lab's CA (Python's ssl reads SSL_CERT_FILE).
  SSL_CERT_FILE="$REPO_ROOT/.lab/secrets/lab-ca/ca.pem" \
    python3 benchmarks/api_load.py --url "https://127.0.0.1:$LAB_PORT" --password-file "$SECRETS" \
    --dag airflowops_fanout --conf '{"count": 2, "sleep": 12}' --every 6 --probe-rate 4 --stop-file "$STOP" \
    >"/tmp/bench-ru-$name.json" 2>"/tmp/bench-ru-$name.err" &
  local load=$! t0 t1 rc=0
  sleep 20
  t0=$(now)
  "$@" >"/tmp/bench-ru-$name.log" 2>&1 || rc=$?
  t1=$(now)
  sleep 20
  touch "$STOP"
  wait "$load" || true
  local window
  window=$(sed -n "s/.*Window (schedulers stopped until the control plane was back): \([0-9.]*\) s.*/\1/p" "/tmp/bench-ru-$name.log" | head -1)
  echo "workers=$workers $name: rc=$rc wall $(elapsed "$t0" "$t1") s${window:+, window $window s}; load: $(cat "/tmp/bench-ru-$name.json" 2>/dev/null || tail -1 "/tmp/bench-ru-$name.err")"
}

for workers in "${@:-2}"; do
  scripts/lab down >/dev/null 2>&1 || true
  log "lab with $workers worker(s) at 3.2.2"
  LAB_WORKERS=$workers LAB_AIRFLOW_VERSION=3.2.2 scripts/lab up multi >"/tmp/bench-ru-lab-$workers.log" 2>&1 \
    || { tail -40 "/tmp/bench-ru-lab-$workers.log"; die "lab up failed"; }
  ansible-playbook -i "$INVENTORY" benchmarks/first_dag_run.yml -e verify_dag_id=airflowops_fanout -e verify_min_tasks=9 \
    >"/tmp/bench-ru-dag-$workers.log" 2>&1 || { tail -40 "/tmp/bench-ru-dag-$workers.log"; die "DAG run failed"; }
  # naive: every Airflow unit restarted at once
  under_load naive ansible-playbook -i "$INVENTORY" benchmarks/restart_all.yml | tee -a "$OUT"
  # rerun: a configuration change by rerunning multi_node.yml
  under_load rerun ansible-playbook -i "$INVENTORY" playbooks/multi_node.yml \
    -e '{"airflow_config_overrides": {"core": {"max_active_tasks_per_dag": 17}}}' | tee -a "$OUT"
  # rolling: another configuration change by rolling_update.yml
  under_load rolling ansible-playbook -i "$INVENTORY" playbooks/rolling_update.yml -e rolling_update_verify_dag=airflowops_fanout \
    -e '{"airflow_config_overrides": {"core": {"max_active_tasks_per_dag": 18}}}' | tee -a "$OUT"
  # version: 3.2.2 -> 3.3.2 by rolling_update.yml
  under_load version ansible-playbook -i "$INVENTORY" playbooks/rolling_update.yml -e airflow_version=3.3.2 \
    -e rolling_update_verify_dag=airflowops_fanout \
    -e '{"airflow_config_overrides": {"core": {"max_active_tasks_per_dag": 18}}}' | tee -a "$OUT"
  # steady: the load alone, no change
  under_load steady sleep "${BENCH_STEADY:-360}" | tee -a "$OUT"
done
echo "rolling_update benchmark, $(date -u +%FT%TZ), $(nproc) cores; results in $OUT"
