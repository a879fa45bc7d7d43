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
