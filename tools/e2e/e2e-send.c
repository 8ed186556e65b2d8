// SPDX-License-Identifier: GPL-2.0
/*
 * e2e-send: the traffic of 'make e2e', run in L1 on the tap device that
 * QEMU created for its L2 guest.
 *
 *   e2e-send [-m] HASHING TAPDEV GUEST_OUTPUT
 *
 * It sends the frames of e2e-frames.h through a packet socket bound to
 * TAPDEV, so that each one takes the transmit path of the tap device
 * (qdisc, ndo_select_queue: the kernel's RSS), and drives the phases
 * from the lines e2e-guest prints, which QEMU writes to the file
 * GUEST_OUTPUT:
 *   E2E-READY     -> phase A (config A must hold for all of it)
 *   E2E-A-DONE    -> phase T: a few frames per second while the guest
 *                    runs ethtool -X, until E2E-SWITCHED (config B set)
 *   E2E-SWITCHED  -> phase C (config B must hold for all of it)
 * When the guest has set config A up (E2E-READY) and B (E2E-SWITCHED), it
 * reads the configuration of TAPDEV with TUNGETVNETHASH: with HASHING
 * "kernel" it must be what the guest set (its "config A/B" line: key,
 * table, types, with RSS and REPORT), with "off" hashing must be off
 * (QEMU's own RSS). With -m, after QEMU migrated the guest to a new tap
 * device, it checks config B there and sends phase M.
 * E2E_QEMU_PID: stop waiting for the guest when that process is gone.
 * At most WINDOW frames are in the device at any time (sent, but not yet
 * read by QEMU: the tap's tx_packets), well below its queue length, so
 * that none is dropped; tx_dropped must not move.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "e2e-frames.h"

#define WINDOW		64
#define WAIT_LIMIT_S	900

static const char *dev, *guest_out;
static int sock;

static void fail(const char *what)
{
	fprintf(stderr, "e2e-send: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long stat_of(const char *name)
{
	unsigned long long v = 0;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", dev,
		 name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &v) != 1)
		fail(path);
	fclose(f);
	return v;
}

/* Has the guest printed LINE (at the start of a line)? */
static int guest_said(const char *line)
{
	char buf[4096];
	int found = 0;
	FILE *f;

	f = fopen(guest_out, "r");
	if (!f)
		return 0;
	while (!found && fgets(buf, sizeof(buf), f))
		found = !strncmp(buf, line, strlen(line));
	fclose(f);
	return found;
}

static void wait_for(const char *line)
{
	const char *pid = getenv("E2E_QEMU_PID");
	double t0 = now();

	while (!guest_said(line)) {
		if (pid && kill(atoi(pid), 0)) {
			fprintf(stderr, "e2e-send: QEMU exited before the guest "
				"printed %s; see its output in %s\n", line,
				guest_out);
			exit(1);
		}
		if (now() - t0 > WAIT_LIMIT_S) {
			fprintf(stderr, "e2e-send: the guest did not print %s "
				"within %d s; see its output in %s\n", line,
				WAIT_LIMIT_S, guest_out);
			exit(1);
		}
		usleep(200000);
	}
}

/* The "config NAME" line of the guest: types, key and table */
static int guest_config(char name, uint32_t *types, uint8_t *key,
			uint16_t *table, unsigned int *size)
{
	char line[32];
	char buf[4096], *p;
	int found = 0, n;
	unsigned int i, v;
	FILE *f;

	f = fopen(guest_out, "r");
	if (!f)
		return 0;
	snprintf(line, sizeof(line), "e2e-guest: config %c: ", name);
	while (!found && fgets(buf, sizeof(buf), f))
		found = !strncmp(buf, line, 21);
	fclose(f);
	if (!found || sscanf(buf + 21, "types 0x%x, key %n", types, &n) != 1)
		return 0;
	p = buf + 21 + n;
	for (i = 0; i < TUN_VNET_HASH_KEY_SIZE; i++, p += 2)
		if (sscanf(p, "%2x", &v) != 1)
			return 0;
		else
			key[i] = v;
	if (sscanf(p, ", table of %u:%n", size, &n) != 1 || *size > 256)
		return 0;
	p += n;
	for (i = 0; i < *size; i++, p += n)
		if (sscanf(p, " %u%n", &v, &n) != 1)
			return 0;
		else
			table[i] = v;
	return 1;
}

/*
 * TUNGETVNETHASH needs a file attached to the device: attach one more
 * queue, with the device's flags (TUNSETIFF sets them for the whole
 * device), read, and detach it by closing. The extra queue is the last
 * one, so the others keep their numbers. With kernel set, the device
 * must hold the guest's config NAME, else no configuration at all.
 */
