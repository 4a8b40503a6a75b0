#!/usr/bin/env bash
# Runs the package-benchmark micro benchmarks (Benchmarks/) against their stored static thresholds
# (Benchmarks/Thresholds/*.p90.json) and tells a regression from an improvement.
#
# `swift package benchmark thresholds check` exits 1 for both: its tool exits 2 (regression) or 4
# (improvement), but the command plugin turns either into a plugin error, which `swift package`
# reports with exit code 1. The tool's own last words tell them apart, and so does the plugin's
# error (`error: benchmarkThresholdRegression` / `error: benchmarkThresholdImprovement`):
#   "The baseline '...' is WORSE than the defined thresholds."   -> a regression (also when some
#                                                                   other metric improved)
#   "The baseline '...' is BETTER than the defined thresholds."  -> improvements only
#
# Exit codes:
#   0  within the thresholds, or improvements only (refresh the thresholds on purpose, see below)
#   1  a regression
#   2  the check itself did not run to a verdict (build failure, crash, missing thresholds, ...)
#
# What it judges: the counts only (mallocCountTotal, threadsCreated, threadsCreatedOnDemand), which
# are the same on every machine. Wall clock is machine-specific (the VM image of 2026-12 runs a bare
# futex round trip 64% slower than the one the stored p90s came from, with the code unchanged), so the
# check reads a copy of Thresholds/ without the time metrics; the pool's time is gated by `bench gate`,
# as ratios to floors measured interleaved in one process. The stored files keep the reference run's
# wall clock for the README's table, and `baseline compare` on one machine still uses the tolerances in
# IOWQBenchmarks.swift.
#
# Installs nothing: it assumes the root project's system packages are there (scripts/install-deps.sh)
# and builds in Benchmarks/.build only. Extra arguments go to the check, e.g. --filter "handoff.*".
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/Benchmarks" || exit 2

log="$(mktemp "${TMPDIR:-/tmp}/benchmark-check.XXXXXX")"
trap 'rm -f "$log"' EXIT

counts="$(mktemp -d "${TMPDIR:-/tmp}/benchmark-counts.XXXXXX")"
trap 'rm -f "$log"; rm -rf "$counts"' EXIT
python3 - "$root/Benchmarks/Thresholds" "$counts" <<'PY' || exit 2
import json, pathlib, sys
source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
files = sorted(source.glob("*.p90.json"))
if not files:
    sys.exit(f"benchmark-check: no thresholds in {source}")
for path in files:
    metrics = {name: value for name, value in json.loads(path.read_text()).items() if name != "wallClock"}
    (target / path.name).write_text(json.dumps(metrics, indent=2, sort_keys=True))
PY

swift package benchmark thresholds check --no-progress --path "$counts" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

refresh_hint() {
    cat <<'EOF'
To refresh the stored thresholds on purpose (then review and commit Benchmarks/Thresholds/):
  cd Benchmarks && swift package --allow-writing-to-package-directory benchmark thresholds update
EOF
}

echo
if [ "$status" -eq 0 ]; then
    echo "benchmark-check: within the stored thresholds."
    exit 0
fi
if grep -q -e "is WORSE than the defined thresholds" -e "error: benchmarkThresholdRegression" "$log"; then
    echo "benchmark-check: REGRESSION: a metric is worse than its stored threshold (see 'Deviations worse than threshold' above)."
    exit 1
fi
if grep -q -e "is BETTER than the defined thresholds" -e "error: benchmarkThresholdImprovement" "$log"; then
    echo "benchmark-check: IMPROVEMENT only: no metric is worse, at least one is better than its stored threshold"
    echo "(see 'Deviations better than threshold' above). Not a failure, but the thresholds are now stale."
    refresh_hint
    exit 0
fi
echo "benchmark-check: the check did not reach a verdict (exit $status): build failure, crash or missing thresholds; see above."
exit 2
