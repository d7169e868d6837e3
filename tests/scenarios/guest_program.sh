#!/bin/sh
# A user's own static armhf program, which the project has never seen (written and built
# here), added with --guest-overlay and run with --guest-run: its output reaches the log
# and, with --console, the terminal; its exit status becomes rpvp's.
#   guest_program.sh RPVP WORKDIR
set -u
rpvp=$1 work=$2
rm -rf "$work"; mkdir -p "$work/overlay/usr/bin" "$work/overlay/etc"
cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
token=$(date +%s%N | sha256sum | cut -c1-12)
cat >user.c <<EOC
#include <stdio.h>
#include <string.h>
/* A program rpvp has never seen: sums its arguments' bytes, reads an /etc file of the
 * overlay and checks that rpvp's transport is up (/dev/rpmsg_ctrl0), exits 7. */
int main(int argc, char **argv)
{
    unsigned sum = 0;
    for (int i = 1; i < argc; i++)
        for (const char *p = argv[i]; *p; p++)
            sum += (unsigned char)*p;
    char conf[64] = "";
    FILE *f = fopen("/etc/user-test.conf", "r");
    if (f && fgets(conf, sizeof conf, f))
        conf[strcspn(conf, "\n")] = 0;
    FILE *c = fopen("/dev/rpmsg_ctrl0", "r");
    printf("USER-PROGRAM $token sum=%u conf=%s rpmsg_ctrl=%s\n", sum, conf, c ? "yes" : "no");
    return 7;
}
EOC
arm-linux-gnueabihf-gcc -static -O2 -o overlay/usr/bin/user-test user.c || fail "cross build"
echo "from-the-overlay" >overlay/etc/user-test.conf
"$rpvp" --guest-overlay=overlay --guest-run='/usr/bin/user-test abc 42' --console \
    --log=console.log --timeout=600 >out 2>err
rc=$?
cat out err
[ "$rc" = 7 ] || fail "rpvp exited $rc, want the program's 7"
want="USER-PROGRAM $token sum=$((97 + 98 + 99 + 52 + 50)) conf=from-the-overlay rpmsg_ctrl=yes"
grep -q "$want" out || fail "no '$want' on the terminal"
grep -q "$want" console.log || fail "no '$want' in the log"
echo "user program ran in the guest: output and exit status 7"
