// SPDX-License-Identifier: GPL-2.0
/*
 * toeplitz-matrix: the Toeplitz hash of the patched tree and FPU-free
 * reference methods, timed per hash over a matrix of cells (issue #18):
 *
 *  - K = 1, 16, 64, 256 or 1024 distinct random 40-byte keys, the state of
 *    each key built by each method; every call hashes with a random one;
 *  - 12-byte (IPv4 4-tuple) and 36-byte (IPv6 4-tuple) random inputs;
 *  - "hot": nothing between the hashes; "polluted": before every hash a
 *    streaming read of 64 KiB of an 8 MiB buffer, a different part each
 *    time, timed on its own and not counted.
 *
 * Methods (each builds its own state per key; before anything is timed,
 * all are checked against the bit-serial definition: every input of the
 * pool with 256 of the keys, every key with 64 inputs, both sizes, and
 * every length from 0 to 36 bytes that the method takes with 11 keys):
 *  (a) in-tree: lib/toeplitz.c and include/linux/toeplitz.h of the patched
 *      tree, as they are: u64 tables of 3-bit chunks, each shared by 11
 *      chunks, 576 bytes per key;
 *  (b) byte-lut: a plain u32 table per input byte position, 36 KiB (the
 *      method of lib/toeplitz.c in v1 to v3 of the series);
 *  (c) nibble-lut: a u32 table per input nibble position, 4.5 KiB;
 *  (d) per-set-bit: the loop of DPDK's rte_softrss() over 32-bit words;
 *  (e) parity-sw / parity-popcnt: key-only parity, hash bit 31 - j is the
 *      parity of the input ANDed with the key shifted by j bits, word-wise;
 *  (f) other FPU-free methods: byte-win64, u64 byte tables shared by the 4
 *      bytes of an input word (18 KiB); par8-sw / par8-popcnt, parity with
 *      8 bit-shifted copies of the key (384 bytes), every window a plain
 *      load; nib-win64, u64 nibble tables shared by the 8 nibbles of an
 *      input word (1152 bytes).
 * Each cell's ratios are printed twice: over the best of the references
 * (b)-(e) of the issue, and over the best of (b)-(f); (a) is never the
 * best.
 *
 * Key indices and inputs come from arrays generated beforehand, so that the
 * order is unpredictable (256 inputs of 36 bytes; the 12-byte ones are
 * their first 12 bytes).  Every hash is timed on its own: lfence, rdtsc,
 * lfence, the hash (inlined), rdtscp, lfence; minus the mean of the same
 * bracket with nothing in it.  A run is the mean over its calls, leaving
 * out calls over 20 times the median (interrupts, preemption); a cell is
 * the median of the runs, in ns through a TSC frequency measured against
 * CLOCK_MONOTONIC, and a ratio of two methods the median of their ratios
 * in each run.  Methods take turns within a cell, in a different order
 * every run, each timed run after an identical warm-up run.  In the hot
 * cells a second measurement times a batch of hashes chained through their
 * results (key and input of each depend on the hash before it, as the
 * bracket serializes them too), to show the two agree.  The state of each
 * key and the input are where the kernel has them: the input is read just
 * before the bracket (the kernel builds it on the stack right before
 * hashing), the states are packed one after the other, 64-byte aligned like
 * slab objects, in memory mapped with huge pages like the kernel's direct
 * map.
 *
 * The file is compiled twice (rig/bench.sh):
 *  - plainly: the harness, the reference methods and the in-tree code
 *    (lib/toeplitz.c and include/linux/toeplitz.h of the patched tree);
 *  - with -DMATRIX_PART_POPCNT -mpopcnt: the parity methods once more, as
 *    "parity-popcnt" and "par8-popcnt", with the POPCNT instruction.  The
 *    kernel is built for x86-64 without -mpopcnt, but hweight64() becomes
 *    POPCNT at run time through alternatives on CPUs that have it, so these
 *    variants are what a parity method would cost in the kernel on this
 *    machine; the plain builds ("-sw") are what it costs without POPCNT
 *    (and on architectures whose kernel has no popcount instruction it may
 *    use).  Nothing else gets -mpopcnt; the in-tree code needs no
 *    popcount.
 *
 * Usage: toeplitz-matrix [repeats [calls]]
 */

#define _GNU_SOURCE

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/types.h>
#include "toeplitz-ref.h"

#ifndef __always_inline			/* glibc's sys/cdefs.h has it */
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __maybe_unused	__attribute__((unused))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define KEY_SIZE	40
#define MAX_LEN		36
#define NPOOL		256		/* inputs, 9 KiB */
#define POLLUTE_BUF	(8u << 20)
#define POLLUTE_LEN	(64u << 10)

