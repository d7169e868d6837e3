#!/usr/bin/env python3
"""Random Thumb/Thumb-2 instruction-sequence generator for the Cortex-M3 ISS
differential test. Writes an assembly file with a function rand_main(): each case
loads r0-r12 and NZCVQ with random values, runs a random straight-line sequence (with
IT blocks, short forward branches, loads/stores into a scratch buffer pointed to by
r12) and calls dump_case() with the final registers and APSR. QEMU and rpvp-cm3 must
print the same lines. Fixed seed -> same file.
Classes: 16/32-bit data processing (all shifts, modified immediates), compares, MOVW/MOVT,
MUL/MLA/MLS, SDIV/UDIV (incl. by 0), UMULL/SMULL/UMLAL/SMLAL, CLZ/RBIT/REV*, extends,
SSAT/USAT, BFI/BFC/UBFX/SBFX, loads/stores (B/H/W/D, signed, multiple, unaligned,
register offset), LDREX/STREX/CLREX (B/H/W), TBB/TBH, IT blocks, B<c>/CBZ/CBNZ, MRS/MSR."""
import argparse
import random

LO = [f"r{i}" for i in range(8)]
HI = [f"r{i}" for i in range(12)] + ["lr"]   # r12 is the scratch-buffer base
CONDS = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le"]
SHIFTS = ["lsl", "lsr", "asr", "ror"]
BUF = 256                                  # scratch buffer bytes at r12


def rval(r):
    k = r.random()
    if k < 0.25:
        return r.choice([0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 31, 32, 33,
                         0x8000, 0xffff, 0x10000, 0x80000001, 0x7f, 0x80, 0xff, 0x100])
    if k < 0.45:
        return r.randrange(0, 64)
    if k < 0.55:
        return (1 << 32) - r.randrange(1, 64)
    return r.getrandbits(32)


def modimm(r):
    """A Thumb-2 modified immediate constant."""
    b = r.randrange(1, 256)
    k = r.randrange(5)
    if k == 0:
        return b
    if k == 1:
        return b | (b << 16)
    if k == 2:
        return (b << 8) | (b << 24)
    if k == 3:
        return b | (b << 8) | (b << 16) | (b << 24)
    v = 0x80 | r.randrange(128)
    return (v << r.randrange(0, 25)) & 0xffffffff


def shift_op(r):
    sh = r.choice(SHIFTS + ["rrx", ""])
    if sh == "":
        return ""
    if sh == "rrx":
        return ", rrx"
    n = r.randrange(1, 32) if sh in ("lsl", "ror") else r.randrange(1, 33)
    return f", {sh} #{n}"


def dp32(r):
    op = r.choice(["and", "orr", "eor", "bic", "orn", "add", "adc", "sub", "sbc", "rsb"])
    s = r.choice(["", "s"])
    d, n, m = r.choice(HI), r.choice(HI), r.choice(HI)
    if r.random() < 0.5:
        return [f"{op}{s}.w {d}, {n}, {m}{shift_op(r)}"]
    return [f"{op}{s}.w {d}, {n}, #{modimm(r)}"]


def test32(r):
    op = r.choice(["cmp", "cmn", "tst", "teq"])
    n = r.choice(HI)
    if r.random() < 0.5:
        return [f"{op}.w {n}, {r.choice(HI)}{shift_op(r)}"]
    return [f"{op}.w {n}, #{modimm(r)}"]


def mov32(r):
    op = r.choice(["mov", "mvn"])
    s = r.choice(["", "s"])
    d = r.choice(HI)
    k = r.randrange(4)
    if k == 0:
        sh = shift_op(r)
        if op == "mov" and sh:
            parts = sh[2:].split(" #")
            if parts[0] == "rrx":
                return [f"rrx{s} {d}, {r.choice(HI)}"]
            return [f"{parts[0]}{s}.w {d}, {r.choice(HI)}, #{parts[1]}"]
        return [f"{op}{s}.w {d}, {r.choice(HI)}{sh}"]
    if k == 1:
        return [f"{op}{s}.w {d}, #{modimm(r)}"]
    if k == 2:
        sh = r.choice(["lsl", "lsr", "asr", "ror"])
        return [f"{sh}{s}.w {d}, {r.choice(HI)}, {r.choice(HI)}"]
    return [f"movw {d}, #{r.randrange(65536)}", f"movt {d}, #{r.randrange(65536)}"]


