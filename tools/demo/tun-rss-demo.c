// SPDX-License-Identifier: GPL-2.0
/*
 * tun-rss-demo: play the VMM side of a virtio-net device with RSS and hash
 * reporting backed by a multiqueue tap device.
 *
 * It creates the tap device with the hash-sized vnet header, asks the
 * kernel what it supports (TUNGETVNETHASHCAP), configures RSS and hash
 * reporting (TUNSETVNETHASH), lets the host's network stack send traffic of
 * many flows to the "guest" behind the device, reads every queue, and
 * checks each packet's reported hash, hash type and queue against its own
 * implementation of the virtio specification.
 */

#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/ipv6.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_QUEUES	16
#define MAX_TABLE	256
#define HDR_SZ		((int)sizeof(struct virtio_net_hdr_v1_hash))
#define FRAME_MAX	(HDR_SZ + 65536)
#define NSAMPLES_MAX	32

#define TYPES_ALL	(VIRTIO_NET_RSS_HASH_TYPE_IPv4 | \
			 VIRTIO_NET_RSS_HASH_TYPE_TCPv4 | \
			 VIRTIO_NET_RSS_HASH_TYPE_UDPv4 | \
			 VIRTIO_NET_RSS_HASH_TYPE_IPv6 | \
			 VIRTIO_NET_RSS_HASH_TYPE_TCPv6 | \
			 VIRTIO_NET_RSS_HASH_TYPE_UDPv6)

/* Microsoft's RSS verification key, the usual default of virtio drivers */
static const uint8_t default_key[TUN_VNET_HASH_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static const struct {
	const char *name;
	uint32_t bit;
} type_names[] = {
	{ "ipv4", VIRTIO_NET_RSS_HASH_TYPE_IPv4 },
	{ "tcpv4", VIRTIO_NET_RSS_HASH_TYPE_TCPv4 },
	{ "udpv4", VIRTIO_NET_RSS_HASH_TYPE_UDPv4 },
	{ "ipv6", VIRTIO_NET_RSS_HASH_TYPE_IPv6 },
	{ "tcpv6", VIRTIO_NET_RSS_HASH_TYPE_TCPv6 },
	{ "udpv6", VIRTIO_NET_RSS_HASH_TYPE_UDPv6 },
};

static const char *const report_names[] = {
	"none", "ipv4", "tcpv4", "udpv4", "ipv6", "tcpv6", "udpv6",
	"ipv6_ex", "tcpv6_ex", "udpv6_ex",
};

struct options {
	const char *ifname;
	int queues;
	int table_len;
	int unclassified;
	uint32_t types;
	uint8_t key[TUN_VNET_HASH_KEY_SIZE];
	uint8_t verify_key[TUN_VNET_HASH_KEY_SIZE];
	bool rss, report;
	int flows;
	int packets;
	int samples;
};

struct stats {
	unsigned long packets, verified, on_queue, mismatches;
	unsigned long per_queue[MAX_QUEUES];
	unsigned long per_report[10];
	int nsamples;
	char samples[NSAMPLES_MAX][200];
};

static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tun-rss-demo: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: tun-rss-demo [OPTION]...\n"
"Play the VMM side of a virtio-net NIC with RSS and hash reporting backed\n"
"by a multiqueue tap device: configure the kernel with TUNSETVNETHASH, send\n"
"traffic of many flows from the host stack to the device, read every queue\n"
"and verify each packet's reported hash, type and queue. Needs root and a\n"
"kernel with TUNGETVNETHASHCAP/TUNSETVNETHASH.\n"
"\n"
"  -i, --ifname NAME      tap device name (default: tunrss0)\n"
"  -q, --queues N         number of queues, 1..%d (default: 4)\n"
"  -t, --table-len N      indirection table length, a power of two up to\n"
"                         the kernel's maximum (default: 128)\n"
"  -u, --unclassified Q   queue of packets without a hash (default: 0)\n"
"  -T, --types LIST       comma-separated hash types: ipv4,tcpv4,udpv4,\n"
"                         ipv6,tcpv6,udpv6 or all (default: all)\n"
"  -k, --key HEX          40-byte Toeplitz key as 80 hex digits\n"
"                         (default: Microsoft's RSS verification key)\n"
"      --no-rss           report hashes only; the kernel picks queues\n"
"      --no-report        RSS only; packets carry no hash\n"
"  -f, --flows N          number of flows (default: 256)\n"
"  -n, --packets N        packets to send, about (default: 10000)\n"
"  -s, --samples N        sample packets to print (default: 8)\n"
"      --verify-key HEX   verify with another key than the one configured\n"
"                         (to see the verification fail)\n"
"  -h, --help             this text\n"
"\n"
"Exit status: 0 when every packet was verified, 1 otherwise.\n",
		MAX_QUEUES);
}

