#!/usr/bin/env bash
# Builds the web app into OUT (default build/web): installs the locked packages first when
# node_modules is missing or older than package-lock.json (the registry is needed only then), then
# a type check and the Vite build. Used by `make build` and by the CMake target `web` that the browser tests depend on.
set -euo pipefail
web="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$web/../build/web}")"
cd "$web"
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  # Not `npm ci`: the registry this machine reaches serves only Linux x64's builds of the
  # platform-specific optional packages (rollup's, esbuild's), so the lockfile cannot list the
  # other platforms' and `npm ci` refuses it as out of sync. `--no-save` installs exactly the
  # locked versions and leaves the lockfile as committed.
  echo "web: npm install (locked versions)"
  npm install --no-save --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
npx --no-install tsc --noEmit
npx --no-install vite build --outDir "$out" --emptyOutDir --logLevel warn
echo "web: built $out"
