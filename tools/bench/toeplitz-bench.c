// SPDX-License-Identifier: GPL-2.0
/*
 * toeplitz-bench: time the Toeplitz hash of the patched tree
 * (lib/toeplitz.c and include/linux/toeplitz.h, compiled as they are with a
 * small shim for kernel types) against reference implementations, on
 * random 12-byte (IPv4 4-tuple) and 36-byte (IPv6 4-tuple) inputs, and
 * check that all of them agree on every input.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/types.h>
#include <linux/toeplitz.h>
#include "toeplitz-ref.h"

#define NINPUTS		1024
#define MAXLEN		36
#define TURNS		25

static u8 key[40];
static u8 inputs[NINPUTS][MAXLEN];

/* The definition */
static u32 bit_serial(const u8 *in, unsigned int len)
{
	return toeplitz_ref(key, in, len);
}

/*
 * The loop of DPDK's rte_softrss() and of earlier postings of this
 * feature: the input as 32-bit words, and for every set bit the key window
 * at that bit, put together from two key words.
 */
static u32 key_words[11];

static u32 per_set_bit(const u8 *in, unsigned int len)
{
	u32 hash = 0;
	unsigned int j;

	for (j = 0; j < len / 4; j++) {
		const u8 *w = in + 4 * j;
		u32 map = (u32)w[0] << 24 | w[1] << 16 | w[2] << 8 | w[3];

		for (; map; map &= map - 1) {
			unsigned int i = __builtin_ctz(map);

			hash ^= key_words[j] << (31 - i) |
				(u32)((u64)key_words[j + 1] >> (i + 1));
		}
	}
	return hash;
}

/* A plain 256-entry table per input byte, built here independently */
static u32 (*ref_lut)[256];

static void ref_lut_init(void)
{
	unsigned int i, v;

	for (i = 0; i < MAXLEN; i++)
		for (v = 0; v < 256; v++) {
			u8 in[MAXLEN] = { 0 };

			in[i] = v;
			ref_lut[i][v] = bit_serial(in, i + 1);
		}
}

static u32 byte_lut(const u8 *in, unsigned int len)
{
	u32 hash = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		hash ^= ref_lut[i][in[i]];
	return hash;
}

static struct toeplitz_table *tree_table;

static u32 in_tree(const u8 *in, unsigned int len)
{
	return toeplitz_hash(tree_table, in, len);
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* One run of @rounds passes over the inputs, in ns per hash */
static double time_once(u32 (*fn)(const u8 *, unsigned int), unsigned int len,
			unsigned int rounds)
{
	volatile u32 sink = 0;
	unsigned int r, i;
	double t0 = now_ns();

	for (r = 0; r < rounds; r++)
		for (i = 0; i < NINPUTS; i++)
			sink ^= fn(inputs[i], len);
	(void)sink;
	return (now_ns() - t0) / ((double)rounds * NINPUTS);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	static const struct {
		const char *name;
		u32 (*fn)(const u8 *, unsigned int);
		unsigned int rounds;
	} impls[] = {
		{ "bit-serial", bit_serial, 16 },
		{ "per-set-bit", per_set_bit, 16 },
		{ "byte-lut", byte_lut, 256 },
		{ "in-tree", in_tree, 256 },
	};
	static const unsigned int lens[] = { 12, 36 };
	static double ratio[4][2][TURNS];
	double ns[4][2], med[4][2];
	unsigned int i, l, n, bad = 0;

	srand(1);
	for (i = 0; i < sizeof(key); i++)
		key[i] = rand();
	for (i = 0; i < 10; i++)
		key_words[i] = (u32)key[4 * i] << 24 | key[4 * i + 1] << 16 |
			       key[4 * i + 2] << 8 | key[4 * i + 3];
	for (n = 0; n < NINPUTS; n++)
		for (i = 0; i < MAXLEN; i++)
			inputs[n][i] = rand();
	/* both tables page-aligned, so that placement does not decide */
	if (posix_memalign((void **)&ref_lut, 4096, MAXLEN * 256 * 4) ||
	    posix_memalign((void **)&tree_table, 4096, sizeof(*tree_table)))
		return 1;
	ref_lut_init();
	toeplitz_table_init(tree_table, key);

	for (l = 0; l < 2; l++)
		for (n = 0; n < NINPUTS; n++) {
			u32 want = bit_serial(inputs[n], lens[l]);

			for (i = 1; i < 4; i++)
				bad += impls[i].fn(inputs[n], lens[l]) != want;
		}
	if (bad) {
		printf("toeplitz-bench: %u results disagree with the bit-serial reference\n",
		       bad);
		return 1;
	}

	/*
	 * 25 turns; in each, every implementation runs once, right after the
	 * byte table, so that both see the same machine. ns/hash is the best
	 * run, the ratio to the byte table the median of the paired ratios.
	 */
	for (i = 0; i < 4; i++)
		for (l = 0; l < 2; l++)
			ns[i][l] = 1e30;
	for (n = 0; n < TURNS; n++)
		for (l = 0; l < 2; l++)
			for (i = 0; i < 4; i++) {
				double lut, t;

				/* each timed run follows a warm-up run */
				time_once(byte_lut, lens[l], 16);
				lut = time_once(byte_lut, lens[l], 256);
				time_once(impls[i].fn, lens[l], 1);
				t = time_once(impls[i].fn, lens[l],
					      impls[i].rounds);

				ratio[i][l][n] = t / lut;
				if (t < ns[i][l])
					ns[i][l] = t;
			}
	for (i = 0; i < 4; i++)
		for (l = 0; l < 2; l++) {
			qsort(ratio[i][l], TURNS, sizeof(double), cmp_double);
			med[i][l] = ratio[i][l][TURNS / 2];
		}

	printf("%-12s %12s %10s %12s %10s\n", "hash", "12 B ns", "x lut",
	       "36 B ns", "x lut");
	for (i = 0; i < 4; i++)
		printf("%-12s %12.2f %10.2f %12.2f %10.2f\n", impls[i].name,
		       ns[i][0], med[i][0], ns[i][1], med[i][1]);
	printf("all 4 implementations agree on %u random inputs of 12 and 36 bytes\n",
	       NINPUTS);
	printf("in-tree state: struct toeplitz_table, %zu bytes per key\n",
	       sizeof(struct toeplitz_table));
	free(ref_lut);
	free(tree_table);
	return 0;
}
