#!/usr/bin/env bash
# Conformance test: the official Genesys Cloud Python SDK against the gcdoctor simulator.
#
#   bash tests/conformance/run.sh
#
# Creates a venv under the cargo target directory, installs requirements.txt, starts
# `gcdoctor simulate` with the `healthy` scenario on a free port (the binary named by
# GCDOCTOR_BIN, else a fresh debug build), waits for its `listening on http://ADDR` line,
# then runs test_sdk.py with the simulator as the SDK's HTTP proxy. Exits non-zero on any
# failure. `cargo test` runs it through tests/conformance.rs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
venv="$target/conformance-venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

# Run directly (not through `cargo run`) so the EXIT trap stops the server itself rather
# than a cargo process that would leave it running.
bin="${GCDOCTOR_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --quiet
  bin="$target/debug/gcdoctor"
fi

log="$(mktemp)"
"$bin" simulate --listen 127.0.0.1:0 --scenario healthy 2>"$log" &
sim_pid=$!
cleanup() {
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

url=""
for _ in $(seq 1 200); do
  url="$(sed -n 's/^listening on \(http:\/\/[^ ]*\)$/\1/p' "$log" | head -n 1)"
  [ -n "$url" ] && break
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    cat "$log" >&2
    echo "run.sh: the simulator exited before listening" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  cat "$log" >&2
  echo "run.sh: the simulator did not report its address within 20 s" >&2
  exit 1
fi

echo "simulator: $url"
PYTHONDONTWRITEBYTECODE=1 GCDOCTOR_SIM_PROXY="$url" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "$here/test_sdk.py"
