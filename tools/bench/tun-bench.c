// SPDX-License-Identifier: GPL-2.0
/*
 * tun-bench: packets per second through a multiqueue tap device with each
 * way of choosing queues and hashing: automatic flow steering, a steering
 * eBPF program, RSS, RSS with hash reporting, and hash reporting alone.
 *
 * Frames of many UDP flows are sent into the device through a packet
 * socket (so they take the transmit path of the kernel: queue selection,
 * tun_net_xmit) and read from every queue. The modes run in turns, several
 * rounds each, and the median of each mode is printed with its ratio to
 * automatic steering.
 *
 * "tun-bench SECS automq" runs automatic steering alone, without any ioctl
 * of the series, so that it also runs on a kernel without them (make
 * bench-off).
 */

#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/virtio_net.h>
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

#define NQUEUES		4
#define NFLOWS		1024
#define FRAME_LEN	(ETH_HLEN + 20 + 8 + 18)
#define HDR_SZ		((int)sizeof(struct virtio_net_hdr_v1_hash))
#define ROUNDS		9

enum mode { AUTOMQ, EBPF, RSS, RSS_REPORT, REPORT, NMODES };

static const char *const mode_names[NMODES] = {
	"automq", "steering eBPF", "RSS", "RSS + REPORT", "REPORT only",
};

static const uint8_t key[TUN_VNET_HASH_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static void die(const char *what)
{
	fprintf(stderr, "tun-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int fds[NQUEUES], pfd, prog = -1, automq_only;
static uint8_t frames[NFLOWS][FRAME_LEN];

static void setup(void)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	struct ifreq ifr;
	int i, sz = HDR_SZ, s;

	for (i = 0; i < NQUEUES; i++) {
		fds[i] = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
		if (fds[i] < 0)
			die("open /dev/net/tun");
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, "tunbench0");
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR |
				IFF_MULTI_QUEUE;
		if (ioctl(fds[i], TUNSETIFF, &ifr))
			die("TUNSETIFF");
	}
	if (ioctl(fds[0], TUNSETVNETHDRSZ, &sz))
		die("TUNSETVNETHDRSZ");

	s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "tunbench0");
	ifr.ifr_qlen = 8192;
	if (ioctl(s, SIOCSIFTXQLEN, &ifr))
		die("SIOCSIFTXQLEN");
	ifr.ifr_flags = IFF_UP | IFF_NOARP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		die("SIOCSIFFLAGS");
	close(s);

	pfd = socket(AF_PACKET, SOCK_RAW, 0);
	ll.sll_ifindex = if_nametoindex("tunbench0");
	if (pfd < 0 || bind(pfd, (struct sockaddr *)&ll, sizeof(ll)))
		die("packet socket");

	/* UDP/IPv4 frames of NFLOWS flows: 198.18.x.y:port -> 198.19.0.1 */
	for (i = 0; i < NFLOWS; i++) {
		uint8_t *f = frames[i];
		struct iphdr *ip = (struct iphdr *)(f + ETH_HLEN);
		struct udphdr *udp = (struct udphdr *)(ip + 1);

		memset(f, 0, FRAME_LEN);
		f[0] = 0x02;
		f[5] = 1;
		f[6] = 0x02;
		f[11] = 2;
		f[12] = 0x08;
		ip->version = 4;
		ip->ihl = 5;
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->tot_len = htons(FRAME_LEN - ETH_HLEN);
		ip->saddr = htonl(0xc6120000 + i / 16);
		ip->daddr = htonl(0xc6130001);
		udp->source = htons(10000 + i);
		udp->dest = htons(4791);
		udp->len = htons(FRAME_LEN - ETH_HLEN - 20);
	}
}

/* A steering program that spreads by skb->hash, like a real one would */
static int load_prog(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_0,
		  .src_reg = BPF_REG_1,
		  .off = offsetof(struct __sk_buff, hash) },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)"GPL";
	return syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

