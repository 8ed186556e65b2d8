#!/bin/sh
# splats.sh CONSOLE_LOG: print the kernel splats (BUG, WARNING, Oops,
# panic, KASAN, UBSAN, KFENCE, lockdep, RCU stalls, hung tasks) found in a
# guest console log, and exit 1 if there is any.
set -eu

con=${1:?usage: splats.sh CONSOLE_LOG}
splat='(^|[^A-Za-z])(BUG:|WARNING:|Oops|Kernel panic|KASAN:|UBSAN:|KFENCE:|'
splat="$splat"'general protection fault|possible circular locking|'
splat="$splat"'possible recursive locking|inconsistent lock state|'
splat="$splat"'suspicious RCU usage|detected stall|INFO: task .* blocked|'
splat="$splat"'cut here|Call Trace:|unreferenced object|'
splat="$splat"'Kernel memory leak detector disabled)'
if tr -d '\r' < "$con" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' |
	grep -E "$splat"; then
	exit 1
fi
exit 0
