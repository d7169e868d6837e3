#!/bin/sh
# Install this build tree into a scratch prefix, then configure, build and run the
# out-of-tree example against it with find_package(rpvp).
set -eu
build=$1 src=$2 work=$3
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work.install.log" 2>&1 || {
    cat "$work.install.log"; exit 1; }
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix"
cmake --build "$work/build"
SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "$work/build/consumer"
