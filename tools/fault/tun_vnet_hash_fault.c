// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection against the allocations of virtio-net hashing in tun
 * and tap (issue #19), for the 'make check-debug' kernel
 * (rig/config/debug.config: FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC,
 * FAULT_INJECTION_DEBUG_FS, FAULT_INJECTION_STACKTRACE_FILTER).
 *
 * - set_enomem, set_enomem_from_off: TUNSETVNETHASH fails at every
 *   allocation it makes, one after the other (/proc/thread-self/fail-nth
 *   = 1, 2, ... until the ioctl no longer reaches the failing call). A
 *   failure the ioctl reports is ENOMEM, and the configuration in force
 *   before it is the one TUNGETVNETHASH reads and the packets follow; a
 *   failure the kernel absorbs (the debug kernel's own metadata) leaves
 *   the new one in force.
 * - ext_enomem: every slab allocation made from the functions of
 *   tun_vnet_hash.ko that add the skb extension fails (failslab,
 *   probability 100, its stack trace filter set to their addresses): the
 *   packets are all delivered once, unchanged, on their RSS queue, with
 *   report NONE and value 0, and nothing else comes out.
 * - close_under_faults: closing the queues of a device that has a
 *   configuration and packets waiting in its rings, and deleting it, with
 *   the N-th allocation failing: N = 1 to 8, then 25% further each time
 *   until the teardown makes fewer than N allocations (a sample: the
 *   teardown makes over a hundred, each costing a device under KASAN).
 *   The device must be gone each time.
 *
 * Each case runs on tun (frames sent through a packet socket on the tap
 * device) and on tap (a macvtap device whose lower tap device is written).
 * Kernel splats and leaks are the rig's to find in the console and in
 * kmemleak.
 */

#define _GNU_SOURCE

#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "tun_vnet_hash.h"

#define DBG		"/sys/kernel/debug"
#define FAILSLAB	DBG "/failslab"
#define FAILPAGE	DBG "/fail_page_alloc"
/* more than the allocations any case here can make */
#define MAX_NTH		400
#define MAX_NTH_CLOSE	4000
#define NFRAMES		256
#define TIMES		1000000

struct cfg {
	uint32_t flags;
	uint32_t types;
	unsigned int len;
	uint16_t table[16];
	uint16_t unclassified;
	uint8_t key[TUN_VNET_HASH_KEY_SIZE];
};

/* Configuration A: the published key and the tests' usual table */
static const struct cfg cfg_a = {
	.flags = REPORT_RSS,
	.types = TYPES_ALL,
	.len = 8,
	.table = { 1, 3, 0, 2, 2, 0, 3, 1 },
	.unclassified = 2,
	.key = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
		0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
		0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
		0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
		0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
	},
};

/* Configuration B: another key, a longer table, IPv4 types only */
static struct cfg cfg_b(void)
{
	struct cfg c = {
		.flags = REPORT_RSS,
		.types = TYPES_V4,
		.len = 16,
		.unclassified = 3,
	};
	unsigned int i;

	for (i = 0; i < c.len; i++)
		c.table[i] = (i * 3 + 1) % NQUEUES;
	for (i = 0; i < sizeof(c.key); i++)
		c.key[i] = 0x3c ^ (i * 37);

	return c;
}

static int write_str(const char *path, const char *val)
{
	ssize_t len = strlen(val), ret;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, val, len);
	close(fd);

	return ret == len ? 0 : -1;
}

static long read_long(const char *path)
{
	char buf[32];
	ssize_t ret;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ret = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (ret <= 0)
		return -1;
	buf[ret] = 0;

	return strtol(buf, NULL, 0);
}

/*
 * /proc/thread-self/fail-nth, opened once: opening it while a failure is
 * armed would itself allocate, and take the failure
 */
static int nth_fd = -1;

/* Arm fail-nth: the @n-th allocation of this thread fails (0: none) */
static int fail_nth(unsigned int n)
{
	char buf[16];
	int len;

	len = snprintf(buf, sizeof(buf), "%u", n);
	return pwrite(nth_fd, buf, len, 0) == len ? 0 : -1;
}