static int parse_int(const char *opt, const char *s, int min, int max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < min || v > max)
		fail("%s: '%s' is not a number from %d to %d", opt, s, min,
		     max);
	return v;
}

static void parse_key(const char *opt, const char *s, uint8_t *key)
{
	int i;

	if (strlen(s) != 2 * TUN_VNET_HASH_KEY_SIZE)
		fail("%s: the key must be %d hex digits", opt,
		     2 * TUN_VNET_HASH_KEY_SIZE);
	for (i = 0; i < TUN_VNET_HASH_KEY_SIZE; i++) {
		unsigned int b;

		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			fail("%s: '%.2s' is not a hex byte", opt, s + 2 * i);
		key[i] = b;
	}
}

static uint32_t parse_types(const char *s)
{
	char *copy = strdup(s), *tok, *save;
	uint32_t types = 0;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			types |= TYPES_ALL;
			continue;
		}
		for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
			if (!strcmp(tok, type_names[i].name))
				break;
		if (i == sizeof(type_names) / sizeof(type_names[0]))
			fail("--types: unknown hash type '%s'", tok);
		types |= type_names[i].bit;
	}
	free(copy);
	if (!types)
		fail("--types: no hash type given");
	return types;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "ifname", required_argument, NULL, 'i' },
		{ "queues", required_argument, NULL, 'q' },
		{ "table-len", required_argument, NULL, 't' },
		{ "unclassified", required_argument, NULL, 'u' },
		{ "types", required_argument, NULL, 'T' },
		{ "key", required_argument, NULL, 'k' },
		{ "no-rss", no_argument, NULL, 'R' },
		{ "no-report", no_argument, NULL, 'P' },
		{ "flows", required_argument, NULL, 'f' },
		{ "packets", required_argument, NULL, 'n' },
		{ "samples", required_argument, NULL, 's' },
		{ "verify-key", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	bool verify_key = false;
	int c;

	memset(o, 0, sizeof(*o));
	o->ifname = "tunrss0";
	o->queues = 4;
	o->table_len = 128;
	o->types = TYPES_ALL;
	memcpy(o->key, default_key, sizeof(o->key));
	o->rss = o->report = true;
	o->flows = 256;
	o->packets = 10000;
	o->samples = 8;

	while ((c = getopt_long(argc, argv, "i:q:t:u:T:k:f:n:s:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'i':
			if (strlen(optarg) >= IFNAMSIZ)
				fail("--ifname: '%s' is too long", optarg);
			o->ifname = optarg;
			break;
		case 'q':
			o->queues = parse_int("--queues", optarg, 1,
					      MAX_QUEUES);
			break;
		case 't':
			o->table_len = parse_int("--table-len", optarg, 1,
						 MAX_TABLE);
			if (o->table_len & (o->table_len - 1))
				fail("--table-len: %d is not a power of two",
				     o->table_len);
			break;
		case 'u':
			o->unclassified = parse_int("--unclassified", optarg,
						    0, MAX_QUEUES - 1);
			break;
		case 'T':
			o->types = parse_types(optarg);
			break;
		case 'k':
			parse_key("--key", optarg, o->key);
			break;
		case 'R':
			o->rss = false;
			break;
		case 'P':
			o->report = false;
			break;
		case 'f':
			o->flows = parse_int("--flows", optarg, 1, 4096);
			break;
		case 'n':
			o->packets = parse_int("--packets", optarg, 1,
					       10000000);
			break;
		case 's':
			o->samples = parse_int("--samples", optarg, 0,
					       NSAMPLES_MAX);
			break;
		case 'V':
			parse_key("--verify-key", optarg, o->verify_key);
			verify_key = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(1);
		}
	}
	if (optind < argc)
		fail("unexpected argument '%s'; see --help", argv[optind]);
	if (!o->rss && !o->report)
		fail("--no-rss and --no-report together leave nothing to do");
	if (o->unclassified >= o->queues)
		fail("--unclassified: queue %d does not exist with %d queues",
		     o->unclassified, o->queues);
	if (!verify_key)
		memcpy(o->verify_key, o->key, sizeof(o->key));
}

/* The definition: for every set input bit, XOR the 32 key bits there */
static uint32_t toeplitz(const uint8_t *key, const uint8_t *in, size_t len)
{
	uint32_t hash = 0;
	size_t bit;

	for (bit = 0; bit < len * 8; bit++) {
		uint64_t window = 0;
		size_t i;

		if (!(in[bit / 8] & (0x80 >> (bit % 8))))
			continue;
		for (i = 0; i < 5; i++)
			window = window << 8 | key[bit / 8 + i];
		hash ^= (uint32_t)(window >> (8 - bit % 8));
	}

	return hash;
}

/*
 * The expected report and hash of a frame (virtio specification, network
 * device, "Hash calculation for incoming packets").
 */
static uint16_t expect_hash(const struct options *o, const uint8_t *f,
			    size_t len, uint32_t *hash, char *desc,
			    size_t desclen)
{
	uint8_t input[36];
	size_t in_len, off = ETH_HLEN;
	int proto, family;
	bool frag = false, l4_ok;
	uint16_t type, report;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	*hash = 0;
	if (len < ETH_HLEN)
		return VIRTIO_NET_HASH_REPORT_NONE;
	type = f[12] << 8 | f[13];

	if (type == ETH_P_IP && len >= off + 20) {
		const uint8_t *ip = f + off;
		int ihl = (ip[0] & 0xf) * 4;

		family = AF_INET;
		proto = ip[9];
		frag = (ip[6] << 8 | ip[7]) & 0x3fff;
		memcpy(input, ip + 12, 8);
		in_len = 8;
		off += ihl;
		inet_ntop(AF_INET, ip + 12, s, sizeof(s));
		inet_ntop(AF_INET, ip + 16, d, sizeof(d));
	} else if (type == ETH_P_IPV6 && len >= off + 40) {
		const uint8_t *ip6 = f + off;

		family = AF_INET6;
		proto = ip6[6];
		memcpy(input, ip6 + 8, 32);
		in_len = 32;
		off += 40;
		if (proto == 44 && len >= off + 8) {	/* fragment header */
			proto = f[off];
			frag = true;
			off += 8;
		}
		inet_ntop(AF_INET6, ip6 + 8, s, sizeof(s));
		inet_ntop(AF_INET6, ip6 + 24, d, sizeof(d));
	} else {
		snprintf(desc, desclen, "ethertype 0x%04x", type);
		return VIRTIO_NET_HASH_REPORT_NONE;
	}

	l4_ok = !frag &&
		((proto == IPPROTO_TCP && len >= off + 20) ||
		 (proto == IPPROTO_UDP && len >= off + 8));
	if (l4_ok && proto == IPPROTO_TCP &&
	    o->types & (family == AF_INET ? VIRTIO_NET_RSS_HASH_TYPE_TCPv4 :
					    VIRTIO_NET_RSS_HASH_TYPE_TCPv6)) {
		report = family == AF_INET ? VIRTIO_NET_HASH_REPORT_TCPv4 :
					     VIRTIO_NET_HASH_REPORT_TCPv6;
	} else if (l4_ok && proto == IPPROTO_UDP &&
		   o->types & (family == AF_INET ?
			       VIRTIO_NET_RSS_HASH_TYPE_UDPv4 :
			       VIRTIO_NET_RSS_HASH_TYPE_UDPv6)) {
		report = family == AF_INET ? VIRTIO_NET_HASH_REPORT_UDPv4 :
					     VIRTIO_NET_HASH_REPORT_UDPv6;
	} else if (o->types & (family == AF_INET ?
			       VIRTIO_NET_RSS_HASH_TYPE_IPv4 :
			       VIRTIO_NET_RSS_HASH_TYPE_IPv6)) {
		report = family == AF_INET ? VIRTIO_NET_HASH_REPORT_IPv4 :
					     VIRTIO_NET_HASH_REPORT_IPv6;
		l4_ok = false;
	} else {
		snprintf(desc, desclen, "%s %s > %s (type not enabled)",
			 family == AF_INET ? "ipv4" : "ipv6", s, d);
		return VIRTIO_NET_HASH_REPORT_NONE;
	}

	if (l4_ok) {
		memcpy(input + in_len, f + off, 4);
		in_len += 4;
		snprintf(desc, desclen, "%s %s%s%s:%u > %s%s%s:%u",
			 proto == IPPROTO_TCP ? "tcp" : "udp",
			 family == AF_INET6 ? "[" : "", s,
			 family == AF_INET6 ? "]" : "",
			 f[off] << 8 | f[off + 1],
			 family == AF_INET6 ? "[" : "", d,
			 family == AF_INET6 ? "]" : "",
			 f[off + 2] << 8 | f[off + 3]);
	} else {
		snprintf(desc, desclen, "%s %s > %s%s",
			 family == AF_INET ? "ipv4" : "ipv6", s, d,
			 frag ? " (fragment)" : "");
	}
	*hash = toeplitz(o->verify_key, input, in_len);

	return report;
}

static int tap_open(const struct options *o, int *fds)
{
	struct ifreq ifr;
	int i, sz = HDR_SZ;

	for (i = 0; i < o->queues; i++) {
		fds[i] = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
		if (fds[i] < 0)
			fail("cannot open /dev/net/tun: %s%s", strerror(errno),
			     errno == EACCES || errno == EPERM ?
			     " (run as root)" : "");
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", o->ifname);
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
		if (o->queues > 1)
			ifr.ifr_flags |= IFF_MULTI_QUEUE;
		if (ioctl(fds[i], TUNSETIFF, &ifr))
			fail("TUNSETIFF %s: %s%s", o->ifname, strerror(errno),
			     errno == EPERM ? " (run as root)" :
			     errno == EBUSY ? " (is the device in use?)" : "");
	}
	if (ioctl(fds[0], TUNSETVNETHDRSZ, &sz))
		fail("TUNSETVNETHDRSZ: %s", strerror(errno));
	return 0;
}

static void print_config(const struct options *o,
			 const struct tun_vnet_hash_cap *cap)
{
	size_t i;

	printf("== Kernel capabilities (TUNGETVNETHASHCAP)\n");
	printf("   flags:%s%s  types:", cap->flags & TUN_VNET_HASH_REPORT ?
	       " REPORT" : "", cap->flags & TUN_VNET_HASH_RSS ? " RSS" : "");
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (cap->types & type_names[i].bit)
			printf(" %s", type_names[i].name);
	printf("\n   max indirection table: %u entries, key: %u bytes\n\n",
	       cap->max_indirection_table_length, cap->key_size);

	printf("== Configuration (TUNSETVNETHASH) on %s, %d queues\n",
	       o->ifname, o->queues);
	printf("   flags:%s%s\n   types:", o->report ? " REPORT" : "",
	       o->rss ? " RSS" : "");
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (o->types & type_names[i].bit)
			printf(" %s", type_names[i].name);
	printf("\n   key:  ");
	for (i = 0; i < TUN_VNET_HASH_KEY_SIZE; i++)
		printf("%02x%s", o->key[i], i == 19 ? "\n         " : "");
	if (o->rss)
		printf("\n   indirection table: %d entries, entry i = queue i %% %d;"
		       " unclassified queue %d\n\n", o->table_len, o->queues,
		       o->unclassified);
	else
		printf("\n   queues chosen by the kernel's flow steering\n\n");
}

static void configure(const struct options *o, int fd)
{
	struct tun_vnet_hash_cap cap;
	struct {
		struct tun_vnet_hash hdr;
		uint16_t table[MAX_TABLE];
	} arg;
	int i;

	if (ioctl(fd, TUNGETVNETHASHCAP, &cap))
		fail("TUNGETVNETHASHCAP: %s%s", strerror(errno),
		     errno == EINVAL ? " (kernel without virtio-net hashing"
		     " in tun)" : "");
	if ((o->types & cap.types) != o->types)
		fail("the kernel does not support all requested hash types");
	if (o->rss && !(cap.flags & TUN_VNET_HASH_RSS))
		fail("the kernel does not support RSS in tun");
	if (o->rss && o->table_len > cap.max_indirection_table_length)
		fail("--table-len: the kernel allows at most %u entries",
		     cap.max_indirection_table_length);
	print_config(o, &cap);

	memset(&arg, 0, sizeof(arg));
	arg.hdr.flags = (o->report ? TUN_VNET_HASH_REPORT : 0) |
			(o->rss ? TUN_VNET_HASH_RSS : 0);
	arg.hdr.types = o->types;
	memcpy(arg.hdr.key, o->key, sizeof(arg.hdr.key));
	if (o->rss) {
		arg.hdr.indirection_table_mask = o->table_len - 1;
		arg.hdr.unclassified_queue = o->unclassified;
		for (i = 0; i < o->table_len; i++)
			arg.table[i] = i % o->queues;
	}
	if (ioctl(fd, TUNSETVNETHASH, &arg))
		fail("TUNSETVNETHASH: %s", strerror(errno));
}

static void ifreq_ioctl(unsigned long req, struct ifreq *ifr, const char *what)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || ioctl(fd, req, ifr))
		fail("%s on %s: %s", what, ifr->ifr_name, strerror(errno));
	close(fd);
}

