#!/usr/bin/env bash
# Push-to-visible on the dag_delivery Molecule scenario (Git server over SSH, control host, worker; git_sync
# checkout mode, interval from molecule/dag_delivery/molecule.yml): seconds from "git push" returning to the
# new DAG answering in the REST API, over BENCH_ROUNDS rounds (default 5). Goal: <= interval + 10 s.
# Usage: benchmarks/dag_delivery.sh   (keeps the scenario's hosts when BENCH_KEEP=1; results in benchmarks/results/)
source "$(dirname "$0")/lib.sh" dag_delivery
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'molecule destroy -s dag_delivery >/dev/null 2>&1 || true' EXIT

log "dag_delivery scenario hosts (create, prepare, converge)"
molecule create -s dag_delivery >/tmp/bench-dd.log 2>&1 \
  && molecule prepare -s dag_delivery >>/tmp/bench-dd.log 2>&1 \
  && molecule converge -s dag_delivery >>/tmp/bench-dd.log 2>&1 || { tail -40 /tmp/bench-dd.log; die "converge failed"; }
log "push-to-visible rounds"
export BENCH_OUT=/tmp/bench-dd-figures.txt
rm -f "$BENCH_OUT"
DAG_DELIVERY_SIDE_EFFECT=../../benchmarks/push_to_visible.yml \
  molecule side-effect -s dag_delivery >/tmp/bench-dd-rounds.log 2>&1 || { tail -40 /tmp/bench-dd-rounds.log; die "rounds failed"; }
{
  echo "dag_delivery benchmark, $(date -u +%FT%TZ), $(nproc) cores, Airflow 3.3.2, git_sync checkout mode over SSH"
  cat "$BENCH_OUT"
} | tee "$OUT"
