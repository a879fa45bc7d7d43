# shellcheck shell=bash
# Shared helpers for scripts/lab, scripts/test and benchmarks/*: make sure the controller tooling,
# a Docker engine and the Debian 12 systemd base image exist. Each step is a no-op when already done.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="${AIRFLOWOPS_VENV:-$REPO_ROOT/.venv}"
BASE_IMAGE="${AIRFLOWOPS_BASE_IMAGE:-airflowops/debian12-systemd:latest}"
export PATH="$VENV/bin:$PATH"
export ANSIBLE_CONFIG="$REPO_ROOT/ansible.cfg"
# Some machines carry a pip config with local indexes and constraints; the tooling venv is pinned by
# hashes, so ignore it unless the caller sets PIP_CONFIG_FILE on purpose.
export PIP_CONFIG_FILE="${PIP_CONFIG_FILE:-/dev/null}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages the controller needs; installed only when one is missing.
ensure_apt_packages() {
  local missing=() pkg
  for pkg in python3-venv docker.io debootstrap git rsync; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: install them by hand"
  log "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The controller venv with ansible, molecule, linters and uv, synced to requirements/dev.txt (hashed).
ensure_venv() {
  local stamp="$VENV/.requirements.sha256" want
  want=$(sha256sum "$REPO_ROOT/requirements/dev.txt" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "Creating controller venv $VENV"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    "uv==$(sed -n 's/^uv==\([^ ]*\).*/\1/p' "$REPO_ROOT/requirements/dev.txt")"
  "$VENV/bin/uv" pip sync -q --python "$VENV/bin/python" --require-hashes "$REPO_ROOT/requirements/dev.txt"
  echo "$want" >"$stamp"
}

docker_answers() { docker info >/dev/null 2>&1; }

# A Docker engine that answers: the running one, systemd's, or a dockerd we start ourselves.
ensure_docker() {
  docker_answers && return 0
  if [ -d /run/systemd/system ]; then
    log "Starting docker.service"
    as_root systemctl start docker || true
  fi
  if ! docker_answers; then
    log "Starting dockerd (no systemd here); log in /var/log/airflowops-dockerd.log"
    as_root sh -c 'nohup dockerd >/var/log/airflowops-dockerd.log 2>&1 &'
  fi
  local i
  for i in $(seq 1 60); do docker_answers && return 0; sleep 1; done
  die "the Docker engine did not answer within 60 s (see /var/log/airflowops-dockerd.log)"
}

# The Debian 12 image with systemd as PID 1 that lab and Molecule hosts boot from. No registry is
# needed: debootstrap builds the root file system and docker import turns it into an image.
ensure_base_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  log "Building base image $BASE_IMAGE with debootstrap (about a minute)"
  local root
  root=$(mktemp -d /var/tmp/airflowops-rootfs.XXXXXX)
  as_root debootstrap --variant=minbase \
    --include=python3,python3-apt,systemd,systemd-sysv,dbus,sudo,procps,iproute2,ca-certificates \
    bookworm "$root" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
  # Containers have no consoles or hardware to wait for; keep their boot short and quiet.
  as_root rm -f "$root"/etc/systemd/system/getty.target.wants/* \
    "$root"/lib/systemd/system/multi-user.target.wants/getty.target
  as_root sh -c "echo 'debian12' >'$root/etc/hostname'"
  as_root tar -C "$root" -c . | docker import -c 'CMD ["/sbin/init"]' -c 'ENV container=docker' - "$BASE_IMAGE" >/dev/null
  as_root rm -rf "$root"
}

# Wait until systemd in container $1 finished booting. Right after "docker run" its bus may not exist yet,
# so ask again until it answers.
wait_booted() {
  local state="" i
  for i in $(seq 1 60); do
    state=$(docker exec "$1" systemctl is-system-running --wait 2>/dev/null || true)
    case "$state" in running|degraded) return 0;; esac
    sleep 1
  done
  die "$1 did not finish booting (systemd: ${state:-no answer})"
}

ensure_controller() {
  ensure_apt_packages
  ensure_venv
  ensure_docker
  ensure_base_image
}
