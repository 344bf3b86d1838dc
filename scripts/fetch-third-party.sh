#!/usr/bin/env bash
# fetch-third-party.sh — fetches pinned third-party sources into third_party/ (ignored by git).
#
# Sources come only from Debian's archive (through apt-get source) and the npm registry:
#   - Dear ImGui 1.86      Debian source package imgui 1.86+ds-1
#   - libsodium 1.0.18     Debian source package libsodium 1.0.18-1+deb12u1, with Debian's patches
#                          applied (for the wasm build; the
#                          native build links Debian's libsodium-dev, the same release)
#   - SQLite 3.53.2        the amalgamation inside the npm tarball better-sqlite3@12.11.1, used
#                          for both the native and the WebAssembly builds
#   - npm packages         package.json / package-lock.json (playwright-core, …) into node_modules/
# Every archive is checked against its sha256 before it is unpacked. Idempotent: a source already
# unpacked and stamped is left alone.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TP="$ROOT/third_party"
DL="$TP/downloads"
mkdir -p "$DL"

IMGUI_PKG="imgui=1.86+ds-1"
IMGUI_TAR="imgui_1.86+ds.orig.tar.xz"
IMGUI_SHA256="0dace0e8e57d298eb6e93af12dc19420cb96330832f6495c733b90aeeef11f64"
SODIUM_PKG="libsodium=1.0.18-1+deb12u1"
SODIUM_TAR="libsodium_1.0.18.orig.tar.gz"
SODIUM_DEBIAN_TAR="libsodium_1.0.18-1+deb12u1.debian.tar.xz"   # Debian's security patches
SODIUM_DEBIAN_SHA256="f410474e46346b06b162defa05b1be26906aeed6cf309e3d4ebe30b4d1350733"
SODIUM_SHA256="d59323c6b712a1519a5daf710b68f5e7fde57040845ffec53850911f10a5d4f4"
SQLITE_NPM="better-sqlite3@12.11.1"
SQLITE_TGZ="better-sqlite3-12.11.1.tgz"
SQLITE_SHA256="ebf0ed75a7a59dbcb3b24bbd014ef49d9f15bc328e4adcbf516f2a8fadfa2835"

check_sha() { # file expected
  local got; got=$(sha256sum "$1" | cut -d' ' -f1)
  if [ "$got" != "$2" ]; then echo "[fetch] sha256 mismatch for $1: got $got, want $2" >&2; exit 1; fi
}

ensure_deb_src() { # apt-get source needs deb-src lines for the same mirrors as the deb lines
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
        $SUDO tee /etc/apt/sources.list.d/lifebuoy-deb-src.sources >/dev/null
    else
      grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
        $SUDO tee /etc/apt/sources.list.d/lifebuoy-deb-src.list >/dev/null
    fi
    $SUDO apt-get update -qq
  fi
}

fetch_deb_source() { # pkg=version tarball sha256
  if [ ! -f "$DL/$2" ]; then
    ensure_deb_src
    (cd "$DL" && apt-get source --download-only -qq "$1" 2>&1 | grep -v 'as root' || true)
  fi
  [ -f "$DL/$2" ] || { echo "[fetch] apt-get source $1 did not produce $2" >&2; exit 1; }
  check_sha "$DL/$2" "$3"
}

# --- Dear ImGui ------------------------------------------------------------------------------
if [ ! -f "$TP/imgui/.stamp" ]; then
  fetch_deb_source "$IMGUI_PKG" "$IMGUI_TAR" "$IMGUI_SHA256"
  rm -rf "$TP/imgui" && mkdir -p "$TP/imgui"
  tar -xJf "$DL/$IMGUI_TAR" -C "$TP/imgui" --strip-components=1
  touch "$TP/imgui/.stamp"
fi

# --- libsodium (source, for the wasm build) --------------------------------------------------
if [ ! -f "$TP/libsodium/.stamp" ]; then
  fetch_deb_source "$SODIUM_PKG" "$SODIUM_TAR" "$SODIUM_SHA256"
  rm -rf "$TP/libsodium" && mkdir -p "$TP/libsodium"
  tar -xzf "$DL/$SODIUM_TAR" -C "$TP/libsodium" --strip-components=1
  check_sha "$DL/$SODIUM_DEBIAN_TAR" "$SODIUM_DEBIAN_SHA256"
  tar -xJf "$DL/$SODIUM_DEBIAN_TAR" -C "$TP/libsodium"
  while read -r p; do
    [ -n "$p" ] && patch -s -p1 -d "$TP/libsodium" < "$TP/libsodium/debian/patches/$p"
  done < "$TP/libsodium/debian/patches/series"
  # the release tarball has no configure script: generate it once here (autoconf/automake/libtool;
  # autogen.sh tries to download config.guess and carries on without it)
  (cd "$TP/libsodium" && ./autogen.sh -s >/dev/null 2>&1 || true)
  [ -x "$TP/libsodium/configure" ] || { echo "[fetch] libsodium autogen.sh did not produce configure" >&2; exit 1; }
  touch "$TP/libsodium/.stamp"
fi

# --- SQLite amalgamation ---------------------------------------------------------------------
if [ ! -f "$TP/sqlite/.stamp" ]; then
  [ -f "$DL/$SQLITE_TGZ" ] || (cd "$DL" && npm pack --silent "$SQLITE_NPM" >/dev/null 2>&1)
  check_sha "$DL/$SQLITE_TGZ" "$SQLITE_SHA256"
  rm -rf "$TP/sqlite" && mkdir -p "$TP/sqlite"
  tar -xzf "$DL/$SQLITE_TGZ" -C "$TP/sqlite" --strip-components=3 \
    package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
  grep -q '#define SQLITE_VERSION *"3.53.2"' "$TP/sqlite/sqlite3.h" || { echo "[fetch] unexpected SQLite version" >&2; exit 1; }
  touch "$TP/sqlite/.stamp"
fi

# --- npm packages (pinned by package-lock.json) ----------------------------------------------
if [ ! -f "$ROOT/node_modules/.package-lock.json" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  (cd "$ROOT" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) || (cd "$ROOT" && npm ci --no-audit --no-fund)
fi
echo "[fetch] third-party sources ready in third_party/"