/* Disarm fail-nth; true if the failure it was armed with happened */
static bool fail_nth_hit(void)
{
	char buf[16];
	ssize_t ret;

	ret = pread(nth_fd, buf, sizeof(buf) - 1, 0);
	fail_nth(0);
	if (ret <= 0)
		return false;
	buf[ret] = 0;

	return strtol(buf, NULL, 10) == 0;
}

/*
 * The address of function @name of module @mod and of the symbol after it
 * in /proc/kallsyms: where the function's code ends at the latest
 */
static int symbol_range(const char *name, const char *mod,
			unsigned long *start, unsigned long *end)
{
	unsigned long addr, next = ~0UL;
	char line[512], sym[256], owner[64];
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return -1;
	*start = 0;
	while (fgets(line, sizeof(line), f)) {
		owner[0] = 0;
		if (sscanf(line, "%lx %*s %255s [%63[^]]]", &addr, sym,
			   owner) < 2)
			continue;
		if (!strcmp(sym, name) && !strcmp(owner, mod))
			*start = addr;
	}
	rewind(f);
	while (*start && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx", &addr) == 1 && addr > *start &&
		    addr < next)
			next = addr;
	}
	fclose(f);
	*end = next;

	return *start && next != ~0UL ? 0 : -1;
}

static int attr_set(const char *attr, const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", attr, name);
	return write_str(path, val);
}

static long attr_get(const char *attr, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", attr, name);
	return read_long(path);
}

/*
 * Make failslab and fail_page_alloc count every allocation (GFP_KERNEL
 * and order 0 included) for fail-nth, quietly: the stack trace they
 * print would read as a splat. Nothing fails without fail-nth.
 */
static int faults_quiet(void)
{
	return attr_set(FAILSLAB, "probability", "0") ||
	       attr_set(FAILSLAB, "verbose", "0") ||
	       attr_set(FAILSLAB, "ignore-gfp-wait", "N") ||
	       attr_set(FAILSLAB, "task-filter", "N") ||
	       attr_set(FAILSLAB, "require-start", "0") ||
	       attr_set(FAILSLAB, "require-end", "0xffffffffffffffff") ||
	       attr_set(FAILPAGE, "probability", "0") ||
	       attr_set(FAILPAGE, "verbose", "0") ||
	       attr_set(FAILPAGE, "ignore-gfp-wait", "N") ||
	       attr_set(FAILPAGE, "ignore-gfp-highmem", "N") ||
	       attr_set(FAILPAGE, "min-order", "0");
}

/* Fail every slab allocation made from code in [@start, @end) */
static int failslab_range(unsigned long start, unsigned long end)
{
	char s[32], e[32], t[32];

	snprintf(s, sizeof(s), "0x%lx", start);
	snprintf(e, sizeof(e), "0x%lx", end);
	snprintf(t, sizeof(t), "%d", TIMES);
	return attr_set(FAILSLAB, "require-start", s) ||
	       attr_set(FAILSLAB, "require-end", e) ||
	       attr_set(FAILSLAB, "stacktrace-depth", "32") ||
	       attr_set(FAILSLAB, "interval", "1") ||
	       attr_set(FAILSLAB, "space", "0") ||
	       attr_set(FAILSLAB, "times", t) ||
	       attr_set(FAILSLAB, "probability", "100");
}

/* Stop failslab_range(); return how many allocations it failed */
static long failslab_stop(void)
{
	long left;

	attr_set(FAILSLAB, "probability", "0");
	left = attr_get(FAILSLAB, "times");
	attr_set(FAILSLAB, "require-start", "0");
	attr_set(FAILSLAB, "require-end", "0xffffffffffffffff");
	return left < 0 ? -1 : TIMES - left;
}

static bool fault_injection(void)
{
	struct stat st;

	if (stat(FAILSLAB, &st))
		mount("debugfs", DBG, "debugfs", 0, NULL);
	if (nth_fd < 0)
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	return !stat(FAILSLAB, &st) && !stat(FAILPAGE, &st) && nth_fd >= 0;
}

/* Append attribute @type to @nh; return it, for nesting */
static struct rtattr *nl_attr(struct nlmsghdr *nh, unsigned short type,
			      const void *data, size_t len)
{
	struct rtattr *rta = (void *)nh + NLMSG_ALIGN(nh->nlmsg_len);

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);

	return rta;
}

