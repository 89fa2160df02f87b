#!/bin/sh
# check_manpage.sh SERWB MANPAGE.gz: the page documents every subcommand `serwb --help` lists and,
# where groff is installed, formats without warnings.
set -eu
serwb=$1 page=$2
text=$(gzip -dc "$page")
status=0
for sub in $("$serwb" --help | awk '/^Subcommands:/ { s = 1; next } s && /^[^ ]/ { s = 0 } s && /^  [^ ]/ { print $1 }'); do
  roff_name=$(printf '%s' "$sub" | sed 's/-/\\\\-/g')
  if ! printf '%s\n' "$text" | grep -q "^\.SS serwb $roff_name\$"; then
    echo "FAIL: the man page has no section for 'serwb $sub'"
    status=1
  fi
done
if printf '%s\n' "$text" | grep -q '^\.SS serwb'; then :; else
  echo "FAIL: the man page has no subcommand sections"
  status=1
fi
sh "$(dirname "$0")/check_roff.sh" "$page" || status=1
[ "$status" -eq 0 ] && echo "man page OK"
exit "$status"
