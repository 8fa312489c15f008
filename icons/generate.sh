#!/usr/bin/env bash
# Renders the app icon set from vitalog.svg: the PNG, ICO and ICNS files Tauri bundles for
# desktop, and the Android/iOS sets. Run it after editing the SVG and commit the results.
# Needs rsvg-convert (Debian: librsvg2-bin) and npx (it fetches @tauri-apps/cli 2 once).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rsvg-convert --width 1024 --height 1024 --format png "$here/vitalog.svg" -o "$tmp/vitalog-1024.png"
npx --yes @tauri-apps/cli@2 icon "$tmp/vitalog-1024.png" --output "$here"
