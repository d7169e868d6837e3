#!/bin/sh
# The ISS's GDB remote stub under Debian's gdb-multiarch:
#   1. t_hello.elf: break main, continue, registers, stepi, memory, continue to the exit;
#      gdb must see the breakpoint at main and the program's exit status, and the
#      program's semihosting output must be what it prints without a debugger;
#   2. t_spin.elf (never ends): continue, then Ctrl-C (SIGINT to gdb): the stub must
#      stop the core, report SIGINT, and the PC must be inside main;
#   3. t_spin.elf: `stepi 200`, then a conditional breakpoint in the loop with 200 false
#      hits, within armgdb's 60 s: with a 40 ms packet round trip (the stub before its
#      ack and reply went out in one write with TCP_NODELAY) the steps alone took 500 s
#      and the breakpoint over 60 s; speed itself is measured by bench/gdb/gdb_rtt.py.
# usage: gdb_session.sh RPVP_CM3 FW_BUILD_DIR
set -u
rpvp=$1; fw=$2
tmp=$(mktemp -d)
trap 'kill $stub 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.out "$tmp"/*.err; do echo "--- $f"; cat "$f"; done; exit 1; }

. "$(dirname "$0")/../common/gdb_listen.sh"
# start_stub ELF TAG: rpvp-cm3 --gdb on a free port; sets $port and $stub.
start_stub() {
    stub_elf=$1; stub_tag=$2
    launch() { exec "$rpvp" --gdb "$port" "$stub_elf" >"$tmp/$stub_tag.prog.out" 2>"$tmp/$stub_tag.prog.err"; }
    start_listening "$tmp/$stub_tag.prog.err" launch || fail "rpvp-cm3 --gdb did not start listening"
    stub=$listener
}

# (not named gdb: `timeout gdb` would run the host's own gdb, which has no ARM)
armgdb() {
    timeout 60 gdb-multiarch -q -batch -nx -ex "set confirm off" -ex "set pagination off" "$@"
}

# 1. a debugging session to the end
elf=$fw/t_hello.elf
"$rpvp" "$elf" >"$tmp/plain.out" 2>/dev/null
want_rc=$?
start_stub "$elf" hello
armgdb -ex "file $elf" -ex "target remote :$port" -ex "break main" -ex "continue" \
    -ex "p/x \$pc" -ex "stepi" -ex "p/x \$pc" -ex "x/2xw 0" -ex "p/x \$xpsr" -ex "continue" \
    >"$tmp/hello.gdb.out" 2>&1 || fail "gdb session 1 failed"
wait "$stub"
main=$(armgdb -ex "file $elf" -ex "p/x (unsigned)&main" 2>/dev/null | sed -n 's/^\$1 = //p')
grep -q "Breakpoint 1, main ()" "$tmp/hello.gdb.out" || fail "no stop at main"
grep -q "^\$1 = $main\$" "$tmp/hello.gdb.out" || fail "pc at the breakpoint is not main ($main)"
grep -q '^\$2 = ' "$tmp/hello.gdb.out" && ! grep -q "^\$2 = $main\$" "$tmp/hello.gdb.out" ||
    fail "stepi did not move the pc"
grep -q "^0x0 <vectors>:" "$tmp/hello.gdb.out" || fail "memory read of the vector table"
grep -q "exited with code $(printf %02d "$want_rc")" "$tmp/hello.gdb.out" ||
    fail "gdb did not see exit status $want_rc"
cmp -s "$tmp/plain.out" "$tmp/hello.prog.out" || fail "program output differs under the debugger"

# 2. interrupting a running target
elf=$fw/t_spin.elf
start_stub "$elf" spin
# gdb itself in the background (not through armgdb/timeout) so SIGINT reaches it.
gdb-multiarch -q -batch -nx -ex "set confirm off" -ex "file $elf" -ex "target remote :$port" \
    -ex "continue" -ex "info symbol \$pc" -ex "kill" >"$tmp/spin.gdb.out" 2>&1 &
g=$!
# Ctrl-C only once the stub runs the target (a fixed sleep raced gdb on a loaded host).
wait_until 60 "$g" grep -q "gdb: continue: target running" "$tmp/spin.prog.err" ||
    fail "the stub never ran the target"
kill -INT "$g"
( sleep 60; kill "$g" "$stub" ) >/dev/null 2>&1 &
watchdog=$!
wait "$g" || fail "gdb session 2 failed"
wait "$stub"
kill "$watchdog" 2>/dev/null
grep -q "Program received signal SIGINT" "$tmp/spin.gdb.out" || fail "no SIGINT stop"
grep -q "^main + [0-9]* in section .text" "$tmp/spin.gdb.out" || fail "interrupted outside main"

# 3. many packets: 200 single steps, a conditional breakpoint that is false 200 times
start_stub "$elf" many
armgdb -ex "file $elf" -ex "target remote :$port" -ex "tbreak main" -ex "continue" \
    -ex "stepi 200" -ex "info symbol \$pc" -ex "p i" \
    -ex 'eval "break *0x%x if i == %d", $pc, i + 200' -ex "continue" -ex "p i" -ex "kill" \
    >"$tmp/many.gdb.out" 2>&1 || fail "gdb session 3 (stepi 200, conditional breakpoint) failed or timed out"
wait "$stub"
grep -q "^main + [0-9]* in section .text" "$tmp/many.gdb.out" || fail "stepi 200 left main"
i0=$(sed -n 's/^\$1 = //p' "$tmp/many.gdb.out")
[ -n "$i0" ] && grep -q "^\$2 = $((i0 + 200))\$" "$tmp/many.gdb.out" ||
    fail "the conditional breakpoint did not stop at i = i0 + 200"
echo "gdb sessions ok: breakpoint, stepi, memory, exit status $want_rc, Ctrl-C, stepi 200 and a conditional breakpoint with 200 false hits"
