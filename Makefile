# Entry points of the tun/tap virtio-net RSS series and its test rig.
# Everything the targets need is installed by 'make deps' (run by check).

SHELL := /bin/sh

.PHONY: all check check-debug check-kcsan reboot-loop matrix demo e2e tree export lint bench bench-off deps clean help

help:
	@echo "make check   build base + patches/, boot QEMU, run all tests"
	@echo "make check-debug  the same on a KASAN/lockdep/UBSAN/KFENCE kernel"
	@echo "make check-kcsan  the same on a KCSAN kernel"
	@echo "make reboot-loop  boot make check's guest 40 times, count hangs"
	@echo "make check SERIES=NAME  the queue up to series NAME, its tests"
	@echo "make matrix  build every Kconfig combination of the hash code"
	@echo "make demo    boot the patched kernel and run the VMM-side demo"
	@echo "make e2e     patched QEMU on the series, a Linux guest checks RSS"
	@echo "make tree    base + patches/ as git commits in build/linux"
	@echo "make export  regenerate patches/ from build/linux"
	@echo "make lint    netdev-style checks on every patch"
	@echo "make bench   hash and packet-path benchmarks"
	@echo "make bench-off  packets/s with hashing off: base vs series"
	@echo "make deps    install the Debian packages the rig needs"

check:
	@rig/check.sh

check-debug:
	@rig/check.sh debug

check-kcsan:
	@rig/check.sh kcsan

reboot-loop:
	@rig/reboot-loop.sh

matrix:
	@rig/matrix.sh

demo:
	@rig/demo.sh

e2e:
	@rig/e2e.sh

tree:
	@rig/tree.sh

export:
	@rig/export.sh

lint:
	@rig/lint.sh

bench:
	@rig/bench.sh

bench-off:
	@rig/bench-off.sh

deps:
	@rig/deps.sh

clean:
	rm -rf build/check build/check-debug build/check-kcsan build/demo build/bench build/bench-off build/e2e build/obj-e2e build/qemu-build build/obj-bench build/obj-off-base build/obj build/obj-debug build/obj-kcsan build/matrix build/reboot-loop build/obj-base build/obj-base.cfg