/*
 * Give the device the host's addresses 198.18.0.1/24 and 2001:db8::1/64
 * (benchmarking and documentation ranges, never routed anywhere). With
 * IFF_NOARP the host sends to the guest addresses .2 and ::2 without
 * neighbour discovery.
 */
static void setup_link(const struct options *o)
{
	struct sockaddr_in *sin;
	struct ifreq ifr;
	char cmd[256];
	int fd;

	snprintf(cmd, sizeof(cmd), "/proc/sys/net/ipv6/conf/%s/accept_dad",
		 o->ifname);
	fd = open(cmd, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "0", 1) != 1)
			fail("cannot turn off DAD on %s", o->ifname);
		close(fd);
	}

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", o->ifname);
	sin = (struct sockaddr_in *)&ifr.ifr_addr;
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "198.18.0.1", &sin->sin_addr);
	ifreq_ioctl(SIOCSIFADDR, &ifr, "SIOCSIFADDR");
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	ifreq_ioctl(SIOCSIFNETMASK, &ifr, "SIOCSIFNETMASK");
	ifr.ifr_qlen = 4096;
	ifreq_ioctl(SIOCSIFTXQLEN, &ifr, "SIOCSIFTXQLEN");
	ifreq_ioctl(SIOCGIFFLAGS, &ifr, "SIOCGIFFLAGS");
	ifr.ifr_flags |= IFF_UP | IFF_NOARP;
	ifreq_ioctl(SIOCSIFFLAGS, &ifr, "SIOCSIFFLAGS");

	{
		struct in6_ifreq {
			struct in6_addr addr;
			uint32_t prefixlen;
			int ifindex;
		} r6;

		fd = socket(AF_INET6, SOCK_DGRAM, 0);
		if (fd < 0)
			fail("IPv6 socket: %s", strerror(errno));
		inet_pton(AF_INET6, "2001:db8::1", &r6.addr);
		r6.prefixlen = 64;
		r6.ifindex = if_nametoindex(o->ifname);
		if (ioctl(fd, SIOCSIFADDR, &r6))
			fail("adding 2001:db8::1 to %s: %s", o->ifname,
			     strerror(errno));
		close(fd);
	}
}

