#!/usr/bin/env bash
# make demo: the whole product on this machine. A loopback Mosquitto with the protocol's logins and
# ACL, `latchkey serve` on SQLite with the web app, and a simulated site (`latchkey sim`), then a
# demo site seeded through the public API (scripts/demo_seed.py) with locks in varied health.
# Everything lives in build/demo and stops with Ctrl-C. DEMO_HTTP_PORT picks the web port.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${DEMO_BIN:-"$root/build/latchkey"}  # DEMO_BIN: run the demo from another build
dir="$root/build/demo"
site=maple-court
locks=6
hubs=2
http_port=${DEMO_HTTP_PORT:-8080}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # A process that has not stopped 10 s after SIGTERM is killed, so Ctrl-C always ends the demo.
  for _ in $(seq 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

if ! python3 -c 'import socket,sys; socket.create_server(("127.0.0.1", int(sys.argv[1]))).close()' \
  "$http_port" 2>/dev/null; then
  echo "demo: port $http_port is taken (another demo still running?); set DEMO_HTTP_PORT" >&2
  exit 1
fi
rm -rf "$dir" && mkdir -p "$dir"
broker_port=$(free_port)

"$bin" broker init --site "$site" --locks "$locks" --hubs "$hubs" --dir "$dir" --port "$broker_port" \
  > "$dir/broker-init.log"
"$bin" broker run --dir "$dir" > "$dir/broker.log" 2>&1 &
pids+=($!)

cat > "$dir/latchkey.toml" <<TOML
[http]
port = $http_port
[store]
path = "$dir/latchkey.db"
[broker]
port = $broker_port
credentials_file = "$dir/credentials"
[web]
static_dir = "$root/build/web"
TOML
"$bin" serve --config "$dir/latchkey.toml" > "$dir/server.log" 2>&1 &
pids+=($!)

"$bin" sim --broker "127.0.0.1:$broker_port" --site "$site" --locks "$locks" --hubs "$hubs" \
  --credentials "$dir/credentials" --control "$dir/sim.sock" --manifest "$dir/manifest.json" \
  > "$dir/sim.log" 2>&1 &
pids+=($!)

python3 "$root/scripts/demo_seed.py" --bin "$bin" --config "$dir/latchkey.toml" \
  --url "http://127.0.0.1:$http_port" --site "$site" --manifest "$dir/manifest.json" \
  --control "$dir/sim.sock" --logins "$dir/logins.txt"

cat <<TEXT

Latchkey is running: open http://127.0.0.1:$http_port/
$(cat "$dir/logins.txt")
Logs and data: $dir (server.log, sim.log, broker.log). Ctrl-C stops everything.
TEXT
wait
