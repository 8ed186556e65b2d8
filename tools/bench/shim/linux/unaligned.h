/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BENCH_SHIM_UNALIGNED_H
#define BENCH_SHIM_UNALIGNED_H
#include <linux/types.h>
static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline u64 get_unaligned_be64(const void *p)
{
	const u8 *b = p;

	return (u64)get_unaligned_be32(b) << 32 | get_unaligned_be32(b + 4);
}
#endif