static void record(struct stats *st, const struct options *o, int queue,
		   const uint8_t *buf, size_t len)
{
	const struct virtio_net_hdr_v1_hash *h = (const void *)buf;
	uint32_t value = h->hash_value_lo | (uint32_t)h->hash_value_hi << 16;
	uint16_t report = h->hash_report, want;
	uint32_t hash;
	char desc[128];
	bool ok_hash, ok_queue;
	int expect_queue = -1;

	want = expect_hash(o, buf + HDR_SZ, len - HDR_SZ, &hash, desc,
			   sizeof(desc));
	st->packets++;
	st->per_queue[queue]++;
	if (report < 10)
		st->per_report[report]++;

	if (o->report)
		ok_hash = report == want && value == hash && !h->padding;
	else
		ok_hash = !report && !value;
	if (o->rss) {
		expect_queue = want == VIRTIO_NET_HASH_REPORT_NONE ?
			       o->unclassified :
			       (int)(hash & (o->table_len - 1)) % o->queues;
		ok_queue = queue == expect_queue;
	} else {
		ok_queue = true;
	}
	st->verified += ok_hash;
	st->on_queue += ok_queue;

	if ((!ok_hash || !ok_queue) && st->mismatches++ < 5)
		fprintf(stderr,
			"MISMATCH queue %d %s: reported %s 0x%08x, expected %s 0x%08x on queue %d\n",
			queue, desc, report < 10 ? report_names[report] : "?",
			value, report_names[want], hash, expect_queue);
	/* the first packet of each type, then a packet now and then */
	if (st->nsamples < o->samples &&
	    ((report < 10 && st->per_report[report] == 1) ||
	     st->packets % 1000 == 0))
		snprintf(st->samples[st->nsamples++], sizeof(st->samples[0]),
			 "   queue %d  %-6s 0x%08x  %s", queue,
			 report < 10 ? report_names[report] : "?", value,
			 desc);
}

