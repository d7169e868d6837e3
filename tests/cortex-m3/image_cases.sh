#!/bin/sh
# Bad images and run bounds: rpvp-cm3 must stop with a clear message and a defined exit
# status, never hang. usage: image_cases.sh RPVP_CM3 FW_BUILD_DIR FW_SRC_DIR
set -u
rpvp=$1; fw=$2
fail=0
check() {   # name expected-status regex cmd...
    name=$1; want=$2; re=$3; shift 3
    out=$(timeout 60 "$@" 2>&1); rc=$?
    if [ "$rc" != "$want" ] || ! printf '%s\n' "$out" | grep -Eq "$re"; then
        echo "FAIL $name: status $rc (want $want), output:"; printf '%s\n' "$out" | head -5; fail=1
    else
        echo "ok   $name: $(printf '%s\n' "$out" | grep -E "$re" | head -1)"
    fi
}
check not-elf 2 "not an ELF" "$rpvp" "$0"
check missing-file 2 "No such file" "$rpvp" /nonexistent.elf
check no-vectors 2 "no vector table" "$rpvp" "$fw/t_novec.elf"
check reset-outside 2 "reset vector 0x10000001 is outside memory" "$rpvp" "$fw/t_badreset.elf"
check lockup 3 "lockup.*PC=|CFSR=" "$rpvp" "$fw/t_lockup.elf"
check insn-limit 4 "instruction limit \\(100000\\) reached" "$rpvp" --max-insns 100000 "$fw/t_spin.elf"
check wfi-forever 5 "WFI at PC=0x[0-9a-f]+ with no possible wake-up" "$rpvp" "$fw/t_wfi.elf"
check exit-code 3 "hello 1234" "$rpvp" "$fw/t_hello.elf"
# Issue 16 defect 4: an 84-byte ELF whose PT_LOAD asks for ~4 GiB of bss is refused from
# the memory map, before anything is allocated (it used to zero-fill 4 GiB first).
big="$(dirname "$0")/../fuzz/regressions/fw_loader/cm3_elf_memsz_4g.elf"
check memsz-4g 2 "segment 0 bss .* is outside memory" "$rpvp" "$big"
rssf=$(mktemp)
/usr/bin/time -o "$rssf" -f 'maxrss_kb=%M' "$rpvp" "$big" >/dev/null 2>&1
rss=$(sed -n 's/^maxrss_kb=//p' "$rssf"); rm -f "$rssf"
if [ -z "$rss" ] || [ "$rss" -gt 262144 ]; then
    echo "FAIL memsz-4g-rss: peak RSS ${rss:-?} KiB refusing an 84-byte ELF (want < 256 MiB)"; fail=1
else
    echo "ok   memsz-4g-rss: peak RSS $rss KiB"
fi
exit $fail