/* A macvtap device @name on @lower, the MAC address of the test frames */
static int macvtap_add(const char *name, const char *lower)
{
	static const uint8_t mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[256];
	} req = {
		.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.nh.nlmsg_type = RTM_NEWLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
				  NLM_F_EXCL,
		.ifi.ifi_family = AF_UNSPEC,
	};
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	uint32_t link = if_nametoindex(lower);
	struct rtattr *info;
	int fd, ret = -1;

	nl_attr(&req.nh, IFLA_IFNAME, name, strlen(name) + 1);
	nl_attr(&req.nh, IFLA_LINK, &link, sizeof(link));
	nl_attr(&req.nh, IFLA_ADDRESS, mac, ETH_ALEN);
	info = nl_attr(&req.nh, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req.nh, IFLA_INFO_KIND, "macvtap", strlen("macvtap"));
	info->rta_len = (void *)&req.nh + req.nh.nlmsg_len - (void *)info;

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	if (send(fd, &req, req.nh.nlmsg_len, 0) == req.nh.nlmsg_len &&
	    recv(fd, &ack, sizeof(ack), 0) > 0 &&
	    ack.nh.nlmsg_type == NLMSG_ERROR)
		ret = ack.err.error;
	close(fd);

	return ret;
}

/* A device under test: its queues, and where frames are sent into it */
struct dut {
	bool macvtap;
	char name[IFNAMSIZ], lower_name[IFNAMSIZ];
	int fds[NQUEUES];
	/* tun: a packet socket on the device; tap: the lower tap device */
	int tx;
};

static void dut_init(struct dut *d, bool macvtap)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->macvtap = macvtap;
	d->tx = -1;
	for (i = 0; i < NQUEUES; i++)
		d->fds[i] = -1;
}

static int dut_open_tun(struct dut *d)
{
	int flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
	int i, sz = HDR_SZ;

	d->fds[0] = tap_open("", d->name, flags);
	if (d->fds[0] < 0)
		return -1;
	for (i = 1; i < NQUEUES; i++) {
		d->fds[i] = tap_open(d->name, NULL, flags);
		if (d->fds[i] < 0)
			return -1;
	}
	if (ioctl(d->fds[0], TUNSETVNETHDRSZ, &sz) || link_up(d->name))
		return -1;
	d->tx = packet_socket(d->name);

	return d->tx < 0 ? -1 : 0;
}

static int dut_open_macvtap(struct dut *d, unsigned int serial)
{
	int i, sz = HDR_SZ, tries;
	char path[64];

	d->tx = tap_open("", d->lower_name, IFF_TAP | IFF_NO_PI);
	if (d->tx < 0 || link_up(d->lower_name))
		return -1;
	snprintf(d->name, IFNAMSIZ, "mvf%u", serial % 100000);
	if (macvtap_add(d->name, d->lower_name)) {
		d->name[0] = 0;
		return -1;
	}
	if (link_up(d->name))
		return -1;
	snprintf(path, sizeof(path), "/dev/tap%u", if_nametoindex(d->name));
	for (i = 0; i < NQUEUES; i++) {
		for (tries = 0; tries < 100; tries++) {
			d->fds[i] = open(path, O_RDWR | O_NONBLOCK);
			if (d->fds[i] >= 0 || errno != ENOENT)
				break;
			usleep(10000);
		}
		if (d->fds[i] < 0 ||
		    ioctl(d->fds[i], TUNSETVNETHDRSZ, &sz))
			return -1;
	}

	return 0;
}

static int dut_open(struct dut *d, bool macvtap, unsigned int serial)
{
	dut_init(d, macvtap);
	return macvtap ? dut_open_macvtap(d, serial) : dut_open_tun(d);
}

/*
 * Close everything; return 0, or -1 if deleting the macvtap device
 * failed (the caller may retry with dut_close()).
 */
static int dut_close(struct dut *d)
{
	int i, ret = 0;

	for (i = 0; i < NQUEUES; i++) {
		if (d->fds[i] >= 0)
			close(d->fds[i]);
		d->fds[i] = -1;
	}
	if (d->macvtap && d->name[0]) {
		/* the answer may be what failed, not the deletion */
		if (link_del(d->name) && if_nametoindex(d->name))
			ret = -1;
		else
			d->name[0] = 0;
	}
	if (!ret && d->tx >= 0) {
		close(d->tx);
		d->tx = -1;
	}

	return ret;
}

