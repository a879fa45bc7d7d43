# Shared by the benchmark scripts: "source benchmarks/lib.sh NAME" sets up the controller (scripts/lib.sh),
# moves to the repository and sets OUT, the results file benchmarks/results/NAME-<UTC time>.txt.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$REPO_ROOT" || exit 1
ensure_controller
RESULTS="$REPO_ROOT/benchmarks/results"
mkdir -p "$RESULTS"
OUT="$RESULTS/$1-$(date -u +%Y%m%dT%H%M%SZ).txt"
# Seconds since the epoch, and the seconds from $1 to $2 with one decimal.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# Rounds on the hybrid Molecule scenario's hosts: created, prepared and converged (log in /tmp/bench-$1.log; on hosts
# an earlier BENCH_KEEP=1 run kept, create and prepare skip and the converge changes nothing), then the playbook $2
# (relative to molecule/shared) run as the scenario's side effect, which writes its figures to $BENCH_OUT; those
# figures under the headline $3 go to $OUT. The hosts are destroyed at exit unless BENCH_KEEP=1.
hybrid_rounds() {
  # The default release (the scenario deploys the one before it for the suite's update and rollback).
  export HYBRID_AIRFLOW_VERSION=3.3.2
  [ "${BENCH_KEEP:-0}" = 1 ] || trap 'molecule destroy -s hybrid >/dev/null 2>&1 || true' EXIT
  log "hybrid scenario hosts (create, prepare, converge)"
  molecule create -s hybrid >"/tmp/bench-$1.log" 2>&1 \
    && molecule converge -s hybrid >>"/tmp/bench-$1.log" 2>&1 || { tail -40 "/tmp/bench-$1.log"; die "converge failed"; }
  log "$1 rounds"
  export BENCH_OUT="/tmp/bench-$1-figures.txt"
  rm -f "$BENCH_OUT"
  HYBRID_SIDE_EFFECT="$2" molecule side-effect -s hybrid >"/tmp/bench-$1-rounds.log" 2>&1 \
    || { tail -40 "/tmp/bench-$1-rounds.log"; die "rounds failed"; }
  { echo "$3, $(date -u +%FT%TZ), $(nproc) cores"; cat "$BENCH_OUT"; } | tee "$OUT"
}
