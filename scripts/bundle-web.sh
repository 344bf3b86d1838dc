#!/usr/bin/env bash
# bundle-web.sh — assembles the web bundle that lifebuoy-server serves.
#
#   bundle-web.sh SOURCE_DIR WASM_OUT_DIR FONT_CACHE_DIR DIST_DIR
#
# Copies the HTML shell, Worker script, service worker, manifest and icons from web/, the two
# WebAssembly modules from the Emscripten sub-build, the starter knowledge base (assets/kb/*.md
# as kb/articles.json), and the portal's fonts, subsetted from
# Debian's font packages (cached in FONT_CACHE_DIR, rebuilt only when missing):
#   lifebuoy-sans.ttf  DejaVu Sans: Latin, Greek, Cyrillic, punctuation, symbols (loaded at start)
#   lifebuoy-cjk.ttf   Droid Sans Fallback: CJK, kana, Hangul (loaded when such text appears)
# The shell version is a hash of every file, stamped into the service worker and the page, so a
# new build replaces the cached shell. Every file is precompressed (.br and .gz) for the server.
set -euo pipefail
SRC=$1; WASM=$2; FONTS=$3; DIST=$4

mkdir -p "$FONTS"
subset() { # source-font output unicodes
  [ -s "$2" ] && return 0
  /usr/bin/python3 -m fontTools.subset "$1" --output-file="$2.tmp" --unicodes="$3" \
    --no-hinting --layout-features='' --drop-tables+=GSUB,GPOS,GDEF,DSIG --name-IDs='*' --notdef-outline
  mv "$2.tmp" "$2"
  gzip -9 -n -k -f "$2" && brotli -q 11 -k -f "$2"   # fonts are large: compress once, here
}
subset /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$FONTS/lifebuoy-sans.ttf" \
  "U+0020-024F,U+0370-03FF,U+0400-04FF,U+2000-206F,U+20A0-20CF,U+2190-21FF,U+2500-26FF,U+2713-2717"
subset /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf "$FONTS/lifebuoy-cjk.ttf" \
  "U+2E80-2FDF,U+3000-31FF,U+3400-4DBF,U+4E00-9FFF,U+AC00-D7AF,U+F900-FAFF,U+FF00-FFEF"

STAGE="$DIST.staging"
rm -rf "$STAGE" && mkdir -p "$STAGE/fonts" "$STAGE/icons"
cp "$SRC"/web/index.html "$SRC"/web/simple.html "$SRC"/web/simple.js "$SRC"/web/engine-worker.js "$SRC"/web/sw.js \
   "$SRC"/web/manifest.webmanifest "$STAGE/"
cp "$SRC"/web/icons/* "$STAGE/icons/"
cp "$WASM"/ui.js "$WASM"/ui.wasm "$WASM"/engine.js "$WASM"/engine.wasm "$STAGE/"
cp "$FONTS"/lifebuoy-sans.ttf* "$FONTS"/lifebuoy-cjk.ttf* "$STAGE/fonts/"

# The starter knowledge base: every assets/kb/*.md as {id, text}, imported by the engine at start.
mkdir -p "$STAGE/kb"
/usr/bin/python3 - "$SRC/assets/kb" "$STAGE/kb/articles.json" <<'PY'
import json, pathlib, sys
folder, out = pathlib.Path(sys.argv[1]), sys.argv[2]
articles = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(folder.glob("*.md"))] if folder.is_dir() else []
pathlib.Path(out).write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
PY

# Version = hash of the content; the service worker's precache list = every file but itself.
version=$(cd "$STAGE" && find . -type f ! -name sw.js ! -name '*.br' ! -name '*.gz' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
precache=$(cd "$STAGE" && find . -type f ! -name sw.js ! -name 'lifebuoy-cjk.ttf*' ! -name '*.br' ! -name '*.gz' | sed 's#^\./##' | sort |
           awk 'BEGIN{printf "["} {printf "%s\"%s\"", (NR>1?", ":""), $0} END{printf ", \"./\"]"}')
sed -i "s#@LB_SHELL_VERSION@#$version#g; s#@LB_PRECACHE@#$precache#" "$STAGE/sw.js"
sed -i "s#@LB_SHELL_VERSION@#$version#g" "$STAGE/index.html"

find "$STAGE" -type f \( -name '*.html' -o -name '*.js' -o -name '*.json' -o -name '*.wasm' -o -name '*.webmanifest' -o -name '*.svg' \) |
while read -r f; do
  gzip -9 -n -k "$f"
  brotli -q 11 -k "$f"
done

rm -rf "$DIST" && mv "$STAGE" "$DIST"
echo "web bundle $version in $DIST"
