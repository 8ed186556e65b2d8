/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Toeplitz hash, as used for Receive Side Scaling (RSS)
 *
 * Candidate for include/linux/toeplitz.h (issue #18), same API.
 *
 * The hash of an n-byte input XORs, for every set input bit i (counting
 * from the most significant bit of the first byte), the 32 key bits that
 * start at key bit i.
 *
 * struct toeplitz_table cuts the input into chunks of 3 bits and keeps one
 * table of the 8 values of a chunk for every 11 chunks: entry v is the XOR,
 * for every set bit of v placed in the first of the 11 chunks, of the 64
 * key bits (not just 32) that start at that bit.  The key bits for chunk m
 * of the 11 start 3 * m bits later, so its contribution is the top 32 bits
 * of the same entry shifted left by 3 * m: the 11 chunks share one table,
 * one cache line.  The input goes in blocks of 12 bytes (96 bits, 32
 * chunks: 11, 11 and 10 chunks for its three tables), and the entries of
 * chunk m of every table are XORed together before the one shift.
 *
 * Hashing costs one lookup per 3 input bits, in 576 bytes for the longest
 * input (192 bytes, three cache lines, for an IPv4 4-tuple), instead of one
 * lookup per input byte in the 36 KiB of a table of every byte value at
 * every byte position, which the hash of a packet finds in cache only if
 * the last packets used the same key.
 */
#ifndef _LINUX_TOEPLITZ_H
#define _LINUX_TOEPLITZ_H

#include <linux/types.h>
#include <linux/unaligned.h>

/* Key size of Microsoft RSS and of virtio-net (VIRTIO_NET_RSS_MAX_KEY_SIZE) */
#define TOEPLITZ_KEY_SIZE	40

/* Longest input a TOEPLITZ_KEY_SIZE key can hash: an IPv6 4-tuple */
#define TOEPLITZ_MAX_INPUT	(TOEPLITZ_KEY_SIZE - sizeof(u32))

/* Input bytes per three tables: 96 bits, 32 chunks of 3 bits */
#define TOEPLITZ_BLOCK		12

/**
 * struct toeplitz_table - precomputed Toeplitz hash state of one key
 * @tri: @tri[3 * b + k][v] is the contribution of chunk value v as chunk
 *	11 * k of input block b, as 64 key bits; see the comment above.
 *
 * 576 bytes.
 */
struct toeplitz_table {
	u64 tri[TOEPLITZ_MAX_INPUT / TOEPLITZ_BLOCK * 3][8];
};

void toeplitz_table_init(struct toeplitz_table *t,
			 const u8 key[TOEPLITZ_KEY_SIZE]);

/* The first @n (up to 7) bytes at @p as the top bytes of a u64, big-endian */
static inline u64 toeplitz_bytes(const u8 *p, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (u64)p[i] << (56 - 8 * i);
	return v;
}

/*
 * XOR the entries of the 32 chunks of the input block @hi:@lo (96 bits,
 * most significant first) into @a: @a[m] collects chunk m of each table.
 */
static __always_inline void toeplitz_block(u64 a[11], const u64 tri[3][8],
					   u64 hi, u32 lo)
{
	/* chunks 0-10: bits 63-31 of hi */
	a[0] ^= tri[0][hi >> 61];
	a[1] ^= tri[0][hi >> 58 & 7];
	a[2] ^= tri[0][hi >> 55 & 7];
	a[3] ^= tri[0][hi >> 52 & 7];
	a[4] ^= tri[0][hi >> 49 & 7];
	a[5] ^= tri[0][hi >> 46 & 7];
	a[6] ^= tri[0][hi >> 43 & 7];
	a[7] ^= tri[0][hi >> 40 & 7];
	a[8] ^= tri[0][hi >> 37 & 7];
	a[9] ^= tri[0][hi >> 34 & 7];
	a[10] ^= tri[0][hi >> 31 & 7];
	/* chunks 11-21: bits 30-0 of hi and 31-30 of lo */
	a[0] ^= tri[1][hi >> 28 & 7];
	a[1] ^= tri[1][hi >> 25 & 7];
	a[2] ^= tri[1][hi >> 22 & 7];
	a[3] ^= tri[1][hi >> 19 & 7];
	a[4] ^= tri[1][hi >> 16 & 7];
	a[5] ^= tri[1][hi >> 13 & 7];
	a[6] ^= tri[1][hi >> 10 & 7];
	a[7] ^= tri[1][hi >> 7 & 7];
	a[8] ^= tri[1][hi >> 4 & 7];
	a[9] ^= tri[1][hi >> 1 & 7];
	a[10] ^= tri[1][(hi & 1) << 2 | lo >> 30];
	/* chunks 22-31: bits 29-0 of lo */
	a[0] ^= tri[2][lo >> 27 & 7];
	a[1] ^= tri[2][lo >> 24 & 7];
	a[2] ^= tri[2][lo >> 21 & 7];
	a[3] ^= tri[2][lo >> 18 & 7];
	a[4] ^= tri[2][lo >> 15 & 7];
	a[5] ^= tri[2][lo >> 12 & 7];
	a[6] ^= tri[2][lo >> 9 & 7];
	a[7] ^= tri[2][lo >> 6 & 7];
	a[8] ^= tri[2][lo >> 3 & 7];
	a[9] ^= tri[2][lo & 7];
}

/**
 * toeplitz_hash - Toeplitz hash of an input
 * @t: table made by toeplitz_table_init()
 * @data: input bytes, in network order as RSS defines them
 * @len: number of input bytes, at most %TOEPLITZ_MAX_INPUT
 *
 * Return: the 32-bit hash
 */
static inline u32 toeplitz_hash(const struct toeplitz_table *t,
				const void *data, unsigned int len)
{
	const u64 (*tri)[8] = t->tri;
	const u8 *p = data, *end = p + len;
	u64 a[11] = {};
	u64 h;

	for (; end - p >= TOEPLITZ_BLOCK; p += TOEPLITZ_BLOCK, tri += 3)
		toeplitz_block(a, tri, get_unaligned_be64(p),
			       get_unaligned_be32(p + 8));
	if (p < end) {
		/* the last bytes, zero padded: zeros add nothing */
		unsigned int n = end - p;
		u64 hi = n >= 8 ? get_unaligned_be64(p) : toeplitz_bytes(p, n);
		u32 lo = n > 8 ? toeplitz_bytes(p + 8, n - 8) >> 32 : 0;

		toeplitz_block(a, tri, hi, lo);
	}

	/* chunk m of a table takes bits 63 - 3m to 32 - 3m of its entry */
	h = (a[0] ^ (a[1] << 3) ^ (a[2] << 6) ^ (a[3] << 9)) ^
	    ((a[4] << 12) ^ (a[5] << 15) ^ (a[6] << 18) ^ (a[7] << 21)) ^
	    ((a[8] << 24) ^ (a[9] << 27) ^ (a[10] << 30));
	return h >> 32;
}

#endif /* _LINUX_TOEPLITZ_H */
