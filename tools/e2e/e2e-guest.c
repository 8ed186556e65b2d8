// SPDX-License-Identifier: GPL-2.0
/*
 * e2e-guest: the checker of 'make e2e', run in the L2 guest, an unmodified
 * Linux with virtio-net whose RSS the guest's own tools configured
 * (ethtool -X, ethtool -N rx-flow-hash) before this program starts.
 *
 *   e2e-guest IFNAME "COMMAND"
 *
 * It reads the configuration back from the driver (key, indirection
 * table, hash types: config A) and prints E2E-READY. L1 then sends the
 * frames of e2e-frames.h: phase A. Once every frame of phase A arrived,
 * it prints E2E-A-DONE and runs COMMAND (ethtool -X with another key and
 * table) while L1 sends more (phase T), reads config B back and prints
 * E2E-SWITCHED; L1 then sends phase C. After phase C it prints
 * E2E-C-DONE; with "migrate", L1 then migrates the guest to another QEMU
 * on a new tap device and sends phase M, which must follow config B.
 *
 * For every frame, a socket filter records skb->hash (the hash the
 * driver took from the virtio-net header) and the receive queue, keyed
 * by the frame's index. At the end each frame is checked against a
 * Toeplitz hash computed here from the frame, the key and the types:
 * the hash (0 when the packet has no hash type), and the queue (the
 * table's entry, or queue 0, the driver's unclassified queue). Phase A
 * must follow config A, phase C config B, phase T either. The frames
 * must be those L1 sent, each received once, none missing; the per-queue
 * packet counters of the driver (netdev qstats) must agree. Exits 1 on any mismatch.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/netdev.h>
#include <linux/netlink.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "e2e-frames.h"

#define MAX_TABLE	256
#define MAX_QUEUES	16
#define IDLE_LIMIT_S	180

/* hash types, as virtio-net numbers them */
#define T_IPV4	(1u << 0)
#define T_TCP4	(1u << 1)
#define T_UDP4	(1u << 2)
#define T_IPV6	(1u << 3)
#define T_TCP6	(1u << 4)
#define T_UDP6	(1u << 5)

struct config {
	uint8_t key[40];
	uint32_t table[MAX_TABLE];
	unsigned int table_size;
	uint32_t types;
};

struct seen {			/* the socket filter's record of a frame */
	uint32_t hash;
	uint32_t queue;		/* skb->queue_mapping: receive queue + 1 */
	uint32_t count;
	uint32_t pad;
};

static const char *ifname;
static int sock = -1;

static void fail(const char *what)
{
	fprintf(stderr, "e2e-guest: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ethtool(void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(sock, SIOCETHTOOL, &ifr);
}

static int l4_bits(uint32_t flow_type)
{
	struct ethtool_rxnfc nfc = { .cmd = ETHTOOL_GRXFH,
				     .flow_type = flow_type };

	if (ethtool(&nfc))
		fail("ETHTOOL_GRXFH");
	return (nfc.data & (RXH_IP_SRC | RXH_IP_DST) ? 1 : 0) |
	       (nfc.data & (RXH_L4_B_0_1 | RXH_L4_B_2_3) ? 2 : 0);
}

/* The configuration as the driver holds it, through ethtool's ioctls */
static void read_config(struct config *c)
{
	struct ethtool_rxfh *rxfh;
	struct ethtool_rxfh head;
	size_t sz;

	memset(&head, 0, sizeof(head));
	head.cmd = ETHTOOL_GRSSH;
	if (ethtool(&head))
		fail("ETHTOOL_GRSSH");
	if (head.key_size != 40 || !head.indir_size ||
	    head.indir_size > MAX_TABLE) {
		fprintf(stderr, "e2e-guest: key %u B, table %u entries\n",
			head.key_size, head.indir_size);
		exit(2);
	}
	sz = sizeof(*rxfh) + head.indir_size * 4 + head.key_size;
	rxfh = calloc(1, sz);
	rxfh->cmd = ETHTOOL_GRSSH;
	rxfh->indir_size = head.indir_size;
	rxfh->key_size = head.key_size;
	if (ethtool(rxfh))
		fail("ETHTOOL_GRSSH");
	c->table_size = head.indir_size;
	memcpy(c->table, rxfh->rss_config, head.indir_size * 4);
	memcpy(c->key, (uint8_t *)rxfh->rss_config + head.indir_size * 4, 40);
	free(rxfh);

	c->types = 0;
	if (l4_bits(IPV4_FLOW) & 1)
		c->types |= T_IPV4;
	if (l4_bits(IPV6_FLOW) & 1)
		c->types |= T_IPV6;
	if (l4_bits(TCP_V4_FLOW) & 2)
		c->types |= T_TCP4;
	if (l4_bits(UDP_V4_FLOW) & 2)
		c->types |= T_UDP4;
	if (l4_bits(TCP_V6_FLOW) & 2)
		c->types |= T_TCP6;
	if (l4_bits(UDP_V6_FLOW) & 2)
		c->types |= T_UDP6;
}

static void print_config(const char *name, const struct config *c)
{
	unsigned int i;

	printf("e2e-guest: config %s: types 0x%02x, key ", name, c->types);
	for (i = 0; i < 40; i++)
		printf("%02x", c->key[i]);
	printf(", table of %u:", c->table_size);
	for (i = 0; i < c->table_size; i++)
		printf(" %u", c->table[i]);
	printf("\n");
}

/* Toeplitz, bit by bit, as the virtio spec writes it */
static uint32_t toeplitz(const uint8_t *key, const uint8_t *in, int len)
{
	uint32_t hash = 0, win;
	int i, b;

	win = (uint32_t)key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3];
	for (i = 0; i < len; i++) {
		for (b = 7; b >= 0; b--) {
			if (in[i] >> b & 1)
				hash ^= win;
			win <<= 1;
			if (i + 4 < 40 && key[i + 4] >> b & 1)
				win |= 1;
		}
	}
	return hash;
}