/* Read every queue until nothing arrives for @idle_ms */
static void drain(struct stats *st, const struct options *o, const int *fds,
		  int idle_ms)
{
	static uint8_t buf[FRAME_MAX];
	struct pollfd pfds[MAX_QUEUES];
	int i;

	for (;;) {
		for (i = 0; i < o->queues; i++) {
			pfds[i].fd = fds[i];
			pfds[i].events = POLLIN;
		}
		if (poll(pfds, o->queues, idle_ms) <= 0)
			return;
		for (i = 0; i < o->queues; i++) {
			ssize_t r;

			while ((r = read(fds[i], buf, sizeof(buf))) > 0)
				record(st, o, i, buf, r);
		}
	}
}

struct flow {
	int fd;
	int family, type;
	int big;	/* sends datagrams that need fragmentation */
};

static int open_flow(struct flow *fl, int i)
{
	static const int kinds[][2] = {
		{ AF_INET, SOCK_DGRAM }, { AF_INET6, SOCK_DGRAM },
		{ AF_INET, SOCK_STREAM }, { AF_INET6, SOCK_STREAM },
	};
	struct sockaddr_storage ss;
	socklen_t sl;

	fl->family = kinds[i % 4][0];
	fl->type = kinds[i % 4][1];
	fl->big = fl->type == SOCK_DGRAM && i % 32 < 2;
	fl->fd = socket(fl->family, fl->type | SOCK_NONBLOCK, 0);
	if (fl->fd < 0)
		return -1;

	memset(&ss, 0, sizeof(ss));
	if (fl->family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(20000 + i * 7);
		/* guest addresses 198.18.0.2 to .9 */
		s->sin_addr.s_addr = htonl(0xc6120002 + i / 4 % 8);
		sl = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(20000 + i * 7);
		/* guest addresses 2001:db8::2 to ::9 */
		inet_pton(AF_INET6, "2001:db8::2", &s->sin6_addr);
		s->sin6_addr.s6_addr[15] += i / 4 % 8;
		sl = sizeof(*s);
	}
	/* a stream socket's SYN is its one packet; datagrams follow */
	if (connect(fl->fd, (struct sockaddr *)&ss, sl) &&
	    errno != EINPROGRESS)
		return -1;
	return 0;
}

