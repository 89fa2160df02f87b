#!/bin/sh
# run_tool.sh TOOL ARGS...: runs TOOL, or exits 77 (the tests' SKIP_RETURN_CODE) when find_program
# did not find it, so a machine without the validators skips these tests instead of failing them.
tool=$1
shift
case "$tool" in
  ""|*-NOTFOUND) echo "skipped: validator not installed"; exit 77 ;;
esac
exec "$tool" "$@"
