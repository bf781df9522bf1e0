#!/usr/bin/env bash
# Installs every Debian package Latchkey needs to build, test and demo, and nothing twice.
# Idempotent: a package already installed is skipped, so a second run changes nothing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev ccache
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsodium-dev libsqlite3-dev sqlite3 libpq-dev libmosquitto-dev libcurl4-openssl-dev
  libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # the IANA time-zone database (sites' schedules are in local time; server/access/time_zone.hpp)
  tzdata
  # real parts the product and its tests talk to
  mosquitto mosquitto-clients postgresql wrk python3-aiosmtpd
  # web front end and its browser tests
  nodejs chromium chromium-driver python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Debian's nodejs comes without npm (a separate package); NodeSource's bundles it.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The broker is started by the project on a loopback port of its own, never as a system service.
if command -v systemctl >/dev/null 2>&1; then
  "${sudo_cmd[@]}" systemctl disable --now mosquitto >/dev/null 2>&1 || true
fi