/*
 * The hash input of a frame under the given types, following the virtio
 * spec: TCP or UDP with its type enabled and not a fragment: addresses
 * and ports; else, with the IP type: addresses; else none (returns 0).
 * Fragments and ICMP are hashed over the addresses only; the _EX types
 * are not enabled (Linux's virtio_net never does), so extension headers
 * only move the transport header.
 */
static int hash_input(const uint8_t *f, int len, uint32_t types,
		      uint8_t *in)
{
	int n = 12, frag = 0, l4, alen, l4type = 0, iptype;
	uint16_t et = f[12] << 8 | f[13];
	uint8_t proto;

	if (et == 0x8100) {
		n += 4;
		et = f[16] << 8 | f[17];
	}
	n += 2;
	if (et == 0x0800) {
		if (len < n + 20)
			return 0;
		frag = ((f[n + 6] << 8 | f[n + 7]) & 0x3fff) != 0;
		proto = f[n + 9];
		l4 = n + (f[n] & 15) * 4;
		alen = 4;
		memcpy(in, f + n + 12, 8);
		iptype = T_IPV4;
		if (proto == 6)
			l4type = T_TCP4;
		else if (proto == 17)
			l4type = T_UDP4;
	} else if (et == 0x86dd) {
		if (len < n + 40)
			return 0;
		proto = f[n + 6];
		l4 = n + 40;
		/* hop-by-hop, routing, destination options, fragment */
		while ((proto == 0 || proto == 43 || proto == 60 ||
			proto == 44) && l4 + 8 <= len) {
			if (proto == 44) {
				frag = 1;
				proto = f[l4];
				l4 += 8;
				continue;
			}
			proto = f[l4];
			l4 += (f[l4 + 1] + 1) * 8;
		}
		alen = 16;
		memcpy(in, f + n + 8, 32);
		iptype = T_IPV6;
		if (proto == 6)
			l4type = T_TCP6;
		else if (proto == 17)
			l4type = T_UDP6;
	} else {
		return 0;
	}
	if (l4type && !frag && (types & l4type) && l4 + 4 <= len) {
		memcpy(in + 2 * alen, f + l4, 4);
		return 2 * alen + 4;
	}
	if (types & iptype)
		return 2 * alen;
	return 0;
}

/* Expected hash (0 without a type) and receive queue of a frame */
static void expect(const uint8_t *f, int len, const struct config *c,
		   uint32_t *hash, uint32_t *queue)
{
	uint8_t in[36];
	int n = hash_input(f, len, c->types, in);

	if (!n) {
		*hash = 0;
		*queue = 0;	/* virtio_net's unclassified_queue */
		return;
	}
	*hash = toeplitz(c->key, in, n);
	*queue = c->table[*hash % c->table_size];
}

/* eBPF by hand: the rig has no BPF compiler */
#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })
#define MOV_REG(d, s)	INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV_IMM(d, i)	INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD_IMM(d, i)	INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define LDX_W(d, s, o)	INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define STX_W(d, s, o)	INSN(BPF_STX | BPF_MEM | BPF_W, d, s, o, 0)
#define XADD_W(d, s, o)	INSN(BPF_STX | BPF_ATOMIC | BPF_W, d, s, o, BPF_ADD)
#define JMP_IMM(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define CALL(f)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT()		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define SKB(field)	offsetof(struct __sk_buff, field)

static int bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Map index -> struct seen, and a socket filter that fills it */
static int attach_filter(int fd)
{
	static char log[65536];
	union bpf_attr attr;
	int map, prog;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = sizeof(struct seen);
	attr.max_entries = E2E_INDEX_MAX;
	map = bpf(BPF_MAP_CREATE, &attr);
	if (map < 0)
		fail("BPF_MAP_CREATE");

	struct bpf_insn insns[] = {
		MOV_REG(6, 1),
		LDX_W(7, 6, SKB(len)),
		JMP_IMM(BPF_JLT, 7, E2E_TRAILER, 25),	/* -> out */
		MOV_REG(2, 7),
		ADD_IMM(2, -E2E_TRAILER),
		MOV_REG(1, 6),
		MOV_REG(3, 10),
		ADD_IMM(3, -8),
		MOV_IMM(4, 8),
		CALL(BPF_FUNC_skb_load_bytes),
		JMP_IMM(BPF_JNE, 0, 0, 17),		/* -> out */
		LDX_W(1, 10, -8),
		JMP_IMM(BPF_JNE, 1, E2E_MAGIC, 15),	/* -> out */
		LDX_W(1, 10, -4),
		JMP_IMM(BPF_JGE, 1, E2E_INDEX_MAX, 13),	/* -> out */
		STX_W(10, 1, -12),
		INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map),
		INSN(0, 0, 0, 0, 0),
		MOV_REG(2, 10),
		ADD_IMM(2, -12),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 6),		/* -> out */
		LDX_W(1, 6, SKB(hash)),
		STX_W(0, 1, 0),
		LDX_W(1, 6, SKB(queue_mapping)),
		STX_W(0, 1, 4),
		MOV_IMM(1, 1),
		XADD_W(0, 1, 8),
		/* out: */
		MOV_REG(0, 7),
		EXIT(),
	};

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	prog = bpf(BPF_PROG_LOAD, &attr);
	if (prog < 0) {
		fprintf(stderr, "e2e-guest: BPF_PROG_LOAD: %s\n%s\n",
			strerror(errno), log);
		exit(2);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog, sizeof(prog)))
		fail("SO_ATTACH_BPF");
	return map;
}

static int map_get(int map, uint32_t key, struct seen *v)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)v;
	return bpf(BPF_MAP_LOOKUP_ELEM, &attr);
}

/*
 * Received packets per queue, as the driver counts them: the per-queue
 * statistics of the netdev generic netlink family (what 'ynl --family
 * netdev --dump qstats-get' shows; virtio_net keeps rxN_packets out of
 * ethtool -S).
 */
static int nl_put(char *buf, int off, int type, const void *data, int len)
{
	struct nlattr *a = (void *)(buf + off);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(buf + off + NLA_HDRLEN, data, len);
	return off + NLA_ALIGN(a->nla_len);
}

static int nl_request(int fd, int family, int cmd, int flags,
		      const void *attrs, int len)
{
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr gh;
		char attrs[256];
	} req;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + len);
	req.nh.nlmsg_type = family;
	req.nh.nlmsg_flags = NLM_F_REQUEST | flags;
	req.gh.cmd = cmd;
	req.gh.version = 1;
	memcpy(req.attrs, attrs, len);
	return send(fd, &req, req.nh.nlmsg_len, 0) < 0 ? -1 : 0;
}

/*
 * Calls fn for each attribute of each reply: of one reply, or with dump
 * set of every reply up to NLMSG_DONE (not every family marks the parts
 * of a dump NLM_F_MULTI: netdev's qstats do not)
 */
static int nl_replies(int fd, int dump,
		      void (*fn)(struct nlattr *, void *), void *arg)
{
	static char buf[65536];

	for (;;) {
		struct nlmsghdr *nh;
		int n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			return -1;
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			struct nlattr *a;
			int left;

			if (nh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			a = (void *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
			left = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			fn(NULL, arg);		/* a new message */
			while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= left) {
				fn(a, arg);
				left -= NLA_ALIGN(a->nla_len);
				a = (void *)((char *)a + NLA_ALIGN(a->nla_len));
			}
			if (!dump)
				return 0;
		}
	}
}

static void family_attr(struct nlattr *a, void *arg)
{
	if (a && a->nla_type == CTRL_ATTR_FAMILY_ID)
		*(int *)arg = *(uint16_t *)((char *)a + NLA_HDRLEN);
}

struct qstat {
	int type, id;
	uint64_t *q;
};

static void qstat_attr(struct nlattr *a, void *arg)
{
	struct qstat *st = arg;
	char *d = (char *)a + NLA_HDRLEN;
	uint64_t v;

	if (!a) {
		st->type = st->id = -1;
		return;
	}
	v = a->nla_len - NLA_HDRLEN == 8 ? *(uint64_t *)d : *(uint32_t *)d;
	if (a->nla_type == NETDEV_A_QSTATS_QUEUE_TYPE)
		st->type = v;
	else if (a->nla_type == NETDEV_A_QSTATS_QUEUE_ID)
		st->id = v;
	else if (a->nla_type == NETDEV_A_QSTATS_RX_PACKETS &&
		 st->type == NETDEV_QUEUE_TYPE_RX && st->id >= 0 &&
		 st->id < MAX_QUEUES)
		st->q[st->id] = v;
}

static void queue_counters(uint64_t *q)
{
	struct qstat st = { -1, -1, q };
	uint32_t ifindex = if_nametoindex(ifname);
	uint32_t scope = NETDEV_QSTATS_SCOPE_QUEUE;
	int fd, family = 0, len;
	char attrs[64];

	memset(q, 0, MAX_QUEUES * sizeof(*q));
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0)
		fail("netlink socket");
	len = nl_put(attrs, 0, CTRL_ATTR_FAMILY_NAME, "netdev", 7);
	if (nl_request(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, attrs, len) ||
	    nl_replies(fd, 0, family_attr, &family) || !family)
		fail("the netdev netlink family");
	len = nl_put(attrs, 0, NETDEV_A_QSTATS_IFINDEX, &ifindex, 4);
	len = nl_put(attrs, len, NETDEV_A_QSTATS_SCOPE, &scope, 4);
	if (nl_request(fd, family, NETDEV_CMD_QSTATS_GET, NLM_F_DUMP, attrs,
		       len) || nl_replies(fd, 1, qstat_attr, &st))
		fail("NETDEV_CMD_QSTATS_GET");
	close(fd);
}

static uint8_t *frames;		/* what arrived, E2E_FRAME_MAX per index */
static uint16_t *lens;
static uint16_t *tcis;

static int phase_of(uint32_t i)
{
	if (i < E2E_A0 + E2E_NA)
		return 'A';
	if (i >= E2E_T0 && i < E2E_T0 + E2E_TMAX)
		return 'T';
	if (i >= E2E_C0 && i < E2E_C0 + E2E_NC)
		return 'C';
	if (i >= E2E_M0 && i < E2E_M0 + E2E_NM)
		return 'M';
	return 0;
}

/* Check frame f; returns 1 if it matches the config, 0 if not */
static int check(const uint8_t *f, int len, const struct seen *s,
		 const struct config *c, int *hash_ok, int *queue_ok)
{
	uint32_t hash, queue;

	expect(f, len, c, &hash, &queue);
	*hash_ok = s->hash == hash;
	*queue_ok = s->queue == queue + 1;
	return *hash_ok && *queue_ok;
}

int main(int argc, char **argv)
{
	uint64_t before[MAX_QUEUES], after[MAX_QUEUES], per_q[MAX_QUEUES];
	unsigned long got_a = 0, got_t = 0, got_c = 0, got_m = 0, dup = 0;
	unsigned long other = 0;
	unsigned long total = 0, bad = 0, q_ok = 0, h_ok = 0, missing = 0;
	unsigned long bad_frame = 0, in_a = 0, in_b = 0, stats_bad = 0;
	struct config ca, cb;
	uint32_t max_t = 0, digest = 2166136261u;
	double t_first[2] = { 0, 0 }, t_last[2] = { 0, 0 }, idle_since, busy;
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	int map, one = 1, rcvbuf = 64 << 20, phase = 'A', q, migrate;
	unsigned int i;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "migrate"))) {
		fprintf(stderr,
			"usage: e2e-guest IFNAME \"COMMAND\" [migrate]\n");
		return 2;
	}
	ifname = argv[1];
	migrate = argc == 4;
	setvbuf(stdout, NULL, _IOLBF, 0);
	frames = calloc(E2E_INDEX_MAX, E2E_FRAME_MAX);
	lens = calloc(E2E_INDEX_MAX, sizeof(*lens));
	tcis = calloc(E2E_INDEX_MAX, sizeof(*tcis));
	if (!frames || !lens || !tcis)
		fail("calloc");

	sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (sock < 0)
		fail("socket");
	if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		fail("SO_RCVBUFFORCE");
	if (setsockopt(sock, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)))
		fail("PACKET_AUXDATA");
	map = attach_filter(sock);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(sock, (void *)&sll, sizeof(sll)))
		fail("bind");
	/* promiscuous: QEMU then passes every VLAN and address */
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = sll.sll_ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		       sizeof(mr)))
		fail("PACKET_MR_PROMISC");

	read_config(&ca);
	print_config("A", &ca);
	queue_counters(before);
	printf("E2E-READY\n");

	idle_since = now();
	while (phase != 'D') {
		uint8_t buf[2048], cbuf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = cbuf,
				      .msg_controllen = sizeof(cbuf) };
		struct pollfd pfd = { sock, POLLIN, 0 };
		struct cmsghdr *cm;
		uint16_t tci = 0;
		uint32_t idx;
		ssize_t n;

		if (poll(&pfd, 1, 1000) <= 0) {
			if (now() - idle_since > IDLE_LIMIT_S) {
				printf("e2e-guest: nothing for %d s in phase %c\n",
				       IDLE_LIMIT_S, phase);
				break;
			}
			continue;
		}
		n = recvmsg(sock, &msg, MSG_DONTWAIT);
		if (n < 0)
			continue;
		idle_since = now();
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			struct tpacket_auxdata *aux = (void *)CMSG_DATA(cm);

			if (cm->cmsg_level == SOL_PACKET &&
			    cm->cmsg_type == PACKET_AUXDATA &&
			    aux->tp_status & TP_STATUS_VLAN_VALID)
				tci = aux->tp_vlan_tci;
		}
		if (n < 14 + E2E_TRAILER || n > E2E_FRAME_MAX ||
		    e2e_get_le32(buf + n - 8) != E2E_MAGIC) {
			other++;
			continue;
		}
		idx = e2e_get_le32(buf + n - 4);
		if (idx >= E2E_INDEX_MAX || !phase_of(idx)) {
			other++;
			continue;
		}
		if (lens[idx]) {
			dup++;
			continue;
		}
		memcpy(frames + (size_t)idx * E2E_FRAME_MAX, buf, n);
		lens[idx] = n;
		tcis[idx] = tci;
		/* the receive rate over phases A and C, not the switch */
		if (phase_of(idx) == 'A' || phase_of(idx) == 'C') {
			int p = phase_of(idx) == 'C';

			if (!t_first[p])
				t_first[p] = now();
			t_last[p] = now();
		}
		switch (phase_of(idx)) {
		case 'A':
			got_a++;
			break;
		case 'T':
			got_t++;
			if (idx > max_t)
				max_t = idx;
			break;
		case 'C':
			got_c++;
			break;
		case 'M':
			got_m++;
			break;
		}
		if (phase == 'A' && got_a == E2E_NA) {
			printf("E2E-A-DONE\n");
			printf("e2e-guest: phase A complete; running: %s\n",
			       argv[2]);
			if (system(argv[2])) {
				printf("e2e-guest: the command failed\n");
				return 1;
			}
			read_config(&cb);
			print_config("B", &cb);
			printf("E2E-SWITCHED\n");
			phase = 'C';
		} else if (phase == 'C' && got_c == E2E_NC) {
			/* with "migrate", L1 migrates the guest now */
			printf("E2E-C-DONE\n");
			phase = migrate ? 'M' : 'D';
		} else if (phase == 'M' && got_m == E2E_NM) {
			phase = 'D';
		}
	}
	if (phase == 'A') {
		/* for the report below */
		cb = ca;
	}
	queue_counters(after);

	memset(per_q, 0, sizeof(per_q));
	for (i = 0; i < E2E_INDEX_MAX; i++) {
		int ph = phase_of(i), ha, qa, hb, qb, ok;
		uint8_t want[E2E_FRAME_MAX], sent[E2E_FRAME_MAX];
		int wl, sent_len;
		struct seen s;

		if (!ph || (ph == 'T' && i > max_t) ||
		    (ph == 'T' && !got_t) || (ph == 'M' && !migrate))
			continue;
		if (!lens[i]) {
			if (missing++ < 10)
				printf("e2e-guest: frame %u (phase %c) missing\n",
				       i, ph);
			continue;
		}
		total++;
		if (map_get(map, i, &s) || s.count != 1) {
			printf("e2e-guest: frame %u: filter saw it %u times\n",
			       i, s.count);
			bad++;
			continue;
		}
		/*
		 * The frame must be the one L1 sent, with its tag moved to
		 * the metadata; it is hashed as L1 sent it, with the tag.
		 */
		sent_len = e2e_frame(i, sent);
		memcpy(want, sent, sent_len);
		wl = sent_len;
		if (want[12] == 0x81 && want[13] == 0x00) {
			uint16_t vid = want[14] << 8 | want[15];

			memmove(want + 12, want + 16, wl - 16);
			wl -= 4;
			if ((tcis[i] & 0xfff) != vid)
				wl = -1;
		}
		if (wl != lens[i] ||
		    memcmp(want, frames + (size_t)i * E2E_FRAME_MAX, wl)) {
			if (bad_frame++ < 10)
				printf("e2e-guest: frame %u differs from what "
				       "L1 sent\n", i);
		}
		q = s.queue - 1;
		if (q >= 0 && q < MAX_QUEUES)
			per_q[q]++;
		if (ph == 'A' || ph == 'C') {
			ok = check(sent, sent_len, &s, ph == 'A' ? &ca : &cb,
				   &ha, &qa);
			h_ok += ha;
			q_ok += qa;
			digest = (digest ^ i) * 16777619u;
			digest = (digest ^ s.queue) * 16777619u;
		} else if (ph == 'M') {
			/* the destination's kernel must hold config B */
			ok = check(sent, sent_len, &s, &cb, &ha, &qa);
			h_ok += ha;
			q_ok += qa;
		} else {
			ok = check(sent, sent_len, &s, &ca, &ha, &qa);
			if (ok) {
				in_a++;
			} else {
				ok = check(sent, sent_len, &s, &cb, &hb, &qb);
				in_b += ok;
			}
			h_ok += ok;
			q_ok += ok;
		}
		if (!ok) {
			uint32_t eh, eq;

			expect(sent, sent_len, ph == 'A' || ph == 'T' ? &ca : &cb,
			       &eh, &eq);
			if (bad++ < 20)
				printf("e2e-guest: frame %u (phase %c, kind %d):"
				       " queue %d hash %08x, expected queue %u"
				       " hash %08x\n", i, ph,
				       e2e_flow_kind(i % E2E_FLOWS), q, s.hash,
				       eq, eh);
		}
	}

	printf("e2e-guest: phase A %lu/%u, T %lu (%lu as A, %lu as B), "
	       "C %lu/%u", got_a, (unsigned int)E2E_NA, got_t, in_a, in_b,
	       got_c, (unsigned int)E2E_NC);
	if (migrate)
		printf(", after migration %lu/%u", got_m,
		       (unsigned int)E2E_NM);
	printf("; %lu other frames, %lu duplicates\n", other, dup);
	printf("e2e-guest: per queue (frames / qstats rx-packets delta):");
	for (q = 0; q < MAX_QUEUES; q++) {
		uint64_t d = after[q] - before[q];

		if (!per_q[q] && !d)
			continue;
		printf(" %d: %llu/%llu", q, (unsigned long long)per_q[q],
		       (unsigned long long)d);
		/* other frames count there too, but not in per_q */
		if (other ? d < per_q[q] : d != per_q[q])
			stats_bad++;
	}
	printf("\n");
	printf("e2e: %lu packets, %lu on the expected guest queue, "
	       "%lu hashes verified\n", total, q_ok, h_ok);
	busy = t_last[0] - t_first[0] + t_last[1] - t_first[1];
	printf("e2e: queue digest %08x (phases A and C), guest %.0f packets/s\n",
	       digest, busy > 0 ? (got_a + got_c) / busy : 0.0);
	if (missing || bad || bad_frame || dup || stats_bad ||
	    q_ok != total || h_ok != total || phase != 'D') {
		printf("e2e: FAILED: %lu missing, %lu wrong, %lu corrupt, "
		       "%lu duplicates, %lu queue counters off\n", missing,
		       bad, bad_frame, dup, stats_bad);
		return 1;
	}
	return 0;
}
