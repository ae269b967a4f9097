#!/usr/bin/env bash
# A private CUPS print server for the printing tests (issue 15), in a folder this script owns.
#   tests/print_server.sh start DIR   start cupsd with its configuration, spool and logs in DIR
#   tests/print_server.sh stop DIR    stop it and remove DIR (and the cups-pdf file it wrote)
# Clients reach it with CUPS_SERVER=DIR/cups.sock. Queues:
#   pdf        cups-pdf virtual printer (the default), A4; PDFs land in DIR/out
#   letter     the same with Letter as its default paper
#   duplex     the same, offering two-sided printing
#   stopped    accepts jobs but is stopped (paused)
#   rejecting  enabled but rejects new jobs
# Where cupsd or cups-pdf cannot run here, start writes the reason to DIR/unavailable and exits
# 0, and the printing tests say so and skip; in CI (CI=true) it fails instead.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac

# cups-pdf reads /etc/cups/cups-pdf-NAME.conf for the device cups-pdf:/NAME; it has no other way
# to be told where to write, so each server names its own and removes it at stop.
# The name comes from DIR's full path: servers of other builds and checkouts may run at once.
pdf_conf_name() { printf 'solace-test-%s' "$(printf '%s' "$dir" | md5sum | cut -c1-12)"; }

unavailable() {
  mkdir -p "$dir"
  printf '%s\n' "$1" >"$dir/unavailable"
  if [ "${CI:-}" = true ]; then
    echo "The print server for the printing tests cannot start in CI: $1" >&2
    exit 1
  fi
  echo "SKIPPED: no print server, so the printing tests will skip: $1" >&2
  exit 0
}

stop() {
  if [ -f "$dir/cupsd.pid" ]; then
    local pid; pid=$(cat "$dir/cupsd.pid")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "/etc/cups/cups-pdf-$(pdf_conf_name).conf"
  # Only a folder this script made (never what a wrong argument names).
  if [ -f "$dir/cupsd.conf" ] || [ -f "$dir/unavailable" ]; then rm -rf "$dir"; fi
}

start() {
  local cupsd=/usr/sbin/cupsd backend=/usr/lib/cups/backend/cups-pdf
  local ppd=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
  stop # whatever an interrupted run left behind
  if [ ! -x "$cupsd" ] || [ ! -e "$backend" ] || [ ! -f "$ppd" ]; then
    unavailable "CUPS is not installed here (install the Debian packages cups and printer-driver-cups-pdf: ./dev setup)"
  fi
  if [ "$(id -u)" -ne 0 ]; then
    unavailable "the cups-pdf virtual printer only works under a cupsd run as root (its backend refuses otherwise); run the tests as root"
  fi
  if [ ${#dir} -gt 90 ]; then
    echo "the folder $dir is too long a path for a Unix socket; build in a shorter one" >&2
    exit 1
  fi
  mkdir -p "$dir"
  # Filters run as lp: they must reach the spool inside.
  chmod 755 "$dir"
  mkdir -p "$dir/root/ppd" "$dir/root/ssl" "$dir/spool" "$dir/tmp" "$dir/cache" "$dir/state" \
           "$dir/log" "$dir/out" "$dir/pdf-spool"
  chmod 1777 "$dir/out" "$dir/tmp"
  local name; name=$(pdf_conf_name)

  cat >"$dir/cupsd.conf" <<EOF
Listen $dir/cups.sock
LogLevel warn
WebInterface No
Browsing No
BrowseLocalProtocols none
DefaultShared No
MaxJobs 0
PreserveJobHistory Yes
PreserveJobFiles No
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
  cat >"$dir/cups-files.conf" <<EOF
ServerRoot $dir/root
RequestRoot $dir/spool
TempDir $dir/tmp
CacheDir $dir/cache
StateDir $dir/state
ErrorLog $dir/log/error_log
AccessLog $dir/log/access_log
PageLog $dir/log/page_log
SystemGroup root
Sandboxing Relaxed
EOF
  cat >"/etc/cups/cups-pdf-$name.conf" <<EOF
Out $dir/out
AnonDirName $dir/out
Spool $dir/pdf-spool
Log $dir/log
Grp root
Label 2
TitlePref 1
EOF

  "$cupsd" -f -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" >>"$dir/log/cupsd.out" 2>&1 &
  echo $! >"$dir/cupsd.pid"
  export CUPS_SERVER="$dir/cups.sock"
  local up=0
  for _ in $(seq 100); do
    if lpstat -r >/dev/null 2>&1; then up=1; break; fi
    kill -0 "$(cat "$dir/cupsd.pid")" 2>/dev/null || break
    sleep 0.05
  done
  if [ "$up" -ne 1 ]; then
    echo "cupsd did not start; its log:" >&2
    cat "$dir/log/cupsd.out" "$dir/log/error_log" >&2 2>/dev/null || true
    stop
    exit 1
  fi

  # As cups-pdf's own PPD, with two-sided printing offered (the duplex queue).
  sed '/^\*DefaultPageSize:/i\
*OpenUI *Duplex/Two-sided: PickOne\
*DefaultDuplex: None\
*Duplex None/Off: "<</Duplex false>>setpagedevice"\
*Duplex DuplexNoTumble/Long edge: "<</Duplex true/Tumble false>>setpagedevice"\
*Duplex DuplexTumble/Short edge: "<</Duplex true/Tumble true>>setpagedevice"\
*CloseUI: *Duplex' "$ppd" >"$dir/duplex.ppd"

  # pdftops, not Ghostscript: a PDF printed through Ghostscript comes back as page images.
  local q
  for q in pdf letter duplex stopped rejecting; do
    local p=$ppd
    [ "$q" = duplex ] && p="$dir/duplex.ppd"
    lpadmin -p "$q" -E -v "cups-pdf:/$name" -P "$p" -o pdftops-renderer-default=pdftops \
      -o printer-is-shared=false 2>&1 | { grep -v "drivers are deprecated" >&2 || true; }
  done
  lpadmin -p letter -o PageSize=Letter
  lpadmin -d pdf
  cupsdisable -r "paused for the tests" stopped
  cupsreject -r "no new jobs, for the tests" rejecting
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
