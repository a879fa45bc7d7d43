#!/usr/bin/env bash
# Single-node figures, on a fresh lab container:
#   (a) cold converge: bare container -> playbooks/single_node.yml -> first successful DAG run
#   (b) idempotent rerun: wall time and changed count
#   (c) installing the Airflow lock: uv from the wheelhouse vs plain pip from PyPI (no wheelhouse, no cache)
#   (d) memory of each Airflow unit as PSS (benchmarks/unit_pss.py): right after deploy, after the first DAG
#       run, and idle a minute later
# The wheelhouse is built once on the controller; when it is missing, (a) includes building it (noted).
# Usage: benchmarks/single_node.sh   (results also go to benchmarks/results/single_node-<date>.txt)
source "$(dirname "$0")/lib.sh" single_node

NAME=airflowops-bench
WORK=$(mktemp -d /tmp/airflowops-bench.XXXXXX)
cleanup() { docker rm -f "$NAME" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
cleanup; mkdir -p "$WORK"

cat >"$WORK/hosts.yml" <<INV
all:
  vars:
    ansible_connection: community.docker.docker
    airflow_secrets_file: $WORK/secrets.yml
  children:
    airflow:
      hosts:
        $NAME:
INV

changed_count() { sed -n 's/.* changed=\([0-9]*\) .*/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }'; }
play() { ansible-playbook -i "$WORK/hosts.yml" "$@"; }

wheelhouse_note="wheelhouse already on the controller"
ls "${AIRFLOWOPS_WHEELHOUSE:-$HOME/.cache/airflowops/wheelhouse}"/*.tar >/dev/null 2>&1 \
  || wheelhouse_note="wheelhouse built during (a)"

log "(a) cold converge to the first successful DAG run"
t0=$(now)
docker run -d --name "$NAME" --hostname "$NAME" --cap-add SYS_ADMIN --cgroupns host \
  --security-opt seccomp=unconfined -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock \
  "$BASE_IMAGE" /sbin/init >/dev/null
wait_booted "$NAME"
play playbooks/single_node.yml >"$WORK/converge.log" || { tail -40 "$WORK/converge.log"; die "converge failed"; }
t_converged=$(now)
docker cp benchmarks/unit_pss.py "$NAME:/tmp/unit_pss.py"
pss() { docker exec "$NAME" python3 /tmp/unit_pss.py; }
mem_deploy=$(pss)
play benchmarks/first_dag_run.yml >"$WORK/dagrun.log" || { tail -40 "$WORK/dagrun.log"; die "DAG run failed"; }
t1=$(now)
mem_run=$(pss)
cold=$(elapsed "$t0" "$t1")

log "(b) idempotent rerun"
t2=$(now)
play playbooks/single_node.yml >"$WORK/rerun.log" || { tail -40 "$WORK/rerun.log"; die "rerun failed"; }
t3=$(now)
rerun=$(elapsed "$t2" "$t3")
rerun_changed=$(changed_count "$WORK/rerun.log")

log "(d) memory idle, a minute after the run"
sleep 60
mem_idle=$(pss)

log "(c) install step: uv + wheelhouse vs plain pip from the index"
lock=/opt/airflow/requirements-3.3.2.txt
wheelhouse=$(docker exec "$NAME" sh -c 'ls -d /opt/airflow/wheelhouse/*/ | head -1')
uv=$(docker exec "$NAME" sh -c 'ls /opt/airflow/tools/*/bin/uv | head -1')
docker cp /etc/ssl/certs/ca-certificates.crt "$NAME:/tmp/ca.pem"
t4=$(now)
docker exec -e UV_CACHE_DIR=/tmp/uv-cache "$NAME" sh -c \
  "$uv venv -q /tmp/bench-uv && $uv pip sync -q --require-hashes \
   --python /tmp/bench-uv/bin/python --no-index --find-links $wheelhouse $lock"
t5=$(now)
# pip resolves the lock again and may refuse it (an extra such as celery[redis] that names no pinned version
# in --require-hashes mode); uv installs exactly what is locked. A refusal is reported, not fatal.
pip_err=$(docker exec -e PIP_CONFIG_FILE=/dev/null "$NAME" sh -c \
  "python3 -m venv /tmp/bench-pip && /tmp/bench-pip/bin/pip install -q --no-cache-dir --disable-pip-version-check \
   --cert /tmp/ca.pem --require-hashes -r $lock" 2>&1) && pip_ok=1 || pip_ok=0
t6=$(now)
uv_s=$(elapsed "$t4" "$t5"); pip_s=$(elapsed "$t5" "$t6")

{
  echo "single_node benchmark, $(date -u +%FT%TZ), $(nproc) cores, Airflow 3.3.2 ($wheelhouse_note)"
  echo "(a) cold converge -> first successful DAG run: ${cold} s (converge $(elapsed "$t0" "$t_converged") s, DAG run $(elapsed "$t_converged" "$t1") s)  goal <= 90 s with a warm wheelhouse"
  echo "(b) idempotent rerun: ${rerun} s, changed=${rerun_changed}, $(awk -v r="$rerun" -v c="$cold" 'BEGIN { printf "%.1f", 100 * r / c }') % of (a)  goal 0 changed and <= 15 s"
  if [ "$pip_ok" = 1 ]; then
    echo "(c) install: uv + wheelhouse ${uv_s} s, pip from index ${pip_s} s, $(awk -v u="$uv_s" -v p="$pip_s" 'BEGIN { printf "%.1f", p / u }')x faster  goal >= 3x"
  else
    echo "(c) install: uv + wheelhouse ${uv_s} s; pip refused the lock after ${pip_s} s: $(echo "$pip_err" | grep -m1 -i error)"
  fi
  echo "(d) memory (PSS) right after deploy:"; echo "$mem_deploy" | sed 's/^/    /'
  echo "    after the first DAG run:"; echo "$mem_run" | sed 's/^/    /'
  echo "    idle, a minute later (goal total <= 900 MB):"; echo "$mem_idle" | sed 's/^/    /'
} | tee "$OUT"
