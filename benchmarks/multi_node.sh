#!/usr/bin/env bash
# Multi-node figures on lab containers (scripts/lab up multi), for 1 and for 4 Celery workers:
#   cold: lab hosts start -> playbooks/multi_node.yml -> first successful run of the 8-way fan-out DAG
#   rerun: idempotent rerun of the playbook, wall time and changed count
# Goal: cold(4 workers) / cold(1 worker) <= 1.3 (wheelhouse built once on the controller, hosts install
# in parallel). Usage: benchmarks/multi_node.sh  (results also in benchmarks/results/multi_node-<date>.txt)
source "$(dirname "$0")/lib.sh" multi_node

export LAB_NAME=airflowops-bench LAB_PORT="${BENCH_PORT:-18080}"
trap 'scripts/lab down >/dev/null 2>&1 || true' EXIT
changed_count() { sed -n 's/.* changed=\([0-9]*\) .*/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }'; }

declare -A COLD RERUN CHANGED
for workers in 1 4; do
  scripts/lab down >/dev/null 2>&1 || true
  log "cold converge with $workers worker(s)"
  t0=$(now)
  LAB_WORKERS=$workers scripts/lab up multi >"/tmp/bench-multi-$workers.log" 2>&1 \
    || { tail -40 "/tmp/bench-multi-$workers.log"; die "lab up failed"; }
  ansible-playbook -i .lab/inventory.yml benchmarks/first_dag_run.yml -e verify_dag_id=airflowops_fanout -e verify_min_tasks=9 \
    >"/tmp/bench-multi-dag-$workers.log" 2>&1 || { tail -40 "/tmp/bench-multi-dag-$workers.log"; die "DAG run failed"; }
  t1=$(now)
  COLD[$workers]=$(elapsed "$t0" "$t1")
  log "idempotent rerun with $workers worker(s)"
  t2=$(now)
  ansible-playbook -i .lab/inventory.yml playbooks/multi_node.yml >"/tmp/bench-multi-rerun-$workers.log" 2>&1 \
    || { tail -40 "/tmp/bench-multi-rerun-$workers.log"; die "rerun failed"; }
  t3=$(now)
  RERUN[$workers]=$(elapsed "$t2" "$t3")
  CHANGED[$workers]=$(changed_count "/tmp/bench-multi-rerun-$workers.log")
done

{
  echo "multi_node benchmark, $(date -u +%FT%TZ), $(nproc) cores, Airflow 3.3.2, hosts: db, broker, 2 schedulers, api-server + N workers"
  for workers in 1 4; do
    echo "workers=$workers: cold converge -> first successful fan-out run ${COLD[$workers]} s; idempotent rerun ${RERUN[$workers]} s, changed=${CHANGED[$workers]}"
  done
  echo "ratio cold(4)/cold(1): $(awk -v a="${COLD[4]}" -v b="${COLD[1]}" 'BEGIN { printf "%.2f", a / b }')  goal <= 1.3"
} | tee "$OUT"