/* One measurement: n hashes of len bytes, a key index and input each */
struct run {
	const void *const *state;	/* state of key k */
	const u16 *key_idx;
	const u16 *in_idx;
	const u8 *pool;			/* NPOOL inputs of MAX_LEN bytes */
	unsigned int n, len;
	int pollute;
	u32 zero;			/* 0, unknown to the compiler */
	u32 *ticks;			/* per hash, bracket included */
	const u64 *pbuf;		/* pollution buffer */
	unsigned int ppos;
	u64 pollute_ticks;
	u64 sink;
};

struct method {
	const char *name;
	const char *tag;		/* at most 7 characters */
	const char *what;
	size_t size;			/* bytes of state per key */
	int ref;			/* a reference of the issue, (b)-(e) */
	int ext;			/* an other FPU-free method, (f) */
	int any_len;			/* hashes any length, not words only */
	void (*init)(void *state, const u8 *key);
	u32 (*hash)(const void *state, const u8 *in, unsigned int len);
	void (*calls)(struct run *r);
	u64 (*batch)(struct run *r);
};

static inline u64 tsc_begin(void)
{
	u32 lo, hi;

	asm volatile("lfence\n\trdtsc\n\tlfence"
		     : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

static inline u64 tsc_end(u32 dep)
{
	u32 lo, hi;

	asm volatile("rdtscp\n\tlfence"
		     : "=a"(lo), "=d"(hi) : "r"(dep) : "rcx", "memory");
	return (u64)hi << 32 | lo;
}

static inline u64 tsc_plain(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

/* A streaming read of the next 64 KiB of the 8 MiB buffer, timed */
static inline void pollute(struct run *r)
{
	const u64 *p = r->pbuf + (u64)(r->ppos++ % (POLLUTE_BUF / POLLUTE_LEN)) *
				 (POLLUTE_LEN / 8);
	u64 t0 = tsc_plain(), s = 0;
	unsigned int i;

	for (i = 0; i < POLLUTE_LEN / 8; i++)
		s += p[i];
	r->sink += s;
	r->pollute_ticks += tsc_plain() - t0;
}

/* Bring the input into L1 before the bracket, as the kernel's is */
static inline void touch_input(struct run *r, const u8 *in)
{
	u64 a, b;

	memcpy(&a, in, 8);
	memcpy(&b, in + MAX_LEN - 8, 8);
	r->sink += a ^ b;
}

/*
 * The timing loops of one method, with its hash inlined between the
 * brackets: NAME_calls() times every hash on its own (and pollutes before
 * it if asked), NAME_batch() times a batch of hashes chained through their
 * results: the key and the input of each depend on the hash before it.
 */
#define DEFINE_TIMERS(NAME, HASH)					\
static __maybe_unused __attribute__((flatten)) void NAME##_calls(struct run *r) \
{									\
	unsigned int i, len = r->len;					\
									\
	for (i = 0; i < r->n; i++) {					\
		const void *st = r->state[r->key_idx[i]];		\
		const u8 *in = r->pool + r->in_idx[i] * MAX_LEN;	\
		u64 t0, t1;						\
		u32 h;							\
									\
		if (r->pollute)						\
			pollute(r);					\
		touch_input(r, in);					\
		t0 = tsc_begin();					\
		h = HASH(st, in, len);					\
		t1 = tsc_end(h);					\
		r->ticks[i] = t1 - t0;					\
		r->sink += h;						\
	}								\
}									\
									\
static __maybe_unused __attribute__((flatten)) u64 NAME##_batch(struct run *r) \
{									\
	unsigned int i, len = r->len;					\
	u32 h = 0, zero = r->zero;					\
	u64 t0, t1;							\
									\
	t0 = tsc_begin();						\
	for (i = 0; i < r->n; i++) {					\
		const void *st;						\
		const u8 *in;						\
									\
		asm("" : "+r"(zero));					\
		st = r->state[r->key_idx[i] ^ (h & zero)];		\
		in = r->pool + (r->in_idx[i] ^ (h & zero)) * MAX_LEN;	\
		h = HASH(st, in, len);					\
	}								\
	t1 = tsc_end(h);						\
	r->sink += h;							\
	return t1 - t0;							\
}

enum { IN_TREE, REF, EXT, NONE };	/* what a method is */

/* A method and its timers: KIND is one of the above */
#define DEFINE_METHOD(VAR, NAME, TAG, KIND, ANY_LEN, STATE, INIT, HASH,	\
		      WHAT)						\
DEFINE_TIMERS(VAR, HASH)						\
const struct method method_##VAR = {					\
	.name = NAME,							\
	.tag = TAG,							\
	.what = WHAT,							\
	.size = sizeof(STATE),						\
	.ref = (KIND) == REF,						\
	.ext = (KIND) == EXT,						\
	.any_len = ANY_LEN,						\
	.init = INIT,							\
	.hash = HASH,							\
	.calls = VAR##_calls,						\
	.batch = VAR##_batch,						\
}

static inline u64 be64_at(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}

static inline u32 be32_at(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return __builtin_bswap32(v);
}

/*
 * (e) Key-only parity: hash bit 31 - j is the parity of the input ANDed
 * with the key shifted left by j bits.  State: the key as big-endian 64-bit
 * words (and a zero word).  Per output bit, the ANDs of the input words
 * with the key window are XORed together and one parity taken.  Compiled
 * twice: without and with -mpopcnt.
 */
struct parity_state {
	u64 k[6];
};

static __maybe_unused void parity_init(void *state, const u8 *key)
{
	struct parity_state *s = state;
	unsigned int w;

	for (w = 0; w < 5; w++)
		s->k[w] = be64_at(key + 8 * w);
	s->k[5] = 0;
}

static __always_inline u32
parity_words(const u64 *k, const u64 *x, const unsigned int nw)
{
	u32 h = 0;
	unsigned int j, w;

#pragma GCC unroll 32
	for (j = 0; j < 32; j++) {
		u64 acc = 0;

#pragma GCC unroll 5
		for (w = 0; w < nw; w++)
			acc ^= x[w] & (j ? k[w] << j | k[w + 1] >> (64 - j) :
				       k[w]);
		h |= (u32)__builtin_parityll(acc) << (31 - j);
	}
	return h;
}

static __always_inline u32
parity_hash(const void *state, const u8 *in, unsigned int len)
{
	const struct parity_state *s = state;
	u64 x[5];
	unsigned int i;

	if (len == 12) {
		x[0] = be64_at(in);
		x[1] = (u64)be32_at(in + 8) << 32;
		return parity_words(s->k, x, 2);
	}
	if (len == 36) {
		for (i = 0; i < 4; i++)
			x[i] = be64_at(in + 8 * i);
		x[4] = (u64)be32_at(in + 32) << 32;
		return parity_words(s->k, x, 5);
	}
	memset(x, 0, sizeof(x));
	for (i = 0; i < len; i++)
		x[i / 8] |= (u64)in[i] << (56 - 8 * (i % 8));
	return parity_words(s->k, x, 5);
}

/*
 * (f) Parity with eight bit-shifted copies of the key, 384 bytes: copy r
 * is the key shifted left by r bits, as bytes; the window of output bit
 * j = 8q + r for input bytes 8w..8w+7 is bytes 8w + q.. of copy r.  Input
 * and windows are loaded as native (little-endian) words: the AND pairs
 * the same bytes whatever their order in the word, and a parity does not
 * care about the order of the bits.  So every window is one load, ANDed
 * straight from memory.  With POPCNT, the popcounts of eight output bits
 * are added in byte lanes and their low bits gathered with a multiply.
 */
struct par8_state {
	u8 ks[8][48];
};

static __maybe_unused void par8_init(void *state, const u8 *key)
{
	struct par8_state *s = state;
	unsigned int r, t;

	for (r = 0; r < 8; r++)
		for (t = 0; t < 48; t++) {
			unsigned int hi = t < KEY_SIZE ? key[t] : 0;
			unsigned int lo = t + 1 < KEY_SIZE ? key[t + 1] : 0;

			s->ks[r][t] = (hi << 8 | lo) >> (8 - r);
		}
}

static inline u64 le64_at(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

static __always_inline u32
par8_words(const struct par8_state *s, const u64 *x, const unsigned int nw)
{
	u32 h = 0;
	unsigned int q, r, w;

#pragma GCC unroll 4
	for (q = 0; q < 4; q++) {
		u64 lanes = 0;

#pragma GCC unroll 8
		for (r = 0; r < 8; r++) {
			u64 acc = 0;

#pragma GCC unroll 5
			for (w = 0; w < nw; w++)
				acc ^= x[w] & le64_at(s->ks[r] + 8 * w + q);
#ifdef __POPCNT__
			lanes += (u64)__builtin_popcountll(acc) << (8 * r);
#else
			lanes |= (u64)__builtin_parityll(acc) << (8 * r);
#endif
		}
		lanes &= 0x0101010101010101ull;
		h |= (u32)((lanes * 0x8040201008040201ull) >> 56) << (24 - 8 * q);
	}
	return h;
}

static __always_inline u32
par8_hash(const void *state, const u8 *in, unsigned int len)
{
	const struct par8_state *s = state;
	u64 x[5] = { 0 };
	unsigned int i;
	u32 v;

	if (len == 12) {
		x[0] = le64_at(in);
		memcpy(&v, in + 8, 4);
		x[1] = v;
		return par8_words(s, x, 2);
	}
	if (len == 36) {
		for (i = 0; i < 4; i++)
			x[i] = le64_at(in + 8 * i);
		memcpy(&v, in + 32, 4);
		x[4] = v;
		return par8_words(s, x, 5);
	}
	for (i = 0; i < len; i++)
		x[i / 8] |= (u64)in[i] << (8 * (i % 8));
	return par8_words(s, x, 5);
}

#if defined(MATRIX_PART_POPCNT)

DEFINE_METHOD(parity_popcnt, "parity-popcnt", "e-pop", REF, 1,
	      struct parity_state, parity_init, parity_hash,
	      "(e) key-only parity, -mpopcnt");

DEFINE_METHOD(par8_popcnt, "par8-popcnt", "f-p8pop", EXT, 1,
	      struct par8_state, par8_init, par8_hash,
	      "(f) parity, 8 shifted key copies, -mpopcnt");

#else /* the harness */

/* The tree's header, named by -DTOEPLITZ_H */
#include <linux/toeplitz.h>

extern const struct method method_parity_popcnt, method_par8_popcnt;

/* The 64 key bits from key bit @bit (0: MSB of key[0]), zeros past the end */
static u64 key_bits64(const u8 *key, unsigned int bit)
{
	u8 b[9] = { 0 };
	unsigned int i, byte = bit / 8;
	u64 v;

	for (i = 0; i < 9; i++)
		if (byte + i < KEY_SIZE)
			b[i] = key[byte + i];
	v = be64_at(b);
	return bit % 8 ? v << (bit % 8) | b[8] >> (8 - bit % 8) : v;
}

/* The definition */
#define bit_serial toeplitz_ref

/* (a) the tree's code, as it is */
static void tree_init(void *state, const u8 *key)
{
	toeplitz_table_init(state, key);
}

static __always_inline u32
tree_hash(const void *state, const u8 *in, unsigned int len)
{
	return toeplitz_hash(state, in, len);
}

/*
 * Tables of every value of @nchunks chunks of @bits input bits, chunk i
 * from input bit @step * i on: entry v is the XOR of the 64 key bits that
 * start at each set bit of v, built from the entry of v without its lowest
 * set bit; stored as u64, or with @top32 as u32, the top 32 bits (the
 * contribution to the hash)
 */
static void lut_init(void *lut, int top32, const u8 *key, unsigned int bits,
		     unsigned int nchunks, unsigned int step)
{
	unsigned int n = 1u << bits, i, v, b;
	u64 e[256], win[8];

	for (i = 0; i < nchunks; i++) {
		for (b = 0; b < bits; b++)
			win[b] = key_bits64(key, step * i + bits - 1 - b);
		e[0] = 0;
		for (v = 1; v < n; v++)
			e[v] = e[v & (v - 1)] ^ win[__builtin_ctz(v)];
		for (v = 0; v < n; v++) {
			if (top32)
				((u32 *)lut)[i * n + v] = e[v] >> 32;
			else
				((u64 *)lut)[i * n + v] = e[v];
		}
	}
}

/* (b) a plain table of every byte value at every byte position, 36 KiB */
struct byte_state {
	u32 lut[MAX_LEN][256];
};

static void byte_init(void *state, const u8 *key)
{
	lut_init(state, 1, key, 8, MAX_LEN, 8);
}

static __always_inline u32
byte_hash(const void *state, const u8 *in, unsigned int len)
{
	const struct byte_state *s = state;
	unsigned int i;
	u32 h = 0;

	for (i = 0; i < len; i++)
		h ^= s->lut[i][in[i]];
	return h;
}

/* (c) a table of every nibble value at every nibble position, 4.5 KiB */
struct nibble_state {
	u32 lut[2 * MAX_LEN][16];
};

static void nibble_init(void *state, const u8 *key)
{
	lut_init(state, 1, key, 4, 2 * MAX_LEN, 4);
}

static __always_inline u32
nibble_hash(const void *state, const u8 *in, unsigned int len)
{
	const struct nibble_state *s = state;
	unsigned int i;
	u32 h = 0;

	for (i = 0; i < len; i++)
		h ^= s->lut[2 * i][in[i] >> 4] ^ s->lut[2 * i + 1][in[i] & 15];
	return h;
}

/*
 * (d) The per-set-bit loop of DPDK's rte_softrss(): the input as 32-bit
 * words, and for every set bit the key window at that bit, put together
 * from two key words.  State: the key as 32-bit words.
 */
struct setbit_state {
	u32 kw[11];
};

static void setbit_init(void *state, const u8 *key)
{
	struct setbit_state *s = state;
	unsigned int i;

	for (i = 0; i < 10; i++)
		s->kw[i] = be32_at(key + 4 * i);
	s->kw[10] = 0;
}

static __always_inline u32
setbit_hash(const void *state, const u8 *in, unsigned int len)
{
	const struct setbit_state *s = state;
	unsigned int j;
	u32 hash = 0;

	for (j = 0; j < len / 4; j++) {
		u32 map = be32_at(in + 4 * j);

		for (; map; map &= map - 1) {
			unsigned int i = __builtin_ctz(map);

			hash ^= s->kw[j] << (31 - i) |
				(u32)((u64)s->kw[j + 1] >> (i + 1));
		}
	}
	return hash;
}

/*
 * (f) Byte tables with 64-bit entries, one per 32-bit input word, 18 KiB:
 * entry v of word w is the contribution of byte value v as the first byte
 * of the word, as 64 key bits; byte m of the word takes bits 63 - 8m down
 * to 32 - 8m of it.  The byte lookups of the byte table, at half its size.
 */
struct bytew_state {
	u64 lut[9][256];
};

static void bytew_init(void *state, const u8 *key)
{
	lut_init(state, 0, key, 8, 9, 32);
}

static __always_inline u32
bytew_hash(const void *state, const u8 *in, unsigned int len)
{
	const struct bytew_state *s = state;
	u64 a0 = 0, a1 = 0, a2 = 0, a3 = 0;
	unsigned int i;

	for (i = 0; i + 4 <= len; i += 4) {
		const u64 *e = s->lut[i / 4];

		a0 ^= e[in[i]];
		a1 ^= e[in[i + 1]];
		a2 ^= e[in[i + 2]];
		a3 ^= e[in[i + 3]];
	}
	return (a0 >> 32) ^ (a1 >> 24) ^ (a2 >> 16) ^ (a3 >> 8);
}

/*
 * (f) Nibble tables with 64-bit entries, one per 32-bit input word, 1152
 * bytes: entry v of word w is the contribution of nibble value v as the
 * first nibble of the word, as 64 key bits; nibble m of the word takes bits
 * 63 - 4m down to 32 - 4m.  The eight nibbles of a word share the table.
 * Fewer lookups than the 3-bit tables of lib/toeplitz.c, twice the
 * memory: 6 cache lines for an IPv4 4-tuple instead of 3.
 */
struct nibw_state {
	u64 nib[9][16];
};

static void nibw_init(void *state, const u8 *key)
{
	lut_init(state, 0, key, 4, 9, 32);
}

static __always_inline void nibw_word(u64 *a, const u64 *nib, u32 w)
{
	unsigned int m;

#pragma GCC unroll 8
	for (m = 0; m < 8; m++)
		a[m] ^= nib[w >> (28 - 4 * m) & 15];
}

static __always_inline u32
nibw_hash(const void *state, const u8 *in, unsigned int len)
{
	const struct nibw_state *s = state;
	u64 a[8] = { 0 }, r = 0;
	unsigned int i, m;

	for (i = 0; i + 4 <= len; i += 4)
		nibw_word(a, s->nib[i / 4], be32_at(in + i));
	if (i < len) {
		u32 w = 0;
		unsigned int b;

		for (b = 0; i + b < len; b++)
			w |= (u32)in[i + b] << (24 - 8 * b);
		nibw_word(a, s->nib[i / 4], w);
	}
#pragma GCC unroll 8
	for (m = 0; m < 8; m++)
		r ^= a[m] >> (32 - 4 * m);
	return r;
}

/* Nothing: the empty bracket */
static __always_inline u32
empty_hash(const void *state, const u8 *in, unsigned int len)
{
	return 0;
}

DEFINE_TIMERS(empty, empty_hash)

DEFINE_METHOD(tree, "in-tree", "a-tree", IN_TREE, 1, struct toeplitz_table,
	      tree_init, tree_hash, "(a) lib/toeplitz.c of the patched tree");
DEFINE_METHOD(byte, "byte-lut", "b-byte", REF, 1, struct byte_state,
	      byte_init, byte_hash, "(b) u32 table per byte position");
DEFINE_METHOD(nibble, "nibble-lut", "c-nib", REF, 1, struct nibble_state,
	      nibble_init, nibble_hash, "(c) u32 table per nibble position");
DEFINE_METHOD(setbit, "per-set-bit", "d-setb", REF, 0, struct setbit_state,
	      setbit_init, setbit_hash,
	      "(d) rte_softrss() loop over 32-bit words");
DEFINE_METHOD(parity_sw, "parity-sw", "e-sw", REF, 1, struct parity_state,
	      parity_init, parity_hash,
	      "(e) key-only parity, software parity");
DEFINE_METHOD(bytew, "byte-win64", "f-bytew", EXT, 0, struct bytew_state,
	      bytew_init, bytew_hash, "(f) u64 byte table per input word");
DEFINE_METHOD(par8_sw, "par8-sw", "f-p8sw", EXT, 1, struct par8_state,
	      par8_init, par8_hash,
	      "(f) parity, 8 shifted key copies, software parity");
DEFINE_METHOD(nibw, "nib-win64", "f-nibw", EXT, 1, struct nibw_state,
	      nibw_init, nibw_hash, "(f) u64 nibble table per input word");

static const struct method *const methods[] = {
	&method_tree, &method_byte, &method_nibble, &method_setbit,
	&method_parity_sw, &method_parity_popcnt, &method_bytew,
	&method_par8_sw, &method_par8_popcnt, &method_nibw,
};

#define NMETHODS	ARRAY_SIZE(methods)
#define NK		5
#define NCELLS		(2 * NK)
#define MAX_KEYS	1024
#define MAX_REPEATS	31

static const unsigned int key_counts[NK] = { 1, 16, 64, 256, 1024 };
static const unsigned int lens[2] = { 12, 36 };

static u8 keys[MAX_KEYS][KEY_SIZE];
static u8 pool[NPOOL * MAX_LEN];
static const void **states[NMETHODS];

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Memory with huge pages, like the kernel's direct map: whole 2 MiB pages,
 * since a huge page only backs a range that the advice covers entirely
 */
static void *huge_alloc(size_t size)
{
	size_t align = 2u << 20, len = (size + align - 1) & ~(align - 1);
	u8 *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u8 *q;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	q = (u8 *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	madvise(q, len, MADV_HUGEPAGE);
	memset(q, 0, len);
	return q;
}

/* TSC ticks per ns, against CLOCK_MONOTONIC over 3 x 100 ms */
static double tsc_per_ns(void)
{
	double f[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		double n0 = now_ns(), n1;
		u64 t0 = tsc_plain(), t1;

		do
			n1 = now_ns();
		while (n1 - n0 < 100e6);
		t1 = tsc_plain();
		f[i] = (t1 - t0) / (n1 - n0);
	}
	return median(f, 3);
}

/*
 * Ticks per call of one run: the mean of the calls, without the ones that
 * an interrupt or a preemption stretched (over 20 times the median)
 */
static double run_mean(const u32 *ticks, unsigned int n)
{
	static double sorted[65536];
	double lim, sum = 0;
	unsigned int i, m = 0;

	for (i = 0; i < n; i++)
		sorted[i] = ticks[i];
	lim = 20 * median(sorted, n);
	for (i = 0; i < n; i++)
		if (ticks[i] <= lim) {
			sum += ticks[i];
			m++;
		}
	return sum / m;
}

/* How much of the memory got huge pages */
static void print_huge(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "AnonHugePages:", 14))
			printf("huge pages: %s", line + 14 + strspn(line + 14, " "));
	if (f)
		fclose(f);
}

static void print_cpu(void)
{
	char line[256], path[128];
	FILE *f = fopen("/proc/cpuinfo", "r");
	unsigned int i;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10)) {
			printf("cpu: %s", strchr(line, ':') + 2);
			break;
		}
	if (f)
		fclose(f);
	printf("caches of cpu0:");
	for (i = 0; i < 8; i++) {
		char level[16] = "", type[32] = "", size[32] = "";
		const char *files[3] = { "level", "type", "size" };
		char *out[3] = { level, type, size };
		unsigned int j;

		for (j = 0; j < 3; j++) {
			snprintf(path, sizeof(path),
				 "/sys/devices/system/cpu/cpu0/cache/index%u/%s",
				 i, files[j]);
			f = fopen(path, "r");
			if (!f)
				break;
			if (fgets(out[j], 32, f))
				out[j][strcspn(out[j], "\n")] = 0;
			fclose(f);
		}
		if (j < 3)
			break;
		printf(" L%s %s %s;", level,
		       !strcmp(type, "Data") ? "d" :
		       !strcmp(type, "Instruction") ? "i" : "", size);
	}
	printf("\n");
}

