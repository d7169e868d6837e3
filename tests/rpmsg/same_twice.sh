#!/bin/sh
# Run the platform echo test twice; its simulated figures (the "[ rpmsg ]" lines) must be
# identical: same inputs, same simulated times, bit for bit.
set -e
bin="$1"
a=$("$bin" --gtest_filter='*Echo10000*' 2>&1 | grep '^\[ rpmsg \]')
b=$("$bin" --gtest_filter='*Echo10000*' 2>&1 | grep '^\[ rpmsg \]')
[ -n "$a" ] || { echo "no figures printed"; exit 1; }
echo "$a"
if [ "$a" = "$b" ]; then echo "identical simulated figures"; else echo "figures differ:"; echo "$b"; exit 1; fi