static int dut_send(struct dut *d, const uint8_t *frame, size_t len)
{
	ssize_t ret;

	if (d->macvtap)
		ret = write(d->tx, frame, len);
	else
		ret = send(d->tx, frame, len, 0);

	return ret == (ssize_t)len ? 0 : -1;
}

static int cfg_apply(int fd, const struct cfg *c)
{
	return set_hash(fd, c->flags, c->types, c->table, c->len,
			c->unclassified, c->key);
}

/* TUNGETVNETHASH on @fd reads @c back */
static bool cfg_in_force(int fd, const struct cfg *c)
{
	struct hash_arg arg;

	if (get_hash(fd, &arg, TABLE_MAX))
		return false;
	return arg.hdr.flags == c->flags && arg.hdr.types == c->types &&
	       arg.hdr.indirection_table_mask == (c->len ? c->len - 1 : 0) &&
	       arg.hdr.unclassified_queue == c->unclassified &&
	       !memcmp(arg.hdr.key, c->key, sizeof(c->key)) &&
	       !memcmp(arg.table, c->table, c->len * sizeof(c->table[0]));
}

/*
 * Test frame @i: TCP, IPv4 or IPv6 after the published vectors, with a
 * source port of its own so that every frame is unique. Fills the
 * Toeplitz input of its 4-tuple.
 */
static size_t test_frame(uint8_t *frame, unsigned int i, uint8_t *in,
			 size_t *inlen, int *family)
{
	struct ms_vector v = ms_vectors[i % NVECTORS];
	size_t alen;

	v.sport = 1024 + i;
	*family = v.family;
	alen = v.family == AF_INET ? 4 : 16;
	inet_pton(v.family, v.src, in);
	inet_pton(v.family, v.dst, in + alen);
	in[2 * alen] = v.sport >> 8;
	in[2 * alen + 1] = v.sport & 0xff;
	in[2 * alen + 2] = v.dport >> 8;
	in[2 * alen + 3] = v.dport & 0xff;
	*inlen = 2 * alen + 4;

	return build_frame(frame, &v, IPPROTO_TCP, NO_FRAG);
}

/* What configuration @c makes of frame @i: its hash, report and queue */
static void expect(const struct cfg *c, unsigned int i, struct rx *want)
{
	uint8_t frame[FRAME_MAX], in[36];
	size_t inlen;
	int family;
	uint32_t type;

	test_frame(frame, i, in, &inlen, &family);
	type = family == AF_INET ? VIRTIO_NET_RSS_HASH_TYPE_TCPv4 :
				   VIRTIO_NET_RSS_HASH_TYPE_TCPv6;
	memset(want, 0, sizeof(*want));
	if (!(c->types & type)) {
		/* IPv6 frames under B: no type of theirs is enabled */
		want->queue = c->unclassified;
		return;
	}
	want->value = toeplitz(c->key, in, inlen);
	want->report = family == AF_INET ? VIRTIO_NET_HASH_REPORT_TCPv4 :
					   VIRTIO_NET_HASH_REPORT_TCPv6;
	want->queue = c->table[want->value & (c->len - 1)] % NQUEUES;
}

/* What a test expects of the frames it sends */
enum want {
	WANT_CFG,	/* the queue, hash and report of the configuration */
	WANT_NO_EXT,	/* its queue, report NONE and value 0 */
	WANT_NO_HASH,	/* hashing off: any queue, report NONE, value 0 */
};

/*
 * Read every frame waiting on the queues of @d (none arriving within
 * 100 ms); return how many there were
 */
static unsigned int drain(struct dut *d)
{
	uint8_t buf[HDR_SZ + FRAME_MAX];
	struct pollfd pfds[NQUEUES];
	unsigned int n = 0;
	bool more = true;
	int i;

	while (more) {
		more = false;
		for (i = 0; i < NQUEUES; i++) {
			pfds[i].fd = d->fds[i];
			pfds[i].events = POLLIN;
		}
		if (poll(pfds, NQUEUES, 100) <= 0)
			break;
		for (i = 0; i < NQUEUES; i++) {
			if (!(pfds[i].revents & POLLIN))
				continue;
			if (read(d->fds[i], buf, sizeof(buf)) > 0) {
				n++;
				more = true;
			}
		}
	}

	return n;
}

