#!/bin/sh
# Install every Debian package rpvp needs that is not installed yet.
# Idempotent: safe to run again; it says what it installs and does nothing when all is there.
# Package lists live in tools/deps/*.txt, one file per part of the project.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
need=""
for f in "$here"/deps/*.txt; do
    for p in $(sed -e 's/#.*//' "$f"); do
        if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
            need="$need $p"
        fi
    done
done
# Some lists need an extra dpkg architecture or apt source: each may ship a hook.
for h in "$here"/deps/*.hook; do
    [ -e "$h" ] || continue
    sh "$h" && continue
    echo "setup: $h failed" >&2; exit 1
done
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if [ -z "$need" ]; then
    if [ -e /tmp/.rpvp-apt-update-needed ]; then
        # A hook added an apt source or architecture: let apt read it (best effort).
        echo "setup: all packages present; reading the new apt sources"
        $SUDO apt-get update -qq || echo "setup: apt-get update reported errors; continuing"
        rm -f /tmp/.rpvp-apt-update-needed
    fi
    echo "setup: all packages present"
    exit 0
fi
n=$(echo $need | wc -w)
echo "setup: installing $n Debian package(s) (first time: all of them, a few minutes):$need"
start=$(date +%s)
# A mirror in the middle of a sync makes `apt-get update` fail for one index while the
# rest is fine: say so and try the install, which fails clearly if a package is missing.
$SUDO apt-get update -qq || echo "setup: apt-get update reported errors (see above); installing anyway"
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $need
rm -f /tmp/.rpvp-apt-update-needed
echo "setup: done in $(( $(date +%s) - start )) s"
