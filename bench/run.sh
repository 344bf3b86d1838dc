#!/usr/bin/env bash
# run.sh — runs every benchmark built in BUILD_DIR/bench, then every bench/*.mjs (the npm peers
# compared in the same run), saving each one's output in bench/results/<name>.txt (ignored by git). Benchmarks print medians and ratios; the figures
# reported in issue notes come from here.
set -euo pipefail
BUILD=${1:-build/release}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$ROOT/bench/results"
found=0
for b in "$BUILD"/bench/*_bench; do
  [ -x "$b" ] || continue
  found=1
  name=$(basename "$b")
  echo "== $name"
  "$b" | tee "$ROOT/bench/results/$name.txt"
done
[ "$found" = 1 ] || echo "no benchmarks built in $BUILD/bench"
# peers measured in the same run (npm packages), reading what the native benchmarks wrote, then
# the browser benchmarks (*_bench.mjs: commit_latency_bench, crypto_browser_bench, kb_browser_bench,
# portal_load_bench) on BUILD's dist/, server and bench-only wasm modules (BUILD/wasm/bench/)
run_node() {
  local name
  name=$(basename "$1" .mjs)
  echo "== $name"
  LB_BUILD_DIR="$BUILD" LB_SHARED_DATA_DIR="$ROOT/../shared/data" node "$1" | tee "$ROOT/bench/results/$name.txt"
}
for script in "$ROOT"/bench/*.mjs; do
  [ -f "$script" ] || continue
  case "$script" in *_bench.mjs) ;; *) run_node "$script" ;; esac
done
for script in "$ROOT"/bench/*_bench.mjs; do
  [ -f "$script" ] || continue
  run_node "$script"
done