/*
 * Wait for the next frame on the queues of @d; fill @rx with its queue and
 * vnet header. Returns its length, or -1 when none comes within 2 s.
 */
static ssize_t next_frame(struct dut *d, uint8_t *buf, size_t size,
			  struct rx *rx, struct virtio_net_hdr_v1_hash *hdr)
{
	struct pollfd pfds[NQUEUES];
	ssize_t r;
	int i;

	for (;;) {
		for (i = 0; i < NQUEUES; i++) {
			pfds[i].fd = d->fds[i];
			pfds[i].events = POLLIN;
		}
		if (poll(pfds, NQUEUES, 2000) <= 0)
			return -1;
		for (i = 0; i < NQUEUES; i++) {
			if (!(pfds[i].revents & POLLIN))
				continue;
			r = read(d->fds[i], buf, size);
			if (r < HDR_SZ)
				continue;
			memcpy(hdr, buf, sizeof(*hdr));
			rx->queue = i;
			rx->value = le16toh(hdr->hash_value_lo) |
				    (uint32_t)le16toh(hdr->hash_value_hi) << 16;
			rx->report = le16toh(hdr->hash_report);
			rx->padding = hdr->padding;
			return r;
		}
	}
}

/*
 * Send frames @first..@first + @n - 1 one at a time; each must come out
 * once, byte for byte, with a clean vnet header, and as @want and
 * configuration @c say; nothing else may come out. Returns the frames
 * that did.
 */
static unsigned int check_frames(struct __test_metadata *_metadata,
				 struct dut *d, const struct cfg *c,
				 unsigned int first, unsigned int n,
				 enum want want_mode)
{
	unsigned int i, good = 0, lost = 0, bad = 0, extra;
	uint8_t frame[FRAME_MAX], in[36], buf[HDR_SZ + FRAME_MAX];
	struct virtio_net_hdr_v1_hash hdr;
	struct rx rx, want;
	size_t len, inlen;
	int family;
	ssize_t r;

	for (i = first; i < first + n; i++) {
		len = test_frame(frame, i, in, &inlen, &family);
		expect(c, i, &want);
		if (want_mode != WANT_CFG) {
			want.value = 0;
			want.report = VIRTIO_NET_HASH_REPORT_NONE;
		}
		if (dut_send(d, frame, len)) {
			TH_LOG("frame %u: send: %s", i, strerror(errno));
			lost++;
			continue;
		}
		r = next_frame(d, buf, sizeof(buf), &rx, &hdr);
		if (r < 0) {
			TH_LOG("frame %u: lost", i);
			lost++;
			continue;
		}
		if (r != (ssize_t)(HDR_SZ + len) ||
		    memcmp(buf + HDR_SZ, frame, len) ||
		    hdr.hdr.gso_type != VIRTIO_NET_HDR_GSO_NONE ||
		    hdr.hdr.gso_size || hdr.padding) {
			TH_LOG("frame %u: %zd bytes, not the frame sent or a bad vnet header (gso %u/%u, padding %u)",
			       i, r, hdr.hdr.gso_type, hdr.hdr.gso_size,
			       hdr.padding);
			bad++;
			continue;
		}
		if ((want_mode != WANT_NO_HASH && rx.queue != want.queue) ||
		    rx.value != want.value || rx.report != want.report) {
			TH_LOG("frame %u: queue %d hash 0x%08x report %u, expected queue %d hash 0x%08x report %u",
			       i, rx.queue, rx.value, rx.report, want.queue,
			       want.value, want.report);
			bad++;
			continue;
		}
		good++;
	}
	extra = drain(d);
	EXPECT_EQ(good, n) TH_LOG("%u lost, %u wrong", lost, bad);
	EXPECT_EQ(extra, 0U) TH_LOG("%u frames came out that were not sent",
				    extra);

	return good;
}

FIXTURE(fault)
{
	struct dut dut;
};

FIXTURE_VARIANT(fault)
{
	bool macvtap;
	/* allocations of an extension a frame makes when all fail */
	unsigned int ext_tries;
};

