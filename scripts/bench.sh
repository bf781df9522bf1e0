#!/usr/bin/env bash
# Runs every benchmark binary (build/release/bench/**/bench_*) and merges the flat metric files
# they write into build/bench/results.json. Budgets are ratios against baselines measured here,
# in the same run, never timed assertions in tests. bench_lockout_backup: backup_request_timing_ratio(_p90).
set -euo pipefail
cd "$(dirname "$0")/.."
export LATCHKEY_BENCH_DIR="$PWD/build/bench"
rm -rf "$LATCHKEY_BENCH_DIR/parts"
mkdir -p "$LATCHKEY_BENCH_DIR/parts"

status=0
while IFS= read -r bin; do
  echo "== $(basename "$bin")"
  "$bin" || { echo "bench: $(basename "$bin") failed" >&2; status=1; }
done < <(find build/release/bench -type f -name 'bench_*' -perm -u+x | sort)

python3 - "$LATCHKEY_BENCH_DIR" <<'PY'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
merged = {}
for part in sorted((root / "parts").glob("*.json")):
    merged.update(json.loads(part.read_text()))
(root / "results.json").write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
print(json.dumps(merged, indent=2, sort_keys=True))
PY
exit $status
