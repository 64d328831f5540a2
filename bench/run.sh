#!/usr/bin/env bash
# make bench: see bench/run.py. Needs root (containerd and umoci unpack mount and chown).
set -eu
cd "$(dirname "$0")/.."
exec python3 bench/run.py "$@"