/*
 * tun hashes at queue selection and, for a packet without a hash, again
 * in tun_net_xmit()
 */
FIXTURE_VARIANT_ADD(fault, tun)
{
	.macvtap = false,
	.ext_tries = 2,
};

/* tap hashes once, in tap_handle_frame() */
FIXTURE_VARIANT_ADD(fault, tap)
{
	.macvtap = true,
	.ext_tries = 1,
};

FIXTURE_SETUP(fault)
{
	dut_init(&self->dut, variant->macvtap);
	/*
	 * This runs on the fault injection kernel only (make check-debug):
	 * a kernel without it is a broken rig, not a test to skip.
	 */
	ASSERT_TRUE(fault_injection())
		TH_LOG("no fault injection: build the kernel with rig/config/debug.config");
	ASSERT_TRUE(vnet_hash_supported());
	ASSERT_EQ(faults_quiet(), 0);
	ASSERT_EQ(dut_open(&self->dut, variant->macvtap, getpid()), 0)
		TH_LOG("device: %s", strerror(errno));
}

FIXTURE_TEARDOWN(fault)
{
	fail_nth(0);
	failslab_stop();
	if (dut_close(&self->dut))
		dut_close(&self->dut);
}

/*
 * Replace configuration @old (in force) with @new, failing the 1st, 2nd,
 * ... allocation of TUNSETVNETHASH until it makes no more. A failure the
 * ioctl reports must be ENOMEM and leave @old in force, read back and
 * followed by packets. The debug kernel allocates for itself too
 * (kmemleak's metadata, KASAN's stack depot) and copes when that fails:
 * then the ioctl succeeds, @new must be in force, and @old is put back.
 * Returns the number of failures injected.
 */
static unsigned int set_under_faults(struct __test_metadata *_metadata,
				     struct dut *d, const struct cfg *old,
				     const struct cfg *new)
{
	unsigned int n, hits = 0, enomem = 0, absorbed = 0, frames = 0;
	int ret, err;
	bool hit;

	/*
	 * The same call once without a fault, so that what it does only the
	 * first time (fault in the stack of this process) is not counted
	 */
	ASSERT_EQ(cfg_apply(d->fds[1], old), 0);
	for (n = 1; n < MAX_NTH; n++) {
		ASSERT_EQ(fail_nth(n), 0);
		ret = cfg_apply(d->fds[1], new);
		err = errno;
		hit = fail_nth_hit();
		if (!hit) {
			EXPECT_EQ(ret, 0) TH_LOG("no fault: %s", strerror(err));
			break;
		}
		hits++;
		if (!ret) {
			absorbed++;
			EXPECT_TRUE(cfg_in_force(d->fds[0], new));
			frames += check_frames(_metadata, d, new, n * 16, 16,
					       WANT_CFG);
			ASSERT_EQ(cfg_apply(d->fds[0], old), 0);
			continue;
		}
		enomem++;
		EXPECT_EQ(ret, -1);
		EXPECT_EQ(err, ENOMEM) TH_LOG("allocation %u: %s", n,
					       strerror(err));
		EXPECT_TRUE(cfg_in_force(d->fds[0], old))
			TH_LOG("allocation %u failed: the old configuration is gone",
			       n);
		frames += check_frames(_metadata, d, old, n * 16, 16,
					       old->flags ? WANT_CFG :
							    WANT_NO_HASH);
	}
	EXPECT_LT(n, (unsigned int)MAX_NTH);
	EXPECT_GE(enomem, 1U);
	EXPECT_TRUE(cfg_in_force(d->fds[0], new));
	check_frames(_metadata, d, new, 0, 64, WANT_CFG);
	TH_LOG("TUNSETVNETHASH: %u injected failures (allocations 1..%u): %u ENOMEM with the old configuration read back after each, %u absorbed by the kernel (the ioctl succeeded, the new configuration in force); %u frames checked after them; then 64 frames with the new one",
	       hits, hits, enomem, absorbed, frames);

	return hits;
}

TEST_F_TIMEOUT(fault, set_enomem, 300)
{
	struct cfg b = cfg_b();

	ASSERT_EQ(cfg_apply(self->dut.fds[0], &cfg_a), 0);
	check_frames(_metadata, &self->dut, &cfg_a, 0, 16, WANT_CFG);
	set_under_faults(_metadata, &self->dut, &cfg_a, &b);
}

