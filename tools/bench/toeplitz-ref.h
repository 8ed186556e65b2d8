/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Toeplitz hash by its definition, for the benchmarks to check every
 * implementation against: shift the 40-byte key one bit per input bit.
 */
#ifndef TOEPLITZ_REF_H
#define TOEPLITZ_REF_H

static inline u32 toeplitz_ref(const u8 *key, const u8 *in, unsigned int len)
{
	u32 window = (u32)key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3];
	unsigned int next = 4, i, b;
	u32 hash = 0;

	for (i = 0; i < len; i++) {
		u8 k = key[next++];

		for (b = 0; b < 8; b++) {
			if (in[i] & (0x80 >> b))
				hash ^= window;
			window = window << 1 | k >> 7;
			k <<= 1;
		}
	}
	return hash;
}

#endif