static int check_kernel_config(char name, int kernel)
{
	struct {
		struct tun_vnet_hash h;
		uint16_t table[256];
	} got;
	uint16_t table[256];
	unsigned int size, i, flags;
	uint8_t key[TUN_VNET_HASH_KEY_SIZE];
	struct ifreq ifr;
	uint32_t types;
	char path[128];
	FILE *f;
	int fd, ok;

	if (!guest_config(name, &types, key, table, &size)) {
		fprintf(stderr, "e2e-send: no config %c line in %s\n", name,
			guest_out);
		return 0;
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", dev);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%x", &flags) != 1)
		fail(path);
	fclose(f);
	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0)
		fail("/dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_flags = flags;
	if (ioctl(fd, TUNSETIFF, &ifr))
		fail("TUNSETIFF");
	memset(&got, 0, sizeof(got));
	got.h.indirection_table_mask = 255;
	if (ioctl(fd, TUNGETVNETHASH, &got))
		fail("TUNGETVNETHASH");
	close(fd);

	if (!kernel) {
		ok = !got.h.flags && !got.h.types;
		printf("e2e-send: TUNGETVNETHASH on %s: flags 0x%x, types "
		       "0x%x: hashing %s\n", dev, got.h.flags, got.h.types,
		       ok ? "off, as it must be" : "ON, it must be off");
		return ok;
	}
	ok = got.h.flags == (TUN_VNET_HASH_REPORT | TUN_VNET_HASH_RSS) &&
	     got.h.types == types && got.h.unclassified_queue == 0 &&
	     got.h.indirection_table_mask + 1u == size &&
	     !memcmp(got.h.key, key, sizeof(key));
	for (i = 0; ok && i < size; i++)
		ok = got.table[i] == table[i];
	printf("e2e-send: TUNGETVNETHASH on %s: flags 0x%x, types 0x%x, "
	       "%u entries, key %02x%02x..: %s the guest's config %c\n",
	       dev, got.h.flags, got.h.types,
	       got.h.indirection_table_mask + 1, got.h.key[0], got.h.key[1],
	       ok ? "equal to" : "NOT", name);
	return ok;
}

static unsigned long long base_tx, sent;

/* Let QEMU read frames until at most 'left' are in the device */
static void drain(unsigned long long left)
{
	double t0 = now();

	while (sent - (stat_of("tx_packets") - base_tx) > left) {
		if (now() - t0 > 60) {
			fprintf(stderr, "e2e-send: QEMU read nothing for 60 s "
				"(%llu of %llu frames read)\n",
				stat_of("tx_packets") - base_tx, sent);
			exit(1);
		}
		usleep(1000);
	}
}

static void send_frame(uint32_t i)
{
	uint8_t f[E2E_FRAME_MAX];
	int len = e2e_frame(i, f);

	if (sent - (stat_of("tx_packets") - base_tx) >= WINDOW)
		drain(WINDOW / 2);
	if (send(sock, f, len, 0) != len)
		fail("send");
	sent++;
}

int main(int argc, char **argv)
{
	unsigned long long drop0;
	int after_migration = 0, kernel, ok;
	struct sockaddr_ll sll;
	uint32_t i, t = 0;
	double t0, t1;

	if (argc == 5 && !strcmp(argv[1], "-m")) {
		after_migration = 1;
		argv++;
		argc--;
	}
	if (argc != 4 || (strcmp(argv[1], "kernel") && strcmp(argv[1], "off"))) {
		fprintf(stderr,
			"usage: e2e-send [-m] kernel|off TAPDEV GUEST_OUTPUT\n");
		return 2;
	}
	kernel = !strcmp(argv[1], "kernel");
	dev = argv[2];
	guest_out = argv[3];
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* protocol 0: this socket sends only */
	sock = socket(AF_PACKET, SOCK_RAW, 0);
	if (sock < 0)
		fail("socket");
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(dev);
	if (!sll.sll_ifindex || bind(sock, (void *)&sll, sizeof(sll)))
		fail("bind");

	if (after_migration) {
		ok = check_kernel_config('B', kernel);
		base_tx = stat_of("tx_packets");
		drop0 = stat_of("tx_dropped");
		for (i = 0; i < E2E_NM; i++)
			send_frame(E2E_M0 + i);
		drain(0);
		printf("e2e-send: phase M: %u frames, tx_dropped %+lld\n",
		       (unsigned int)E2E_NM,
		       (long long)(stat_of("tx_dropped") - drop0));
		return !ok || stat_of("tx_dropped") != drop0;
	}

	wait_for("E2E-READY");
	ok = check_kernel_config('A', kernel);
	base_tx = stat_of("tx_packets");
	drop0 = stat_of("tx_dropped");
	t0 = now();
	for (i = 0; i < E2E_NA; i++)
		send_frame(E2E_A0 + i);
	printf("e2e-send: phase A: %u frames\n", (unsigned int)E2E_NA);

	/* the guest switches to config B while frames keep coming */
	wait_for("E2E-A-DONE");
	while (!guest_said("E2E-SWITCHED")) {
		if (t == E2E_TMAX) {
			fprintf(stderr, "e2e-send: %u frames and the guest "
				"has not switched; its output is in %s\n",
				t, guest_out);
			return 1;
		}
		/* a few frames per second: the guest runs ethtool meanwhile */
		send_frame(E2E_T0 + t++);
		usleep(100000);
	}
	printf("e2e-send: phase T: %u frames while the guest switched\n", t);
	/* no frame in the device while the extra queue is attached */
	drain(0);
	ok &= check_kernel_config('B', kernel);

	for (i = 0; i < E2E_NC; i++)
		send_frame(E2E_C0 + i);
	drain(0);
	t1 = now();
	printf("e2e-send: phase C: %u frames; %llu sent in %.1f s, "
	       "tx_dropped %+lld\n", (unsigned int)E2E_NC, sent, t1 - t0,
	       (long long)(stat_of("tx_dropped") - drop0));
	return !ok || stat_of("tx_dropped") != drop0;
}