/* A few frames that are not IP: they have no hash */
static void send_non_ip(const struct options *o, int n)
{
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = if_nametoindex(o->ifname),
		.sll_halen = ETH_ALEN,
	};
	uint8_t frame[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	};
	int fd, i;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		fail("packet socket: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		frame[59] = i;
		if (sendto(fd, frame, sizeof(frame), 0,
			   (struct sockaddr *)&ll, sizeof(ll)) < 0)
			fail("sending an ARP frame: %s", strerror(errno));
	}
	close(fd);
}

static void print_report(const struct options *o, const struct stats *st,
			 double secs)
{
	unsigned long max = 1;
	int i;

	for (i = 0; i < o->queues; i++)
		if (st->per_queue[i] > max)
			max = st->per_queue[i];

	printf("== Packets per queue\n");
	for (i = 0; i < o->queues; i++) {
		int bar = st->per_queue[i] * 50 / max;

		printf("   queue %2d %7lu  %.*s\n", i, st->per_queue[i], bar,
		       "##################################################");
	}
	printf("\n== Packets per reported hash type\n");
	for (i = 0; i < 10; i++)
		if (st->per_report[i])
			printf("   %-9s %7lu\n", report_names[i],
			       st->per_report[i]);
	printf("\n== Sample packets (queue, reported type and hash, flow)\n");
	for (i = 0; i < st->nsamples; i++)
		printf("%s\n", st->samples[i]);
	printf("\n%lu packets in %.1f s: %lu hashes verified, %lu on the expected queue\n",
	       st->packets, secs, st->verified, st->on_queue);
}

