// SPDX-License-Identifier: GPL-2.0
/*
 * e2e-send: the traffic of 'make e2e', run in L1 on the tap device that
 * QEMU created for its L2 guest.
 *
 *   e2e-send TAPDEV GUEST_OUTPUT
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
 * At most WINDOW frames are in the device at any time (sent, but not yet
 * read by QEMU: the tap's tx_packets), well below its queue length, so
 * that none is dropped; tx_dropped must not move.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	double t0 = now();

	while (!guest_said(line)) {
		if (now() - t0 > WAIT_LIMIT_S) {
			fprintf(stderr, "e2e-send: the guest did not print %s "
				"within %d s; see its output in %s\n", line,
				WAIT_LIMIT_S, guest_out);
			exit(1);
		}
		usleep(200000);
	}
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
	struct sockaddr_ll sll;
	uint32_t i, t = 0;
	double t0, t1;

	if (argc != 3) {
		fprintf(stderr, "usage: e2e-send TAPDEV GUEST_OUTPUT\n");
		return 2;
	}
	dev = argv[1];
	guest_out = argv[2];
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

	wait_for("E2E-READY");
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

	for (i = 0; i < E2E_NC; i++)
		send_frame(E2E_C0 + i);
	drain(0);
	t1 = now();
	printf("e2e-send: phase C: %u frames; %llu sent in %.1f s, "
	       "tx_dropped %+lld\n", (unsigned int)E2E_NC, sent, t1 - t0,
	       (long long)(stat_of("tx_dropped") - drop0));
	return stat_of("tx_dropped") != drop0;
}
