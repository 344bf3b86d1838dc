#!/usr/bin/env bash
# install-deps.sh — installs, idempotently, every system package Lifebuoy needs on Debian 12.
#
# Only Debian's packages are used here (npm packages are pinned in package.json and installed by
# scripts/fetch-third-party.sh). Versions are pinned exactly where Debian 12 keeps them stable;
# Chromium gets security updates within a stable release, so it is pinned by major version and
# checked after install. Runs as root (as on a fresh machine) or through sudo when available.
#
#   scripts/install-deps.sh           install what is missing, quietly
#   scripts/install-deps.sh --check   only report what is missing (exit 1 if anything is)
set -euo pipefail

# package=version, exact
PINNED=(
  "emscripten=3.1.6~dfsg-5"
  "nlohmann-json3-dev=3.11.2-2"
  "doctest-dev=2.4.9~ds-1"
  "libsodium-dev=1.0.18-1+deb12u1"
  "libboost-dev=1.74.0.3"
  "libcli11-dev=2.1.2+ds-1"
  "fonts-dejavu-core=2.37-6"
  "fonts-droid-fallback=1:6.0.1r16-1.1"
  "brotli=1.0.9-2+deb12u1"
  "libbrotli-dev=1.0.9-2+deb12u1"
  "zlib1g-dev"
  "clang=1:14.0-55.7~deb12u1"
  "libclang-rt-14-dev=1:14.0.6-12"
  "python3-fonttools=4.38.0-1+deb12u1"
  "autoconf=2.71-3"
  "automake=1:1.16.5-1.3"
  "libtool=2.4.7-7~deb12u1"
  "xz-utils"
  "cmake"
  "ninja-build"
  "curl"
)
CHROMIUM_MAJOR=156

missing=()
for spec in "${PINNED[@]}"; do
  name=${spec%%=*}
  want=${spec#*=}; [ "$want" = "$spec" ] && want=""
  have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null | awk '$3=="installed"{print $4}' || true)
  if [ -z "$have" ] || { [ -n "$want" ] && [ "$have" != "$want" ]; }; then missing+=("$spec"); fi
done
dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'ok installed' || missing+=("chromium")
# the machine image may carry its own Node.js; Debian's is used only when there is none
command -v node >/dev/null 2>&1 || missing+=("nodejs")
command -v npm >/dev/null 2>&1 || missing+=("npm")

if [ "${1:-}" = "--check" ]; then
  [ ${#missing[@]} -eq 0 ] && { echo "all system packages present"; exit 0; }
  printf 'missing: %s\n' "${missing[*]}"; exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "[deps] installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

major=$(chromium --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
if [ "$major" != "$CHROMIUM_MAJOR" ]; then
  echo "[deps] warning: expected Chromium $CHROMIUM_MAJOR, found '${major:-none}'" >&2
fi
