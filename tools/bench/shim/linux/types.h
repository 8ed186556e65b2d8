/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-ins for the kernel types lib/toeplitz.c uses */
#ifndef BENCH_SHIM_TYPES_H
#define BENCH_SHIM_TYPES_H
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif
