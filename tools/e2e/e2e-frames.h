/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frames of 'make e2e', shared by the sender in L1 (e2e-send.c) and
 * the checker in the L2 guest (e2e-guest.c): frame i is a pure function
 * of i, so that the guest can rebuild what L1 sent and compare.
 *
 * Frame i belongs to flow i % E2E_FLOWS. A flow has a kind (TCP/UDP over
 * IPv4/IPv6, with IPv4 options or an IPv6 hop-by-hop header, ICMP, IPv4
 * and IPv6 fragments, an 802.1Q tag, ARP, a non-IP EtherType) and
 * addresses and ports drawn from a PRNG seeded with the flow number.
 * Every frame ends with an 8-byte trailer: E2E_MAGIC and i, both
 * little-endian, which the guest's socket filter reads.
 */
#ifndef E2E_FRAMES_H
#define E2E_FRAMES_H

#include <stdint.h>
#include <string.h>

#define E2E_FLOWS	1000
#define E2E_MAGIC	0x31453245u	/* "E2E1" read as little-endian */
#define E2E_FRAME_MAX	256
#define E2E_TRAILER	8

/* Index ranges of the three phases (see e2e-guest.c) */
#define E2E_A0		0u		/* config A: E2E_NA frames */
#define E2E_NA		(2 * E2E_FLOWS)
#define E2E_T0		0x4000u		/* while the guest switches to B */
#define E2E_TMAX	0x4000u
#define E2E_C0		0x8000u		/* config B: E2E_NC frames */
#define E2E_NC		E2E_FLOWS
#define E2E_M0		0xc000u		/* after migration, config B */
#define E2E_NM		E2E_FLOWS
#define E2E_INDEX_MAX	(E2E_M0 + E2E_NM)

enum e2e_kind {
	E2E_TCP4, E2E_UDP4, E2E_TCP6, E2E_UDP6, E2E_ICMP4, E2E_ICMP6,
	E2E_FRAG4_FIRST, E2E_FRAG4_LATER, E2E_FRAG6, E2E_TCP4_OPTS,
	E2E_UDP6_HBH, E2E_VLAN_TCP4, E2E_VLAN_UDP6, E2E_ARP, E2E_OTHER,
};

/* One slot in 20 per kind; TCP/UDP get several */
static const enum e2e_kind e2e_kinds[20] = {
	E2E_TCP4, E2E_UDP4, E2E_TCP6, E2E_UDP6, E2E_TCP4, E2E_UDP4,
	E2E_TCP6, E2E_UDP6, E2E_ICMP4, E2E_ICMP6, E2E_FRAG4_FIRST,
	E2E_FRAG4_LATER, E2E_FRAG6, E2E_TCP4_OPTS, E2E_UDP6_HBH,
	E2E_VLAN_TCP4, E2E_VLAN_UDP6, E2E_ARP, E2E_OTHER, E2E_TCP4,
};

static const uint8_t e2e_guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t e2e_host_mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

static inline uint64_t e2e_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void e2e_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void e2e_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline uint32_t e2e_get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline enum e2e_kind e2e_flow_kind(unsigned int flow)
{
	return e2e_kinds[flow % 20];
}

static inline void e2e_fill(uint8_t *p, int len, uint64_t *s)
{
	while (len-- > 0)
		*p++ = e2e_rand(s);
}

/* An L4 header (TCP 20 bytes or UDP 8) with the flow's ports */
static inline int e2e_l4(uint8_t *p, int tcp, uint64_t *fs)
{
	uint16_t sport = e2e_rand(fs), dport = e2e_rand(fs);

	e2e_put16(p, sport);
	e2e_put16(p + 2, dport);
	if (!tcp) {
		memset(p + 4, 0, 4);
		return 8;
	}
	memset(p + 4, 0, 16);
	p[12] = 5 << 4;
	p[13] = 0x10;			/* ACK */
	e2e_put16(p + 14, 512);
	return 20;
}

