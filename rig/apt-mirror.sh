#!/bin/sh
# apt-mirror.sh: print the Debian mirror this machine's apt already uses:
# the first URI of a non-security "debian" source, in deb822 or one-line
# format. fetch-base.sh and fetch-qemu.sh download through it, so that no
# host name is written into the project.
set -eu

mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
	sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n' |
	grep -v security | grep '/debian/*$' | head -n1 || true)
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		2>/dev/null | awk '$1 == "deb" && $0 !~ /security/ {
		for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {
			print $i; exit } }')
fi
if [ -z "$mirror" ]; then
	echo "apt-mirror: no Debian mirror found in /etc/apt/sources.list*;" \
	     "add one, then retry" >&2
	exit 1
fi
echo "$mirror"