/* Every method against the definition, before anything is timed */
static unsigned int check_all(void)
{
	static u8 in[MAX_LEN + 8];
	unsigned int m, n, k, l, bad = 0;

	for (m = 0; m < NMETHODS; m++) {
		const struct method *me = methods[m];

		for (l = 0; l < 2; l++)
			for (n = 0; n < NPOOL; n++)
				for (k = n % 4; k < MAX_KEYS; k += 4) {
					const u8 *p = pool + n * MAX_LEN;

					bad += me->hash(states[m][k], p, lens[l]) !=
					       bit_serial(keys[k], p, lens[l]);
				}
		/* every length, and inputs of all ones, with a few keys */
		for (l = 0; l <= MAX_LEN; l++) {
			if (!me->any_len && l % 4)
				continue;
			for (k = 0; k < MAX_KEYS; k += 97) {
				memset(in, 0xff, sizeof(in));
				bad += me->hash(states[m][k], in, l) !=
				       bit_serial(keys[k], in, l);
				memcpy(in, pool + k % NPOOL * MAX_LEN, MAX_LEN);
				bad += me->hash(states[m][k], in, l) !=
				       bit_serial(keys[k], in, l);
			}
		}
		if (bad) {
			printf("toeplitz-matrix: %s disagrees with the bit-serial definition\n",
			       me->name);
			return bad;
		}
	}
	return 0;
}

