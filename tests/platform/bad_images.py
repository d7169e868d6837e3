#!/usr/bin/env python3
"""Bad firmware images for rpvp's remote-fault tests (issue 16, defect 8), made from the
shipped firmware ELF so they stay in step with it.

  bad_images.py no-vrings FW.elf OUT.elf   the vdev of .resource_table announces 0 vrings:
                                           the firmware's rpmsg init fails and it panics
  bad_images.py lockup FW.elf OUT.elf      the reset handler starts with CPSID f; UDF #0:
                                           a fault at priority -1 locks the core up
"""
import struct
import sys

RSC_VDEV = 3


def sections(elf):
    shoff, = struct.unpack_from("<I", elf, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x2E)
    hdrs = [struct.unpack_from("<IIIIIIIIII", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab = hdrs[shstrndx][4]
    for h in hdrs:
        name = elf[strtab + h[0]:elf.index(b"\0", strtab + h[0])].decode()
        yield name, h[4], h[5]  # name, file offset, size


def file_offset(elf, vaddr):
    phoff, = struct.unpack_from("<I", elf, 0x1C)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x2A)
    for i in range(phnum):
        p_type, off, va, _pa, filesz, _memsz, _fl, _al = struct.unpack_from(
            "<IIIIIIII", elf, phoff + i * phentsize)
        if p_type == 1 and va <= vaddr < va + filesz:
            return off + vaddr - va
    raise SystemExit("address 0x%x is in no loaded segment" % vaddr)


def no_vrings(elf):
    off = next(o for n, o, _ in sections(elf) if n == ".resource_table")
    _ver, num = struct.unpack_from("<II", elf, off)
    for k in range(num):
        entry = off + struct.unpack_from("<I", elf, off + 16 + 4 * k)[0]
        if struct.unpack_from("<I", elf, entry)[0] == RSC_VDEV:
            elf[entry + 25] = 0  # fw_rsc_vdev.num_of_vrings
            return
    raise SystemExit("no vdev in the resource table")


def lockup(elf):
    reset = struct.unpack_from("<I", elf, file_offset(elf, 4))[0] & ~1
    elf[file_offset(elf, reset):file_offset(elf, reset) + 4] = struct.pack("<HH", 0xB671, 0xDE00)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("no-vrings", "lockup"):
        raise SystemExit(__doc__)
    elf = bytearray(open(sys.argv[2], "rb").read())
    (no_vrings if sys.argv[1] == "no-vrings" else lockup)(elf)
    open(sys.argv[3], "wb").write(elf)


main()
