#!/usr/bin/env bash
# Starts the real window under Xvfb on a demo database, logs in, renders, saves a screenshot
# and checks it exited cleanly with a picture that is not blank.
set -euo pipefail
solace=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$solace" demo --db "$dir/demo.db" --patients 4 --days 14 >/dev/null
SOLACE_USER=nurse SOLACE_PASSWORD=solace-nurse \
  xvfb-run -a -s "-screen 0 1280x800x24" "$solace" --db "$dir/demo.db" --screenshot "$dir/shot.png"
size=$(stat -c %s "$dir/shot.png")
[ "$size" -gt 10000 ] || { echo "screenshot is only $size bytes: nothing was drawn"; exit 1; }
echo "window smoke test: screenshot of $size bytes"
# The Medications view of the first patient, as tall as it is.
SOLACE_USER=nurse SOLACE_PASSWORD=solace-nurse \
  xvfb-run -a -s "-screen 0 1280x1600x24" "$solace" --db "$dir/demo.db" --patient P0001 \
  --view medications --size 1200x1500 --screenshot "$dir/meds.png"
size=$(stat -c %s "$dir/meds.png")
[ "$size" -gt 10000 ] || { echo "medications screenshot is only $size bytes"; exit 1; }
echo "window smoke test: medications screenshot of $size bytes"
# The Summary view: the week's pages drawn between frames and shown as textures.
SOLACE_USER=nurse SOLACE_PASSWORD=solace-nurse \
  xvfb-run -a -s "-screen 0 1280x800x24" "$solace" --db "$dir/demo.db" --patient P0001 \
  --view summary --frames 8 --screenshot "$dir/summary.png"
size=$(stat -c %s "$dir/summary.png")
[ "$size" -gt 10000 ] || { echo "summary screenshot is only $size bytes"; exit 1; }
echo "window smoke test: summary screenshot of $size bytes"
# A file that is not a database: the window stays up on its open screen and leaves it alone.
: >"$dir/empty.db"
xvfb-run -a -s "-screen 0 1280x800x24" "$solace" --db "$dir/empty.db" --screenshot "$dir/empty.png"
[ ! -s "$dir/empty.db" ] && [ ! -e "$dir/empty.db-wal" ] || { echo "the empty file was changed"; exit 1; }
echo "window smoke test: an empty file is refused and left as it was"
