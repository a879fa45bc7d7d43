#!/usr/bin/env bash
# Connections through the REST API module vs a loop of "airflow connections add", on the single-node lab:
#   (a) airflow_connection applies N connections (one bulk call), from the controller
#   (b) the same call again: wall time and changed count (goal: 0 changed)
#   (c) a shell loop of N "airflow connections add" on the lab host itself (the CLI's fastest form)
# Goal: (a) >= 20x faster than (c). Wall times include ansible-playbook's own start-up for (a) and (b).
# Usage: benchmarks/connections.sh [N]   (default 200; needs the lab: scripts/lab up)
source "$(dirname "$0")/lib.sh" connections
N="${1:-200}"
LAB_NAME="${LAB_NAME:-airflowops-lab}"
HOST="$LAB_NAME-1"
SECRETS="$REPO_ROOT/.lab/secrets/lab.yml"
API="http://127.0.0.1:${LAB_PORT:-8080}"
docker container inspect "$HOST" >/dev/null 2>&1 && [ -f "$SECRETS" ] || die "no single-node lab: run scripts/lab up"

bench() { ansible-playbook benchmarks/connections.yml -e "api_url=$API" -e "secrets_file=$SECRETS" -e "bench_count=$N" "$@"; }
cli_cleanup() { bench -e state=absent -e bench_prefix=bench_cli_ >/dev/null; }

log "Clean slate"
bench -e state=absent >/dev/null || die "could not reach the lab's API at $API"
cli_cleanup

log "(a) module: $N connections in one call"
t0=$(now); bench >"/tmp/bench-conn-a.log" || { tail -30 /tmp/bench-conn-a.log; die "apply failed"; }; t1=$(now)
a=$(elapsed "$t0" "$t1"); a_line=$(grep -o 'BENCH [^"]*' /tmp/bench-conn-a.log)

log "(b) module: the same call again"
t0=$(now); bench >"/tmp/bench-conn-b.log" || die "re-apply failed"; t1=$(now)
b=$(elapsed "$t0" "$t1"); b_line=$(grep -o 'BENCH [^"]*' /tmp/bench-conn-b.log)

log "(c) CLI: $N x airflow connections add on $HOST"
t0=$(now)
docker exec "$HOST" bash -c "for i in \$(seq 0 $((N - 1))); do
  airflow connections add bench_cli_\$i --conn-type postgres --conn-host db\$i.example.invalid --conn-port 5432 \
    --conn-login user\$i --conn-password secret-\$i --conn-schema sales --conn-extra '{\"sslmode\": \"require\"}' >/dev/null || exit 1
done" || die "CLI loop failed"
t1=$(now)
c=$(elapsed "$t0" "$t1")

log "Clean up"
bench -e state=absent >/dev/null
bench -e state=absent -e bench_prefix=bench_cli_ >/dev/null

ratio=$(awk -v a="$a" -v c="$c" 'BEGIN { printf "%.1f", c / a }')
{
  echo "connections benchmark $(date -u +%FT%TZ) on $(nproc) cores, N=$N, lab host $HOST"
  echo "(a) module apply:    ${a} s  ($a_line)"
  echo "(b) module re-apply: ${b} s  ($b_line)"
  echo "(c) CLI loop:        ${c} s  ($(awk -v c="$c" -v n="$N" 'BEGIN { printf "%.2f", c / n }') s per connection)"
  echo "speed-up (c)/(a):    ${ratio}x  (goal >= 20x)"
} | tee "$OUT"
