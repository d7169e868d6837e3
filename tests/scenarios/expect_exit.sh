#!/bin/sh
# expect_exit.sh RC STREAM CMD ARGS...: run CMD; pass only if its exit status is RC and it
# printed something on STREAM (stdout or stderr) and nothing on the other. Both streams
# are echoed (stdout first) for CTest's regular expressions, then "exit N".
want=$1 stream=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$@" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out" "$tmp/err"
echo "exit $rc"
[ "$rc" = "$want" ] || { echo "expected exit $want"; exit 1; }
if [ "$stream" = stdout ]; then
    [ -s "$tmp/out" ] && [ ! -s "$tmp/err" ] || { echo "expected output on stdout only"; exit 1; }
else
    [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ] || { echo "expected output on stderr only"; exit 1; }
fi