int main(int argc, char **argv)
{
	static struct flow flows[4096];
	static struct stats st;
	struct timespec t0, t1;
	static char payload[3000];
	int fds[MAX_QUEUES], i, sent = 0, round;
	struct options o;

	parse_options(argc, argv, &o);
	tap_open(&o, fds);
	configure(&o, fds[0]);
	setup_link(&o);
	/* drop what the stack sent while the link came up */
	drain(&st, &o, fds, 200);
	memset(&st, 0, sizeof(st));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < o.flows; i++)
		if (open_flow(&flows[i], i))
			fail("flow %d: %s", i, strerror(errno));
	send_non_ip(&o, 16);
	drain(&st, &o, fds, 0);

	for (round = 0; sent < o.packets; round++) {
		for (i = 0; i < o.flows && sent < o.packets; i++) {
			struct flow *fl = &flows[i];
			bool big = fl->big && round % 4 == 0;
			size_t len = big ? sizeof(payload) : 64;

			if (fl->type != SOCK_DGRAM)
				continue;
			payload[0] = round;
			if (send(fl->fd, payload, len, 0) >= 0)
				sent += big ? 3 : 1;
		}
		drain(&st, &o, fds, 0);
	}
	drain(&st, &o, fds, 300);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < o.flows; i++)
		close(flows[i].fd);

	print_report(&o, &st, (t1.tv_sec - t0.tv_sec) +
			      (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (!st.packets)
		fail("no packet arrived on %s", o.ifname);
	if (st.verified != st.packets || st.on_queue != st.packets) {
		fprintf(stderr, "tun-rss-demo: FAILED: %lu of %lu packets have"
			" a wrong hash or queue\n", st.packets -
			(st.verified < st.on_queue ? st.verified : st.on_queue),
			st.packets);
		return 1;
	}
	return 0;
}