static const char *cell_name(unsigned int c)
{
	static const char *names[NCELLS] = {
		"K1", "K16", "K64", "K256", "K1024",
		"K1 P", "K16 P", "K64 P", "K256 P", "K1024 P",
	};

	return names[c];
}

/* The targets of issue #18 for the method chosen for the kernel */
static double target(unsigned int c)
{
	if (c >= NK || key_counts[c] >= 64)
		return 1.25;
	return c == 0 ? 2.5 : 0;
}

/*
 * Each method over the best of the cell: of the references (b)-(e) of the
 * issue, or (@all) of every method but the in-tree code; the best is the
 * method of the lowest median, the ratio the median of the ratios of the
 * runs, each of two methods timed in the same round of turns, so that a
 * change of the machine between runs cancels out;
 * (f) included; with the targets for the method chosen for the kernel.
 */
static void print_ratios(double ns[NCELLS][NMETHODS][MAX_REPEATS],
			 double med[NCELLS][NMETHODS], unsigned int repeats,
			 unsigned int len, int all)
{
	unsigned int bestm[NCELLS], m, c, rep;
	double best[NCELLS], v[MAX_REPEATS];

	for (c = 0; c < NCELLS; c++) {
		best[c] = 1e30;
		for (m = 0; m < NMETHODS; m++)
			if ((methods[m]->ref || (all && methods[m]->ext)) &&
			    med[c][m] < best[c]) {
				best[c] = med[c][m];
				bestm[c] = m;
			}
	}
	printf("%u B input: x the best of %s in the cell; * over the target\n",
	       len, all ? "(b)-(f)" : "the references (b)-(e)");
	printf("%-14s", "method");
	for (c = 0; c < NCELLS; c++)
		printf("%8s", cell_name(c));
	printf("   targets\n");
	for (m = 0; m < NMETHODS; m++) {
		double worst = 0;
		unsigned int fails = 0, wc = 0;

		printf("%-14s", methods[m]->name);
		for (c = 0; c < NCELLS; c++) {
			double x;
			int over;

			for (rep = 0; rep < repeats; rep++)
				v[rep] = ns[c][m][rep] / ns[c][bestm[c]][rep];
			x = median(v, repeats);
			over = target(c) && x > target(c);

			printf("%7.2f%c", x, over ? '*' : ' ');
			fails += over;
			if (target(c) && x / target(c) > worst) {
				worst = x / target(c);
				wc = c;
			}
		}
		if (fails)
			printf("   %u over, worst %s %.0f%% of limit\n",
			       fails, cell_name(wc), 100 * worst);
		else
			printf("   met, closest %s %.0f%% of limit\n",
			       cell_name(wc), 100 * worst);
	}
	printf("%-14s", "best");
	for (c = 0; c < NCELLS; c++)
		printf(" %7s", methods[bestm[c]]->tag);
	printf("\n%-14s", "target");
	for (c = 0; c < NCELLS; c++)
		if (target(c))
			printf("%7.2fx", target(c));
		else
			printf("%8s", "-");
	printf("\n\n");
}

