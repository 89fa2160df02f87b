#!/bin/sh
# check_roff.sh MANPAGE.gz: where groff is installed, the page formats without warnings
# (prints them and exits 1 otherwise). Shared by check_manpage.sh and check_gui_manpage.sh.
set -eu
command -v groff >/dev/null 2>&1 || exit 0
warnings=$(gzip -dc "$1" | groff -man -ww -z -Tutf8 2>&1 || true)
[ -z "$warnings" ] && exit 0
echo "FAIL: groff warnings in $1:"
printf '%s\n' "$warnings"
exit 1
