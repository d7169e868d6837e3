/* A vector table whose reset vector points where there is no memory. */
    .syntax unified
    .thumb
    .section .vectors, "a"
    .word 0x20400000
    .word 0x10000001
