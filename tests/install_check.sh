#!/usr/bin/env bash
# `cmake --install` into a temporary prefix puts the binary, the .desktop entry, the AppStream
# metainfo, the icons and the man page where a Linux desktop looks for them, and each of them
# passes its validator. Usage: install_check.sh BUILD_DIR
set -euo pipefail
build=$1
app=org.solacecare.Solace
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

cmake --install "$build" --prefix "$stage/usr" >/dev/null
fail=0
for f in bin/solace \
         share/applications/$app.desktop \
         share/metainfo/$app.metainfo.xml \
         share/icons/hicolor/scalable/apps/$app.svg \
         share/icons/hicolor/48x48/apps/$app.png \
         share/icons/hicolor/128x128/apps/$app.png \
         share/icons/hicolor/256x256/apps/$app.png \
         share/man/man1/solace.1; do
  if [ ! -s "$stage/usr/$f" ]; then echo "missing after install: $f"; fail=1; fi
done
[ "$fail" -eq 0 ] || exit 1

# Each PNG is the size its folder says.
for size in 48 128 256; do
  png="$stage/usr/share/icons/hicolor/${size}x${size}/apps/$app.png"
  dims=$(file -b "$png" | grep -o '[0-9]* x [0-9]*' || true)
  [ "$dims" = "$size x $size" ] || { echo "$png is '$dims', not ${size}x${size}"; exit 1; }
done

desktop-file-validate "$stage/usr/share/applications/$app.desktop" | { grep -v ': hint: ' || true; }
desktop-file-validate "$stage/usr/share/applications/$app.desktop" >/dev/null
appstreamcli validate --no-net "$stage/usr/share/metainfo/$app.metainfo.xml"

# The man page renders without a single groff warning.
warnings=$(groff -man -ww -z "$stage/usr/share/man/man1/solace.1" 2>&1)
[ -z "$warnings" ] || { echo "man page warnings:"; echo "$warnings"; exit 1; }

version=$("$stage/usr/bin/solace" --version)
case "$version" in "solace "[0-9]*) ;; *) echo "unexpected --version: $version"; exit 1 ;; esac
echo "install check passed: $version"
