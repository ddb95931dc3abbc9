#!/bin/sh
# Regenerates assets/world-110m.json from Natural Earth data as packaged by the npm package
# `world-atlas`. Needs Node and npm; the build never does. Versions are pinned: change them
# here on purpose, run this script, and read the diff of the asset before committing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../assets/world-110m.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts \
  world-atlas@2.0.2 topojson-client@3.1.0 i18n-iso-countries@7.14.0 >/dev/null
node "$here/convert.js" "$tmp/node_modules" "$out"
