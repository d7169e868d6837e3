#!/bin/sh
# Clear errors for guest content that cannot work, before anything runs (exit 2):
# a non-armhf program, a dynamically linked one without its libraries, a missing overlay,
# an overlay replacing rpvp's /init, a kernel that is not an ARM zImage.
#   guest_content_errors.sh RPVP WORKDIR
set -u
rpvp=$1 work=$2
rm -rf "$work"; mkdir -p "$work"
cd "$work" || exit 1
printf 'int main(void) { return 0; }\n' >p.c
fail() { echo "FAIL: $*"; exit 1; }
expect() { # expect REGEX ARGS...: exit 2 and REGEX on stderr
    re=$1; shift
    "$rpvp" "$@" >out 2>err; rc=$?
    cat err
    [ "$rc" = 2 ] || fail "$* exited $rc, want 2"
    grep -Eq "$re" err || fail "$*: no '$re' in the message"
}
mkdir -p host/usr/bin armdyn/usr/bin withinit
cc -o host/usr/bin/p p.c || fail "host cc"
expect "guest-overlay host/usr/bin/p: an x86-64 ELF file, not armhf" --guest-overlay=host
arm-linux-gnueabihf-gcc -o armdyn/usr/bin/p p.c || fail "arm cc"
expect "guest-overlay armdyn/usr/bin/p: dynamically linked \(loader /lib/ld-linux-armhf.so.3\).*link it with -static" --guest-overlay=armdyn
expect "guest-overlay nowhere: not a directory" --guest-overlay=nowhere
echo '#!/bin/sh' >withinit/init
expect "holds /init, which would replace rpvp's own init" --guest-overlay=withinit
expect "kernel p.c: not an ARM zImage" --kernel=p.c
expect "modules withinit: no modules.dep" --modules=withinit
expect "guest-overlay \(command line\) applies to --host=linux only" --host=synthetic --guest-overlay=armdyn
echo "every bad guest content refused with its reason"