def t16(r):
    k = r.randrange(12)
    d, n, m = r.choice(LO), r.choice(LO), r.choice(LO)
    if k == 0:
        return [f"{r.choice(['adds', 'subs'])} {d}, {n}, {m}"]
    if k == 1:
        return [f"{r.choice(['adds', 'subs'])} {d}, {n}, #{r.randrange(8)}"]
    if k == 2:
        return [f"{r.choice(['movs', 'cmp', 'adds', 'subs'])} {d}, #{r.randrange(256)}"]
    if k == 3:
        op = r.choice(["ands", "eors", "adcs", "sbcs", "orrs", "bics", "lsls", "lsrs", "asrs", "rors"])
        return [f"{op} {d}, {d}, {m}"]
    if k == 4:
        op = r.choice(["tst", "cmp", "cmn"])
        return [f"{op} {d}, {m}"]
    if k == 5:
        return [f"{r.choice(['mvns', 'negs'])} {d}, {m}" if True else ""]
    if k == 6:
        return [f"muls {d}, {m}, {d}"]
    if k == 7:
        sh = r.choice(["lsls", "lsrs", "asrs"])
        lim = 32 if sh == "lsls" else 33
        return [f"{sh} {d}, {m}, #{r.randrange(0 if sh == 'lsls' else 1, lim)}"]
    if k == 8:
        return [f"{r.choice(['sxtb', 'sxth', 'uxtb', 'uxth', 'rev', 'rev16', 'revsh'])} {d}, {m}"]
    if k == 9:
        return [f"add {r.choice(HI)}, {r.choice(HI)}"]
    if k == 10:
        return [f"mov {r.choice(HI)}, {r.choice(HI)}"]
    return [f"cmp {r.choice(HI[8:])}, {r.choice(HI)}"]


def mul(r):
    k = r.randrange(6)
    d, n, m, a = (r.choice(HI) for _ in range(4))
    if k == 0:
        return [f"mul.w {d}, {n}, {m}"]
    if k == 1:
        return [f"{r.choice(['mla', 'mls'])} {d}, {n}, {m}, {a}"]
    if k == 2:
        return [f"{r.choice(['sdiv', 'udiv'])} {d}, {n}, {m}"]
    lo, hi = r.sample(HI, 2)
    return [f"{r.choice(['umull', 'smull', 'umlal', 'smlal'])} {lo}, {hi}, {n}, {m}"]


def misc(r):
    k = r.randrange(6)
    d, n = r.choice(HI), r.choice(HI)
    if k == 0:
        return [f"{r.choice(['clz', 'rbit', 'rev.w', 'rev16.w', 'revsh.w'])} {d}, {n}"]
    if k == 1:
        rot = r.choice(["", ", ror #8", ", ror #16", ", ror #24"])
        return [f"{r.choice(['sxtb', 'sxth', 'uxtb', 'uxth'])}.w {d}, {n}{rot}"]
    if k == 2:
        sh = r.choice(["", f", lsl #{r.randrange(1, 32)}", f", asr #{r.randrange(1, 32)}"])
        if r.random() < 0.5:
            return [f"ssat {d}, #{r.randrange(1, 33)}, {n}{sh}"]
        return [f"usat {d}, #{r.randrange(0, 32)}, {n}{sh}"]
    lsb = r.randrange(32)
    w = r.randrange(1, 33 - lsb)
    if k == 3:
        return [f"{r.choice(['sbfx', 'ubfx'])} {d}, {n}, #{lsb}, #{w}"]
    if k == 4:
        return [f"bfi {d}, {n}, #{lsb}, #{w}"]
    return [f"bfc {d}, #{lsb}, #{w}"]


