#!/usr/bin/env bash
# Builds the web app into OUT (default build/web): `npm ci` first when node_modules is missing or
# older than package-lock.json (the registry is needed only then), then a type check and the Vite
# build. Used by `make build` and by the CMake target `web` that the browser tests depend on.
set -euo pipefail
web="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$web/../build/web}")"
cd "$web"
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
npx --no-install tsc --noEmit
npx --no-install vite build --outDir "$out" --emptyOutDir --logLevel warn
echo "web: built $out"
