#!/usr/bin/env bash
# make bench: see bench/run.py (pull) and bench/containers.py (container start overhead, ps with
# 1,000 containers). Needs root (containerd and umoci unpack mount and chown; runc).
set -eu
cd "$(dirname "$0")/.."
python3 bench/run.py "$@"
python3 bench/containers.py
