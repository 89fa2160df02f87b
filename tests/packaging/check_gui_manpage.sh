#!/bin/sh
# check_gui_manpage.sh SERWB_GUI MANPAGE.gz: the page documents every option `serwb-gui --help`
# lists (run offscreen) and, where groff is installed, formats without warnings.
set -eu
gui=$1 page=$2
text=$(gzip -dc "$page")
options=$(QT_QPA_PLATFORM=offscreen "$gui" --help | grep -o -E '^ +(-[a-zA-Z?], )?--[a-z-]+' | sed -E 's/.*--/--/')
[ -n "$options" ] || { echo "FAIL: no options found in '$gui --help'"; exit 1; }
status=0
for option in $options; do
  roff=$(printf '%s' "$option" | sed 's/-/\\-/g')
  # An option line: .B/.BI/.BR whose words include the option ("\-\-run", "\-h ", ", " \-\-help).
  if ! printf '%s\n' "$text" | grep -E '^\.(B|BI|BR) ' | tr ' "' '\n\n' | grep -q -x -F "$roff"; then
    echo "FAIL: the serwb-gui man page does not document $option"
    status=1
  fi
done
sh "$(dirname "$0")/check_roff.sh" "$page" || status=1
[ "$status" -eq 0 ] && echo "serwb-gui man page OK ($(printf '%s\n' "$options" | wc -l) options)"
exit "$status"