TEST_F_TIMEOUT(fault, set_enomem_from_off, 300)
{
	struct cfg off = { 0 };

	set_under_faults(_metadata, &self->dut, &off, &cfg_a);
}

/*
 * Every skb extension fails: all frames still arrive unchanged on their
 * RSS queues, with no hash; once the failures stop, hashes are back.
 */
TEST_F_TIMEOUT(fault, ext_enomem, 300)
{
	unsigned long start, end, s2, e2;
	unsigned int good;
	long failed;

	ASSERT_EQ(cfg_apply(self->dut.fds[0], &cfg_a), 0);
	/*
	 * The code that adds the extension: tun_vnet_hash_save(), and
	 * __tun_vnet_hash_keep() in case the compiler copied it in there
	 */
	ASSERT_EQ(symbol_range("tun_vnet_hash_save", "tun_vnet_hash", &start,
			       &end), 0)
		TH_LOG("no tun_vnet_hash_save in /proc/kallsyms");
	ASSERT_EQ(symbol_range("__tun_vnet_hash_keep", "tun_vnet_hash", &s2,
			       &e2), 0)
		TH_LOG("no __tun_vnet_hash_keep in /proc/kallsyms");
	ASSERT_EQ(failslab_range(s2 < start ? s2 : start,
				 e2 > end ? e2 : end), 0);
	good = check_frames(_metadata, &self->dut, &cfg_a, 0, NFRAMES,
			    WANT_NO_EXT);
	failed = failslab_stop();
	EXPECT_EQ(failed, NFRAMES * variant->ext_tries);
	TH_LOG("skb extension: %ld injected failures (%.1f per frame); %u frames sent, %u received once, unchanged, on their RSS queues with report NONE and value 0, nothing else received",
	       failed, (double)failed / NFRAMES, NFRAMES, good);

	good = check_frames(_metadata, &self->dut, &cfg_a, NFRAMES, 64,
			    WANT_CFG);
	TH_LOG("then without faults: %u of 64 frames with their hashes", good);
}

/*
 * Tear a configured device down with its N-th allocation failing, for a
 * sample of N: frames with a hash wait in its rings.
 */
TEST_F_TIMEOUT(fault, close_under_faults, 300)
{
	unsigned int n, last = 0, hits = 0, pending = 0;
	uint8_t frame[FRAME_MAX], in[36];
	char name[IFNAMSIZ];
	struct dut d;
	size_t len, inlen;
	int family, i;
	bool hit;

	/*
	 * N = 1 to 8, then 25% further each time: a device takes a second
	 * or more to set up under KASAN and kmemleak, and its teardown makes
	 * hundreds of allocations
	 */
	for (n = 1; n < MAX_NTH_CLOSE; n += 1 + n / 4) {
		ASSERT_EQ(dut_open(&d, variant->macvtap, getpid() + n), 0)
			TH_LOG("device: %s", strerror(errno));
		ASSERT_EQ(cfg_apply(d.fds[0], &cfg_a), 0);
		for (i = 0; i < 8; i++) {
			len = test_frame(frame, i, in, &inlen, &family);
			ASSERT_EQ(dut_send(&d, frame, len), 0);
			pending++;
		}
		memcpy(name, d.name, IFNAMSIZ);

		ASSERT_EQ(fail_nth(n), 0);
		i = dut_close(&d);
		hit = fail_nth_hit();
		if (i)
			/* deleting the macvtap device failed: again */
			ASSERT_EQ(dut_close(&d), 0);
		EXPECT_EQ(if_nametoindex(name), 0U)
			TH_LOG("allocation %u failed: %s is still there", n,
			       name);
		if (!hit)
			break;
		hits++;
		last = n;
	}
	EXPECT_LT(n, (unsigned int)MAX_NTH_CLOSE);
	EXPECT_GE(hits, 1U);
	TH_LOG("teardown: %u injected failures, the last at allocation %u of closing the queues%s (it makes fewer than %u); %u frames with a hash left in the rings; every device gone",
	       hits, last, variant->macvtap ? " and deleting the device" : "",
	       n, pending);
}

TEST_HARNESS_MAIN