def mem(r):
    k = r.randrange(7)
    d = r.choice(HI)
    if k == 0:
        off = r.randrange(0, BUF - 4) & ~3
        return [f"{r.choice(['ldr', 'str'])}.w {d}, [r12, #{off}]"]
    if k == 1:
        off = r.randrange(0, BUF - 4)
        op = r.choice(["ldrb", "strb", "ldrsb", "ldrh", "strh", "ldrsh", "ldr", "str"])
        if op[-1] in "hr" and op not in ("ldr", "str"):
            off &= ~1
        return [f"{op}.w {d}, [r12, #{off}]"]
    if k == 2:
        off = r.randrange(0, BUF - 8) & ~3
        a, b = r.sample(HI, 2)
        return [f"{r.choice(['ldrd', 'strd'])} {a}, {b}, [r12, #{off}]"]
    if k == 3:
        regs = sorted(r.sample(range(12), r.randrange(1, 6)))
        lst = ", ".join(f"r{x}" for x in regs) + (", lr" if r.random() < 0.3 else "")
        return [f"{r.choice(['ldm', 'stm'])} r12, {{{lst}}}"]
    if k == 4:
        off = r.randrange(0, 64)
        return [f"{r.choice(['ldr', 'str'])}.w {d}, [r12, #-{off}]" if False else f"ldrb.w {d}, [r12, #{off}]"]
    if k == 5:
        # unaligned word/halfword accesses (CCR.UNALIGN_TRP = 0)
        off = r.randrange(1, BUF - 8) | 1
        return [f"{r.choice(['ldr', 'str', 'ldrh', 'strh'])}.w {d}, [r12, #{off}]"]
    i = r.choice(LO)
    return [f"and {i}, {i}, #60", f"{r.choice(['ldr', 'str', 'ldrb', 'ldrh'])} {r.choice(LO[:])}, [r12, {i}]"]


def excl(r):
    """LDREX{B,H} ... STREX{B,H} of the same size with only register instructions between
    (a plain store to the marked address, or a size mismatch, is IMPLEMENTATION DEFINED:
    QEMU compares values, rpvp-cm3 addresses); sometimes CLREX or another address."""
    sz = r.choice(["", "b", "h"])
    align = {"": 4, "b": 1, "h": 2}[sz]
    off = r.randrange(0, BUF - 4) & ~(align - 1)
    t = r.choice(HI)
    out = []
    if sz:   # LDREXB/H/STREXB/H have no offset: the address goes through a register
        a = r.choice([x for x in HI if x != t])
        out += [f"add {a}, r12, #{off}", f"ldrex{sz} {t}, [{a}]"]
    else:
        out.append(f"ldrex {t}, [r12, #{off}]")
    for _ in range(r.randrange(3)):
        out += r.choice([t16, dp32, misc])(r)
    k = r.random()
    if k < 0.15:
        out.append("clrex")
    st_off = off if k < 0.85 else (off + 4 * r.randrange(1, 8)) % (BUF - 4) & ~(align - 1)
    d = r.choice([x for x in HI if x != "lr"])
    v = r.choice([x for x in HI if x != d])
    if sz:
        a = r.choice([x for x in HI if x not in (d, v)])
        out += [f"add {a}, r12, #{st_off}", f"strex{sz} {d}, {v}, [{a}]"]
    else:
        out.append(f"strex {d}, {v}, [r12, #{st_off}]")
    return out


TB_N = [0]


def table_branch(r):
    """TBB/TBH [PC, Rm] over a forward table of 4 cases (Rm masked to 0..3); each case
    runs one 16-bit instruction and branches to the common end."""
    TB_N[0] += 1
    n = TB_N[0]
    idx = r.choice(LO)
    h = r.random() < 0.5
    out = [f"and {idx}, {idx}, #3",
           f"tbh [pc, {idx}, lsl #1]" if h else f"tbb [pc, {idx}]", f"tb{n}:"]
    ent = ".hword" if h else ".byte"
    out.append(f"  {ent} " + ", ".join(f"(tb{n}_{i} - tb{n}) / 2" for i in range(4)))
    for i in range(4):
        out.append(f"tb{n}_{i}:")
        out += t16(r)
        if i < 3:
            out.append(f"b.n tb{n}_end")
    out.append(f"tb{n}_end:")
    return out


