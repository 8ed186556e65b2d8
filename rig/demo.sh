#!/bin/sh
# demo.sh: boot the kernel of 'make check' and run the demo in the guest.
set -eu
. "$(dirname "$0")/lib.sh"

die "demo: not written yet"