int main(int argc, char **argv)
{
	unsigned int repeats = argc > 1 ? atoi(argv[1]) : 15;
	unsigned int ncalls = argc > 2 ? atoi(argv[2]) : 4096;
	static double ns[2][NCELLS][NMETHODS][MAX_REPEATS];
	static double batch[2][NK][NMETHODS][MAX_REPEATS];
	static double polls[2][NK][MAX_REPEATS], brk[2][NCELLS][MAX_REPEATS];
	static double med[2][NCELLS][NMETHODS], bmed[2][NK][NMETHODS];
	static double build[NMETHODS];
	static u16 key_idx[NK][65536], in_idx[NK][65536];
	static u32 ticks[65536];
	double tpn, v[MAX_REPEATS];
	unsigned int i, m, k, c, l, rep, bad;
	struct run r;
	u64 *pbuf;
	cpu_set_t cpus;

	if (repeats < 1 || repeats > MAX_REPEATS || ncalls < 64 ||
	    ncalls > 65536) {
		fprintf(stderr, "usage: toeplitz-matrix [repeats (1-%u) [calls (64-65536)]]\n",
			MAX_REPEATS);
		return 2;
	}
	/* stay on one CPU: a migration would take the caches away */
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);

	for (k = 0; k < MAX_KEYS; k++)
		for (i = 0; i < KEY_SIZE; i++)
			keys[k][i] = rng();
	for (i = 0; i < sizeof(pool); i++)
		pool[i] = rng();
	for (c = 0; c < NK; c++)
		for (i = 0; i < ncalls; i++) {
			key_idx[c][i] = rng() % key_counts[c];
			in_idx[c][i] = rng() % NPOOL;
		}

	/*
	 * The states of a method: packed like objects of a slab, each 64-byte
	 * aligned, in memory with huge pages (the kernel's direct map).
	 */
	for (m = 0; m < NMETHODS; m++) {
		size_t slot = (methods[m]->size + 63) & ~(size_t)63;
		u8 *arena = huge_alloc(slot * MAX_KEYS);
		double t[3];
		unsigned int pass;

		states[m] = malloc(MAX_KEYS * sizeof(void *));
		for (k = 0; k < MAX_KEYS; k++)
			states[m][k] = arena + k * slot;
		/* the first pass faults the pages in; the build time per key */
		for (pass = 0; pass < 4; pass++) {
			double t0 = now_ns();

			for (k = 0; k < MAX_KEYS; k++)
				methods[m]->init((void *)states[m][k], keys[k]);
			if (pass)
				t[pass - 1] = (now_ns() - t0) / MAX_KEYS;
		}
		build[m] = median(t, 3);
	}

	bad = check_all();
	if (bad) {
		printf("toeplitz-matrix: %u results disagree with the bit-serial definition\n",
		       bad);
		return 1;
	}

	pbuf = huge_alloc(POLLUTE_BUF);
	for (i = 0; i < POLLUTE_BUF / 8; i++)
		pbuf[i] = rng();
	tpn = tsc_per_ns();

	print_cpu();
	printf("TSC %.3f GHz (measured); %u runs per cell, median; ",
	       tpn, repeats);
	printf("%u calls per run (polluted: %u)\n", ncalls, ncalls / 4);
	printf("all %zu methods agree with the bit-serial definition on %u inputs x %u keys\n\n",
	       NMETHODS, NPOOL, MAX_KEYS);

	memset(&r, 0, sizeof(r));
	r.pool = pool;
	r.pbuf = pbuf;
	r.ticks = ticks;
	for (rep = 0; rep < repeats; rep++)
		for (l = 0; l < 2; l++)
			for (c = 0; c < NCELLS; c++) {
				unsigned int kc = c % NK;

				r.len = lens[l];
				r.pollute = c >= NK;
				r.n = r.pollute ? ncalls / 4 : ncalls;
				r.key_idx = key_idx[kc];
				r.in_idx = in_idx[kc];

				/* the empty bracket, and the pollution's cost */
				r.state = states[0];
				r.pollute_ticks = 0;
				empty_calls(&r);
				brk[l][c][rep] = run_mean(ticks, r.n);
				if (r.pollute)
					polls[l][kc][rep] = r.pollute_ticks /
							    (double)r.n / tpn;

				for (i = 0; i < NMETHODS; i++) {
					/* a different order in every run */
					const struct method *me;

					m = (i + rep) % NMETHODS;
					me = methods[m];
					r.state = states[m];
					/* warm up, then the run */
					me->calls(&r);
					me->calls(&r);
					ns[l][c][m][rep] =
						(run_mean(ticks, r.n) -
						 brk[l][c][rep]) / tpn;
					if (!r.pollute)
						batch[l][c][m][rep] =
							me->batch(&r) /
							(double)r.n / tpn;
				}
			}

	for (l = 0; l < 2; l++)
		for (c = 0; c < NCELLS; c++)
			for (m = 0; m < NMETHODS; m++) {
				memcpy(v, ns[l][c][m], repeats * sizeof(double));
				med[l][c][m] = median(v, repeats);
				if (c < NK) {
					memcpy(v, batch[l][c][m],
					       repeats * sizeof(double));
					bmed[l][c][m] = median(v, repeats);
				}
			}

	for (l = 0; l < 2; l++) {
		printf("%u B input (%s): ns per hash; K1..K1024: keys, P: polluted\n",
		       lens[l], l ? "IPv6 4-tuple" : "IPv4 4-tuple");
		printf("%-14s", "method");
		for (c = 0; c < NCELLS; c++)
			printf("%8s", cell_name(c));
		printf("\n");
		for (m = 0; m < NMETHODS; m++) {
			printf("%-14s", methods[m]->name);
			for (c = 0; c < NCELLS; c++)
				printf("%8.1f", med[l][c][m]);
			printf("\n");
		}
		printf("%-14s", "empty bracket");
		for (c = 0; c < NCELLS; c++) {
			memcpy(v, brk[l][c], repeats * sizeof(double));
			printf("%8.1f", median(v, repeats) / tpn);
		}
		printf("\n%-14s%40s", "pollution", "");
		for (c = 0; c < NK; c++) {
			memcpy(v, polls[l][c], repeats * sizeof(double));
			printf("%8.0f", median(v, repeats));
		}
		printf("   (ns per 64 KiB read, not counted)\n\n");

		print_ratios(ns[l], med[l], repeats, lens[l], 0);
		print_ratios(ns[l], med[l], repeats, lens[l], 1);
	}

	printf("hot cells, ns per hash: each hash bracketed / a chained batch (agreement)\n");
	printf("%-14s", "method");
	for (l = 0; l < 2; l++)
		for (c = 0; c < NK; c++)
			printf("  %2u B %-5s", lens[l], cell_name(c));
	printf("\n");
	for (m = 0; m < NMETHODS; m++) {
		printf("%-14s", methods[m]->name);
		for (l = 0; l < 2; l++)
			for (c = 0; c < NK; c++)
				printf(" %5.1f/%5.1f", med[l][c][m], bmed[l][c][m]);
		printf("\n");
	}
	printf("\n%-14s %10s %14s  %s\n", "method", "bytes/key", "build ns/key",
	       "what");
	for (m = 0; m < NMETHODS; m++)
		printf("%-14s %10zu %14.0f  %s\n", methods[m]->name,
		       methods[m]->size, build[m], methods[m]->what);
	print_huge();
	printf("(sink %llx)\n", (unsigned long long)(r.sink & 0xf));
	return 0;
}

#endif
