/* Crash report helpers of the Cortex-M3 ISS: see cm3_crash.h. */
#include "cm3_crash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the faulting context ------------------------------------------------------------ */

void cm3_crash_context(cm3_cpu *c, int exc, cm3_crash_regs *out)
{
    memset(out, 0, sizeof *out);
    for (unsigned i = 0; i < 16; i++)
        out->r[i] = cm3_get_reg(c, i);
    out->xpsr = cm3_get_reg(c, CM3_REG_XPSR);
    cm3_fault_regs(c, &out->cfsr, &out->hfsr, &out->mmfar, &out->bfar);
    out->exc = exc;
    const uint32_t excret = out->r[14];
    if (!exc || (excret & 0xFFFFFFF0u) != 0xFFFFFFF0u)
        return;
    /* ARMv7-M B1.5.6: the frame is on the stack the interrupted code used. */
    const uint32_t sp = (excret & 4u) ? cm3_get_reg(c, CM3_REG_PSP) : cm3_get_reg(c, CM3_REG_MSP);
    uint32_t f[8];
    if (cm3_debug_read(c, sp, f, sizeof f) != 0)
        return;
    const unsigned regs[8] = {0, 1, 2, 3, 12, 14, 15, 16};
    for (unsigned i = 0; i < 7; i++)
        out->r[regs[i]] = f[i];
    out->xpsr = f[7];
    out->r[13] = sp + 0x20u + ((f[7] & (1u << 9)) ? 4u : 0u);
    out->unstacked = 1;
}

/* ---- fault status names ------------------------------------------------------------- */

struct bit_name {
    uint32_t bit;
    const char *name;
};

static const struct bit_name cfsr_bits[] = {
    /* MMFSR */
    {1u << 0, "IACCVIOL"}, {1u << 1, "DACCVIOL"}, {1u << 3, "MUNSTKERR"},
    {1u << 4, "MSTKERR"}, {1u << 7, "MMARVALID"},
    /* BFSR */
    {1u << 8, "IBUSERR"}, {1u << 9, "PRECISERR"}, {1u << 10, "IMPRECISERR"},
    {1u << 11, "UNSTKERR"}, {1u << 12, "STKERR"}, {1u << 15, "BFARVALID"},
    /* UFSR */
    {1u << 16, "UNDEFINSTR"}, {1u << 17, "INVSTATE"}, {1u << 18, "INVPC"},
    {1u << 19, "NOCP"}, {1u << 24, "UNALIGNED"}, {1u << 25, "DIVBYZERO"},
};

static const struct bit_name hfsr_bits[] = {
    {1u << 1, "VECTTBL"}, {1u << 30, "FORCED"}, {1u << 31, "DEBUGEVT"},
};

static const char *names(const struct bit_name *t, size_t n, uint32_t v, char *buf,
                         size_t len)
{
    size_t pos = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && pos < len; i++)
        if (v & t[i].bit)
            pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", pos ? " " : "", t[i].name);
    if (!buf[0])
        snprintf(buf, len, "-");
    return buf;
}

const char *cm3_crash_cfsr_names(uint32_t cfsr, char *buf, size_t len)
{
    return names(cfsr_bits, sizeof cfsr_bits / sizeof cfsr_bits[0], cfsr, buf, len);
}

const char *cm3_crash_hfsr_names(uint32_t hfsr, char *buf, size_t len)
{
    return names(hfsr_bits, sizeof hfsr_bits / sizeof hfsr_bits[0], hfsr, buf, len);
}

const char *cm3_crash_exc_name(int exc)
{
    switch (exc) {
    case 3: return "HardFault";
    case 4: return "MemManage";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    default: return "no exception";
    }
}

/* ---- ELF core ------------------------------------------------------------------------ */

#define EHDR_SIZE 52u
#define PHDR_SIZE 32u
#define PRSTATUS_SIZE 148u /* Linux ARM (32-bit) struct elf_prstatus */
#define PRSTATUS_CURSIG 12u
#define PRSTATUS_REG 72u   /* pr_reg: r0-r15, cpsr, orig_r0 */
#define NT_PRSTATUS 1u
#define PT_LOAD 1u
#define PT_NOTE 4u

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void phdr(uint8_t *p, uint32_t type, uint32_t off, uint32_t vaddr, uint32_t filesz,
                 uint32_t flags, uint32_t align)
{
    put32(p, type);
    put32(p + 4, off);
    put32(p + 8, vaddr);
    put32(p + 12, vaddr);
    put32(p + 16, filesz);
    put32(p + 20, filesz);
    put32(p + 24, flags);
    put32(p + 28, align);
}

