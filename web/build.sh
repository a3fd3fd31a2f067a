#!/usr/bin/env bash
# Builds the authlens web page as static files that need no server:
# index.html, app.js, app.css, authlens.wasm (the offline analysis compiled
# to WebAssembly) and Go's wasm_exec.js. Serve the directory with any
# static file server (browsers do not run WebAssembly from file:// URLs):
#
#   web/build.sh dist && python3 -m http.server -d dist 8000
#
# Usage: web/build.sh [OUTDIR]   (default: web/dist)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-web/dist}"
mkdir -p "$out"
cp web/assets/index.html web/assets/app.js web/assets/app.css "$out/"
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/authlens.wasm" ./web/wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/"
echo "web/build.sh: $(du -h "$out/authlens.wasm" | cut -f1) authlens.wasm and the page in $out"