static void set_mode(enum mode m)
{
	struct {
		struct tun_vnet_hash hdr;
		uint16_t table[128];
	} arg;
	int none = -1, i;

	if (automq_only)
		return;
	memset(&arg, 0, sizeof(arg));
	/* first undo the previous mode */
	if (ioctl(fds[0], TUNSETVNETHASH, &arg))
		die("TUNSETVNETHASH off");
	if (ioctl(fds[0], TUNSETSTEERINGEBPF, &none))
		die("TUNSETSTEERINGEBPF off");

	arg.hdr.types = VIRTIO_NET_RSS_HASH_TYPE_IPv4 |
			VIRTIO_NET_RSS_HASH_TYPE_TCPv4 |
			VIRTIO_NET_RSS_HASH_TYPE_UDPv4 |
			VIRTIO_NET_RSS_HASH_TYPE_IPv6 |
			VIRTIO_NET_RSS_HASH_TYPE_TCPv6 |
			VIRTIO_NET_RSS_HASH_TYPE_UDPv6;
	memcpy(arg.hdr.key, key, sizeof(key));
	switch (m) {
	case AUTOMQ:
		return;
	case EBPF:
		if (ioctl(fds[0], TUNSETSTEERINGEBPF, &prog))
			die("TUNSETSTEERINGEBPF");
		return;
	case RSS:
	case RSS_REPORT:
		arg.hdr.flags = TUN_VNET_HASH_RSS;
		if (m == RSS_REPORT)
			arg.hdr.flags |= TUN_VNET_HASH_REPORT;
		arg.hdr.indirection_table_mask = 127;
		for (i = 0; i < 128; i++)
			arg.table[i] = i % NQUEUES;
		break;
	case REPORT:
		arg.hdr.flags = TUN_VNET_HASH_REPORT;
		break;
	default:
		return;
	}
	if (ioctl(fds[0], TUNSETVNETHASH, &arg))
		die("TUNSETVNETHASH");
}

/* Packets read from each queue, per mode, in its last run */
static unsigned long per_queue[NMODES][NQUEUES];

/* Read every queue empty; count what each had in @count, if not NULL */
static unsigned long drain(unsigned long *count)
{
	static uint8_t buf[2048];
	unsigned long n = 0;
	int i;

	for (i = 0; i < NQUEUES; i++)
		while (read(fds[i], buf, sizeof(buf)) > 0) {
			if (count)
				count[i]++;
			n++;
		}
	return n;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Packets per second sent and read back during @secs */
static double run(enum mode m, double secs)
{
	unsigned long got = 0, flow = 0;
	double t0 = now(), t;
	int b;

	drain(NULL);
	memset(per_queue[m], 0, sizeof(per_queue[m]));
	do {
		for (b = 0; b < 64; b++, flow++)
			if (send(pfd, frames[flow % NFLOWS], FRAME_LEN, 0) < 0 &&
			    errno != ENOBUFS)
				die("send");
		got += drain(per_queue[m]);
		t = now();
	} while (t - t0 < secs);

	return got / (t - t0);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	double pps[NMODES][ROUNDS], med[NMODES];
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	int m, r, nmodes = NMODES;

	automq_only = argc > 2 && !strcmp(argv[2], "automq");
	if (automq_only)
		nmodes = AUTOMQ + 1;

	setup();
	prog = load_prog();
	if (prog < 0)
		die("BPF_PROG_LOAD");

	for (r = 0; r < ROUNDS; r++)
		for (m = 0; m < nmodes; m++) {
			set_mode(m);
			pps[m][r] = run(m, secs);
		}

	printf("%-14s %12s %8s   (%d queues, %d UDP flows, median of %d runs of %.1f s;\n",
	       "mode", "packets/s", "x automq", NQUEUES, NFLOWS, ROUNDS, secs);
	printf("%-14s %12s %8s    share of each queue in the last run)\n",
	       "", "", "");
	for (m = 0; m < nmodes; m++) {
		qsort(pps[m], ROUNDS, sizeof(double), cmp);
		med[m] = pps[m][ROUNDS / 2];
	}
	for (m = 0; m < nmodes; m++) {
		unsigned long sum = 0;
		int q;

		for (q = 0; q < NQUEUES; q++)
			sum += per_queue[m][q];
		printf("%-14s %12.0f %8.2f   ", mode_names[m], med[m],
		       med[m] / med[AUTOMQ]);
		for (q = 0; q < NQUEUES; q++)
			printf(" %3.0f%%", sum ? 100.0 * per_queue[m][q] / sum : 0);
		printf("\n");
	}
	return 0;
}