int cm3_core_write(const char *path, const cm3_crash_regs *regs, int signo,
                   const cm3_core_region *regions, unsigned n, char *err, size_t errlen)
{
    /* Note: namesz/descsz/type, "CORE\0" padded to 8, then the prstatus. */
    uint8_t note[12 + 8 + PRSTATUS_SIZE];
    memset(note, 0, sizeof note);
    put32(note, 5);
    put32(note + 4, PRSTATUS_SIZE);
    put32(note + 8, NT_PRSTATUS);
    memcpy(note + 12, "CORE", 5);
    uint8_t *pr = note + 20;
    put16(pr + PRSTATUS_CURSIG, (uint16_t)signo);
    for (unsigned i = 0; i < 16; i++)
        put32(pr + PRSTATUS_REG + 4 * i, regs->r[i]);
    put32(pr + PRSTATUS_REG + 64, regs->xpsr);

    const uint32_t phnum = n + 1;
    const uint32_t notes_off = EHDR_SIZE + phnum * PHDR_SIZE;
    uint32_t data_off = (notes_off + (uint32_t)sizeof note + 0xFFFu) & ~0xFFFu;
    uint8_t eh[EHDR_SIZE];
    memset(eh, 0, sizeof eh);
    memcpy(eh, "\177ELF", 4);
    eh[4] = 1; /* ELFCLASS32 */
    eh[5] = 1; /* little-endian */
    eh[6] = 1; /* EV_CURRENT */
    put16(eh + 16, 4);  /* ET_CORE */
    put16(eh + 18, 40); /* EM_ARM */
    put32(eh + 20, 1);
    put32(eh + 28, EHDR_SIZE); /* e_phoff */
    put32(eh + 36, 0x05000000u); /* EF_ARM_EABI_VER5 */
    put16(eh + 40, EHDR_SIZE);
    put16(eh + 42, PHDR_SIZE);
    put16(eh + 44, (uint16_t)phnum);

    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "cannot create %s", path);
        return -1;
    }
    int ok = fwrite(eh, sizeof eh, 1, f) == 1;
    uint8_t ph[PHDR_SIZE];
    phdr(ph, PT_NOTE, notes_off, 0, (uint32_t)sizeof note, 0, 4);
    ok = ok && fwrite(ph, sizeof ph, 1, f) == 1;
    uint32_t off = data_off;
    for (unsigned i = 0; i < n; i++) {
        phdr(ph, PT_LOAD, off, regions[i].addr, regions[i].len, 7, 4);
        ok = ok && fwrite(ph, sizeof ph, 1, f) == 1;
        off += regions[i].len;
    }
    ok = ok && fwrite(note, sizeof note, 1, f) == 1;
    for (long pad = (long)data_off - ftell(f); ok && pad > 0; pad--)
        ok = fputc(0, f) != EOF;
    for (unsigned i = 0; i < n && ok; i++)
        ok = fwrite(regions[i].data, 1, regions[i].len, f) == regions[i].len;
    if (fclose(f) != 0 || !ok) {
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    return 0;
}

/* ---- symbols --------------------------------------------------------------------------- */

struct cm3_sym {
    uint32_t addr, size;
    char *name;
};

struct cm3_symtab {
    struct cm3_sym *s;
    size_t n;
};

static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long sz = ftell(f);
        if (sz > 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)sz)) &&
            fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
            free(buf);
            buf = NULL;
        }
        *size = sz > 0 ? (size_t)sz : 0;
    }
    fclose(f);
    return buf;
}

cm3_symtab *cm3_symtab_load(const char *elf_path)
{
    size_t size = 0;
    uint8_t *e = read_all(elf_path, &size);
    cm3_symtab *t = calloc(1, sizeof *t);
    if (!e || !t || size < EHDR_SIZE || memcmp(e, "\177ELF", 4) || e[4] != 1)
        goto out;
    const uint32_t shoff = get32(e + 32);
    const uint16_t shentsize = get16(e + 46), shnum = get16(e + 48);
    if (shentsize < 40 || shoff > size || (size_t)shnum * shentsize > size - shoff)
        goto out;
    for (uint16_t i = 0; i < shnum; i++) {
        const uint8_t *sh = e + shoff + (size_t)i * shentsize;
        if (get32(sh + 4) != 2) /* SHT_SYMTAB */
            continue;
        const uint32_t off = get32(sh + 16), sz = get32(sh + 20), link = get32(sh + 24);
        if (link >= shnum || off > size || sz > size - off)
            continue;
        const uint8_t *str = e + shoff + (size_t)link * shentsize;
        const uint32_t stroff = get32(str + 16), strsz = get32(str + 20);
        if (stroff > size || strsz > size - stroff)
            continue;
        for (uint32_t k = 0; k + 16 <= sz; k += 16) {
            const uint8_t *sym = e + off + k;
            const uint32_t name = get32(sym), value = get32(sym + 4), ssize = get32(sym + 8);
            if ((sym[12] & 0xF) != 2 || !ssize || name >= strsz) /* STT_FUNC */
                continue;
            struct cm3_sym *grown = realloc(t->s, (t->n + 1) * sizeof *t->s);
            if (!grown)
                goto out;
            t->s = grown;
            const char *nm = (const char *)e + stroff + name;
            t->s[t->n].addr = value & ~1u;
            t->s[t->n].size = ssize;
            size_t nlen = 0;
            while (nlen < strsz - name && nm[nlen])
                nlen++;
            char *copy = malloc(nlen + 1);
            if (copy) {
                memcpy(copy, nm, nlen);
                copy[nlen] = '\0';
            }
            t->s[t->n].name = copy;
            t->n++;
        }
    }
out:
    free(e);
    return t;
}

void cm3_symtab_free(cm3_symtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->s[i].name);
    free(t->s);
    free(t);
}

const char *cm3_symtab_describe(const cm3_symtab *t, uint32_t addr, char *buf, size_t len)
{
    const uint32_t a = addr & ~1u;
    for (size_t i = 0; t && i < t->n; i++)
        if (a >= t->s[i].addr && a - t->s[i].addr < t->s[i].size) {
            snprintf(buf, len, "%s+0x%x", t->s[i].name ? t->s[i].name : "?",
                     (unsigned)(a - t->s[i].addr));
            return buf;
        }
    snprintf(buf, len, "0x%08x", (unsigned)addr);
    return buf;
}
