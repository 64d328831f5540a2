#!/usr/bin/env bash
# Installs what building, testing and the demo need, and only what is missing, so a second run
# costs a second. Debian packages via apt; NuGet packages into the repo (see module/).
set -eu
cd "$(dirname "$0")/../.."

APT_PACKAGES=(
  build-essential pkg-config                       # compiler, make
  libcurl4-openssl-dev libjson-c-dev libarchive-dev libssl-dev libsqlite3-dev libzstd-dev
  docker-registry skopeo apache2-utils             # the loopback registry, image pushes, htpasswd
  python3 python3-cryptography                     # fault proxy and token server in tests/lib
  runc umoci containerd containernetworking-plugins iproute2 iptables busybox-static
  gcc-mingw-w64-x86-64                             # Windows sources compile check
  valgrind jq curl openssl                         # pull tests: HTTP control of test servers, test certificates
  clang-14 libclang-rt-14-dev                      # libFuzzer targets (tests/fuzz, fuzz smoke suite)
  zstd time                                        # layer tests: zstd fixtures, peak RSS of bombs
  sqlite3                                          # lifecycle tests: seed and read berth.db
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's docker-registry and containerd packages may start system services; Berth's tests
# start their own instances on loopback and never rely on (or stop) those.

# NuGet packages for the PowerShell module and its test host go into build/nuget (in the repo).
if [ -x module/restore.sh ]; then
  module/restore.sh
fi
