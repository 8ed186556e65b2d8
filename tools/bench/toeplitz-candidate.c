// SPDX-License-Identifier: GPL-2.0
/*
 * Toeplitz hash, as used for Receive Side Scaling (RSS)
 *
 * Candidate for lib/toeplitz.c (issue #18); the hash itself is in
 * toeplitz-candidate.h (include/linux/toeplitz.h).
 */

#include <linux/array_size.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/toeplitz.h>

/*
 * The 64 key bits that start at key bit @bit (0 is the MSB of key[0]), with
 * zeros for the bits past the end of the key
 */
static u64 toeplitz_key_window(const u8 *key, unsigned int bit)
{
	unsigned int i, byte = bit / 8;
	u64 v = 0;
	u8 next;

	for (i = 0; i < 8; i++)
		v = v << 8 | (byte + i < TOEPLITZ_KEY_SIZE ? key[byte + i] : 0);
	if (!(bit % 8))
		return v;
	next = byte + 8 < TOEPLITZ_KEY_SIZE ? key[byte + 8] : 0;
	return v << (bit % 8) | next >> (8 - bit % 8);
}

/**
 * toeplitz_table_init - precompute the hash state of a key
 * @t: table to fill
 * @key: %TOEPLITZ_KEY_SIZE byte key
 *
 * Table k of input block b starts at input bit 96 * b + 33 * k; the bit of
 * value 1 << i of its first chunk is input bit 96 * b + 33 * k + 2 - i.
 * Every chunk value is the XOR of the 64-bit key windows of its set bits,
 * built from the value with its lowest set bit cleared.  Of an entry, only
 * the bits that the chunks of its table use count: the last ones used end
 * with the last key bit.
 */
void toeplitz_table_init(struct toeplitz_table *t,
			 const u8 key[TOEPLITZ_KEY_SIZE])
{
	unsigned int k, i, v;

	for (k = 0; k < ARRAY_SIZE(t->tri); k++) {
		unsigned int bit = 8 * TOEPLITZ_BLOCK * (k / 3) + 33 * (k % 3);
		u64 *tri = t->tri[k];
		u64 win[3];

		for (i = 0; i < 3; i++)
			win[i] = toeplitz_key_window(key, bit + 2 - i);

		tri[0] = 0;
		for (v = 1; v < 8; v++)
			tri[v] = tri[v & (v - 1)] ^ win[__ffs(v)];
	}
}
EXPORT_SYMBOL_GPL(toeplitz_table_init);

MODULE_DESCRIPTION("Toeplitz hash for Receive Side Scaling");
MODULE_LICENSE("GPL");