def it_block(r):
    cond = r.choice(CONDS)
    n = r.randrange(1, 5)
    pat = "".join(r.choice("te") for _ in range(n - 1))
    inv = {"eq": "ne", "ne": "eq", "cs": "cc", "cc": "cs", "mi": "pl", "pl": "mi", "vs": "vc",
           "vc": "vs", "hi": "ls", "ls": "hi", "ge": "lt", "lt": "ge", "gt": "le", "le": "gt"}
    out = [f"it{pat} {cond}"]
    conds = [cond] + [cond if c == "t" else inv[cond] for c in pat]
    for c in conds:
        k = r.randrange(4)
        d, n_, m = r.choice(LO), r.choice(LO), r.choice(LO)
        if k == 0:
            out.append(f"add{c} {d}, {n_}, {m}")
        elif k == 1:
            out.append(f"mov{c} {d}, #{r.randrange(256)}")
        elif k == 2:
            out.append(f"{r.choice(['adds', 'subs', 'ands', 'orrs', 'eors'])}{c}.w {r.choice(HI)}, {r.choice(HI)}, {r.choice(HI)}")
        else:
            out.append(f"cmp{c} {n_}, {m}")
    return out


def branch(r, lab):
    c = r.choice(CONDS)
    body = t16(r)
    if r.random() < 0.3:
        reg = r.choice(LO)
        return [f"{r.choice(['cbz', 'cbnz'])} {reg}, {lab}f"] + body + [f"{lab}:"]
    return [f"b{c} {lab}f"] + body + [f"{lab}:"]


def apsr_ops(r):
    d = r.choice(HI)
    return [f"mrs {d}, apsr"] if r.random() < 0.5 else [f"msr apsr_nzcvq, {d}"]


GENS = [(dp32, 6), (test32, 3), (mov32, 4), (t16, 8), (mul, 3), (misc, 4), (mem, 4),
        (it_block, 2), (apsr_ops, 1), (excl, 2), (table_branch, 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--len", type=int, default=12)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    r = random.Random(a.seed)
    total = sum(w for _, w in GENS)
    lines = [".syntax unified", ".thumb", ".text", ".global rand_main", ".type rand_main, %function",
             ".thumb_func", "rand_main:", "  push {r4-r11, lr}"]
    for case in range(a.cases):
        lines.append(f"@ case {case}")
        lines.append(f"  ldr r0, ={(r.getrandbits(5) << 27)}")
        lines.append("  msr apsr_nzcvq, r0")
        for i in range(12):
            lines.append(f"  ldr r{i}, ={rval(r)}")
        lines.append(f"  ldr lr, ={rval(r)}")
        lines.append("  ldr r12, =scratch")
        lab = 1
        for _ in range(a.len):
            x = r.randrange(total)
            for g, w in GENS:
                if x < w:
                    break
                x -= w
            if r.random() < 0.05:
                ins = branch(r, lab)
                lab += 1
            else:
                ins = g(r)
            lines += [s if s.endswith(":") or s.startswith("  ") else "  " + s for s in ins]
        lines += ["  push {r0-r12, lr}", "  mrs r0, apsr", "  push {r0}", "  mov r0, sp",
                  "  bl dump_case", "  add sp, sp, #60"]
        if case % 4 == 3:
            lines += ["  b 9f", "  .ltorg", "9:"]
    lines += ["  pop {r4-r11, pc}", "  .ltorg", ".bss", ".align 3", ".global scratch",
              "scratch: .space 512", ""]
    open(a.out, "w").write("\n".join(lines))


if __name__ == "__main__":
    main()