/* Build frame i in f (E2E_FRAME_MAX bytes); returns its length */
static inline int e2e_frame(uint32_t i, uint8_t *f)
{
	unsigned int flow = i % E2E_FLOWS;
	enum e2e_kind k = e2e_flow_kind(flow);
	uint64_t fs = 0x5eed000000000000ull + flow, ps = i;
	int tcp = 0, opts = 0, n = 0, ip = 0, paylen;
	uint8_t proto = 0;

	memcpy(f, e2e_guest_mac, 6);
	memcpy(f + 6, e2e_host_mac, 6);
	n = 12;
	if (k == E2E_VLAN_TCP4 || k == E2E_VLAN_UDP6) {
		e2e_put16(f + n, 0x8100);
		e2e_put16(f + n + 2, 100 + flow % 50);
		n += 4;
	}
	paylen = 16 + i % 40;

	switch (k) {
	case E2E_ARP:
		e2e_put16(f + n, 0x0806);
		n += 2;
		e2e_put16(f + n, 1);
		e2e_put16(f + n + 2, 0x0800);
		f[n + 4] = 6;
		f[n + 5] = 4;
		e2e_put16(f + n + 6, 1);
		memcpy(f + n + 8, e2e_host_mac, 6);
		e2e_fill(f + n + 14, 4, &fs);
		memset(f + n + 18, 0, 6);
		e2e_fill(f + n + 24, 4, &fs);
		n += 28;
		break;
	case E2E_OTHER:
		e2e_put16(f + n, 0x88b5);	/* local experimental */
		n += 2;
		break;
	case E2E_TCP4: case E2E_UDP4: case E2E_ICMP4: case E2E_FRAG4_FIRST:
	case E2E_FRAG4_LATER: case E2E_TCP4_OPTS: case E2E_VLAN_TCP4:
		tcp = k == E2E_TCP4 || k == E2E_TCP4_OPTS ||
		      k == E2E_VLAN_TCP4;
		opts = k == E2E_TCP4_OPTS ? 8 : 0;
		proto = k == E2E_ICMP4 ? 1 : tcp ? 6 : 17;
		e2e_put16(f + n, 0x0800);
		n += 2;
		ip = n;
		f[n] = 0x40 | (5 + opts / 4);
		f[n + 1] = 0;
		e2e_put16(f + n + 4, flow);		/* ID */
		e2e_put16(f + n + 6, k == E2E_FRAG4_FIRST ? 0x2000 :
				     k == E2E_FRAG4_LATER ? 185 : 0x4000);
		f[n + 8] = 64;
		f[n + 9] = proto;
		e2e_put16(f + n + 10, 0);
		f[n + 12] = 10;
		e2e_fill(f + n + 13, 3, &fs);
		f[n + 16] = 10;
		e2e_fill(f + n + 17, 3, &fs);
		n += 20;
		if (opts) {
			/* NOP NOP and a 6-byte experimental option (0x5e) */
			f[n] = 1;
			f[n + 1] = 1;
			f[n + 2] = 0x5e;
			f[n + 3] = 6;
			e2e_fill(f + n + 4, 4, &fs);
			n += opts;
		}
		if (k == E2E_ICMP4) {
			f[n] = 8;			/* echo request */
			memset(f + n + 1, 0, 7);
			n += 8;
		} else if (k != E2E_FRAG4_LATER) {
			n += e2e_l4(f + n, tcp, &fs);
		}
		break;
	case E2E_TCP6: case E2E_UDP6: case E2E_ICMP6: case E2E_FRAG6:
	case E2E_UDP6_HBH: case E2E_VLAN_UDP6:
		tcp = k == E2E_TCP6;
		proto = k == E2E_ICMP6 ? 58 : tcp ? 6 : 17;
		e2e_put16(f + n, 0x86dd);
		n += 2;
		ip = n;
		f[n] = 0x60;
		f[n + 1] = 0;
		e2e_put16(f + n + 2, 0);
		f[n + 6] = k == E2E_FRAG6 ? 44 : k == E2E_UDP6_HBH ? 0 : proto;
		f[n + 7] = 64;
		f[n + 8] = 0xfd;
		e2e_fill(f + n + 9, 15, &fs);
		f[n + 24] = 0xfd;
		e2e_fill(f + n + 25, 15, &fs);
		n += 40;
		if (k == E2E_FRAG6) {
			/* first fragment (offset 0, M set) of a UDP datagram */
			f[n] = proto;
			f[n + 1] = 0;
			e2e_put16(f + n + 2, 1);
			e2e_put_le32(f + n + 4, flow);
			n += 8;
		} else if (k == E2E_UDP6_HBH) {
			/* hop-by-hop with a PadN option */
			f[n] = proto;
			f[n + 1] = 0;
			f[n + 2] = 1;
			f[n + 3] = 4;
			memset(f + n + 4, 0, 4);
			n += 8;
		}
		if (k == E2E_ICMP6) {
			f[n] = 128;			/* echo request */
			memset(f + n + 1, 0, 7);
			n += 8;
		} else {
			n += e2e_l4(f + n, tcp, &fs);
		}
		break;
	}
	/* payload, at least to the 60-byte minimum, then the trailer */
	if (n + paylen + E2E_TRAILER < 60)
		paylen = 60 - n - E2E_TRAILER;
	e2e_fill(f + n, paylen, &ps);
	n += paylen;
	e2e_put_le32(f + n, E2E_MAGIC);
	e2e_put_le32(f + n + 4, i);
	n += E2E_TRAILER;

	/* the length field of the IP header */
	if (proto && f[ip] >> 4 == 4)
		e2e_put16(f + ip + 2, n - ip);
	else if (proto)
		e2e_put16(f + ip + 4, n - ip - 40);
	return n;
}

#endif
