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
if [ -z "$need" ] && [ ! -e /tmp/.rpvp-apt-update-needed ]; then
    echo "setup: all packages present"
    exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "setup: installing:$need"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $need
rm -f /tmp/.rpvp-apt-update-needed
echo "setup: done"
