/* An ELF with code only in RAM: nothing at the vector table address 0. */
    .syntax unified
    .thumb
    .section .text.ram, "ax"
    .global _start
_start: b _start
