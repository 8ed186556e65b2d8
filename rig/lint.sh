#!/bin/sh
# lint.sh: what netdev's automated checks run, on every patch of the queue
# in patches/, each series on its own (findings are prefixed with the
# series; a count per series at the end). One line per finding; exits
# non-zero on any.
#  - each series: cover letter, at most 15 patches, Signed-off-by
#    everywhere, the subject prefix [PATCH NAME vN m/n] of its tree
#  - checkpatch.pl --strict --codespell --max-line-length=80 on each patch
#  - scripts/kernel-doc -Wall -none on the C files each patch touches
#  - each patch applied in turn builds the objects it touches with W=1 C=1
#    (sparse) and adds no warning the base did not have
#  - new selftests are listed in their Makefile, new net selftests' kernel
#    options in net/config
#  - the .rst files the series touches parse (docutils) without new
#    warnings, and the C examples the series adds to them compile
#  - a clang build, when apt has a clang the kernel accepts
set -eu
. "$(dirname "$0")/lib.sh"

findings="$build/lint/findings.txt"
mkdir -p "$build/lint"
: > "$findings"
finding() {
	echo "$*" | tee -a "$findings"
}

"$top/rig/deps.sh"
"$top/rig/base.sh"
src="$build/lint/src"
obj="$build/lint/obj"
SERIES="" "$top/rig/apply.sh" "$src" >/dev/null
tip=$(tail -n1 "$src/.git/rig-queue")

# --- each series of the queue as a whole, and its patches through
# checkpatch: netdev's rules for every series (cover letter, at most 15
# patches, Signed-off-by, the subject prefix of its tree)
spell=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt
series=""
for d in $(queue_dirs); do
	sname=$(series_name "$d")
	cover="$d/0000-cover-letter.patch"
	[ -f "$cover" ] ||
		finding "$sname: no cover letter ($sname/0000-cover-letter.patch)"
	ps=$(series_patches "$d")
	series="$series $ps"
	n=$(echo "$ps" | grep -c .)
	[ "$n" -le 15 ] || finding "$sname: $n patches, a series takes at most 15"
	for p in $ps; do
		grep -q '^Signed-off-by: ' "$p" ||
			finding "$sname/$(basename "$p"): no Signed-off-by"
		grep -q "^Subject: \[PATCH $sname v[0-9]* [0-9]*/[0-9]*\] " "$p" ||
			finding "$sname/$(basename "$p"): subject is not" \
				"[PATCH $sname vN m/n]"
		(cd "$src" && ./scripts/checkpatch.pl --strict --codespell \
			--codespellfile "$spell" --max-line-length=80 --terse \
			--no-summary --ignore FILE_PATH_CHANGES "$p" 2>/dev/null) |
			grep -E 'ERROR|WARNING|CHECK' | while read -r line; do
				finding "checkpatch: $sname/$(basename "$p"):" \
					"${line#"$p":}"
			done || true
	done
	progress lint "series $sname: $n patches, checkpatch done"
done
# shellcheck disable=SC2086
set -- $series
n=$#

# --- per patch: kernel-doc and W=1 C=1 builds of the touched objects
export CCACHE_BASEDIR="$build" CCACHE_NOHASHDIR=1 CCACHE_DEPEND=1
mkdir -p "$obj"
kmake() {
	make -s -C "$src" O="$obj" CC="ccache gcc" -j"$(jobs_n)" "$@"
}
git -C "$src" checkout -q base
kmake tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
	"$top/rig/config/base.config" >/dev/null
git -C "$src" checkout -q "$tip"

# C files to build for a patch: the .c files it touches, and for a
# touched header the .c files beside it that include it.
objects_of() {
	for f in $(git -C "$src" diff --name-only "$1~1" "$1" |
		   grep -E '^(drivers|net|lib|include|kernel)/.*\.[ch]$'); do
		case "$f" in
		*.c) echo "${f%.c}.o" ;;
		include/*) ;;
		*.h) grep -l "#include \"$(basename "$f")\"" \
			"$src/$(dirname "$f")"/*.c 2>/dev/null |
			sed "s|^$src/||; s|\.c\$|.o|" ;;
		esac
	done | sort -u
}

warnings() {
	# $1: commit, $2..: objects; prints normalized warnings
	c=$1
	shift
	git -C "$src" checkout -q "$c"
	kmake olddefconfig >/dev/null 2>&1
	existing=""
	for o in "$@"; do
		[ -f "$src/${o%.o}.c" ] && existing="$existing $o"
	done
	[ -n "$existing" ] || return 0
	# shellcheck disable=SC2086
	kmake W=1 C=1 $existing 2>&1 >/dev/null |
		grep -E 'warning|error' |
		sed -E 's/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/' | sort -u || true
}

# kernel-doc -Wall warnings of FILE at COMMIT, without line numbers
kdoc() {
	git -C "$src" checkout -q "$1" 2>/dev/null || return 0
	[ -f "$src/$2" ] || return 0
	(cd "$src" && ./scripts/kernel-doc -Wall -none "$2" 2>&1) |
		sed -E 's/:[0-9]+ / /' | sort -u
}

i=0
for c in $(git -C "$src" rev-list --reverse "base..$tip"); do
	i=$((i + 1))
	p=$(echo "$series" | tr ' ' '\n' | grep . | sed -n "${i}p")
	name=$(basename "$(dirname "$p")" | sed 's/^[0-9]*-//')/$(basename "$p")
	git -C "$src" checkout -q "$c"
	# kernel-doc: warnings the patch adds to the files it touches
	for f in $(git -C "$src" diff --name-only "$c~1" "$c" |
		   grep -E '\.[ch]$' | grep -v '^tools/'); do
		[ -f "$src/$f" ] || continue
		new=$(kdoc "$c" "$f")
		old=$(kdoc "$c~1" "$f")
		echo "$new" | while read -r w; do
			[ -n "$w" ] || continue
			echo "$old" | grep -qxF "$w" ||
				finding "kernel-doc: $name: $f: $w"
		done
	done
	git -C "$src" checkout -q "$c"
	objs=$(objects_of "$c")
	[ -n "$objs" ] || continue
	# shellcheck disable=SC2086
	before=$(warnings "$c~1" $objs)
	# shellcheck disable=SC2086
	after=$(warnings "$c" $objs)
	echo "$after" | while read -r w; do
		[ -n "$w" ] || continue
		echo "$before" | grep -qxF "$w" ||
			finding "W=1 C=1: $name: $w"
	done
	progress lint "$name: built $(echo "$objs" | wc -w) objects with W=1 C=1"
done
git -C "$src" checkout -q "$tip"

# --- selftests: listed in the Makefile, options in config
for f in $(git -C "$src" diff --name-only --diff-filter=A base "$tip" |
	   grep '^tools/testing/selftests/.*\.c$'); do
	d=$(dirname "$f")
	t=$(basename "$f" .c)
	grep -qE "^[[:space:]]*$t[[:space:]]*\\\\?\$" "$src/$d/Makefile" ||
		finding "selftests: $t is not listed in $d/Makefile"
done
if git -C "$src" diff --name-only base "$tip" | grep -q '^tools/testing/selftests/net/tun'; then
	for opt in CONFIG_TUN=y CONFIG_TUN_VNET_CROSS_LE=y CONFIG_BPF_SYSCALL=y; do
		grep -qxF "$opt" "$src/tools/testing/selftests/net/config" ||
			finding "selftests: $opt missing from net/config"
	done
fi

# --- documentation: docutils warnings the series adds to the .rst files it
# touches (Sphinx roles such as :doc: are unknown to plain docutils, but
# the same at the base)
rst() {
	git -C "$src" show "$1:$2" 2>/dev/null |
		/usr/bin/python3 -c '
import io, sys
import docutils.core
err = io.StringIO()
docutils.core.publish_string(sys.stdin.read(), writer_name="null",
			     settings_overrides={"report_level": 2,
						 "halt_level": 5,
						 "warning_stream": err})
sys.stdout.write(err.getvalue())' |
		sed -nE 's/^<string>:[0-9]+: (\(([A-Z]+)\/[0-9]\) .*)/\1/p' |
		sort -u
}
rstfiles=$(git -C "$src" diff --name-only base "$tip" | grep '\.rst$' || true)
/usr/bin/python3 -c 'import docutils' 2>/dev/null ||
	finding "docs: python3-docutils missing; run 'make deps'"
for f in $rstfiles; do
	old=$(rst base "$f")
	rst "$tip" "$f" | while read -r w; do
		echo "$old" | grep -qxF "$w" || finding "docs: $f: $w"
	done
done
progress lint "docs: $(echo "$rstfiles" | grep -c .) .rst files parsed"

# --- documentation: the C examples (literal blocks with an #include) that
# the series adds to .rst files compile against its uapi headers
blocks() {
	# $1: commit, $2: file, $3: directory for one file per literal block
	mkdir -p "$3"
	git -C "$src" show "$1:$2" 2>/dev/null | awk -v dir="$3" '
		/::[[:space:]]*$/ { lit = 1; n++; next }
		lit && (/^$/ || /^[[:space:]]/) { print > (dir "/" n ".c"); next }
		{ lit = 0 }'
}
hdr="$build/lint/usr"
git -C "$src" checkout -q "$tip"
kmake headers_install INSTALL_HDR_PATH="$hdr" >/dev/null
examples=0
for f in $rstfiles; do
	d="$build/lint/rst/$(echo "$f" | tr / _)"
	rm -rf "$d"
	blocks base "$f" "$d/base"
	blocks "$tip" "$f" "$d/series"
	for b in "$d"/series/*.c; do
		[ -f "$b" ] && grep -q '^[[:space:]]*#include' "$b" || continue
		for o in "$d"/base/*.c; do
			[ -f "$o" ] && cmp -s "$b" "$o" && continue 2
		done
		examples=$((examples + 1))
		gcc -Wall -Wextra -Werror -fsyntax-only -I"$hdr/include" -x c "$b" \
			>"$b.log" 2>&1 ||
			finding "docs: $f: example $(basename "$b" .c) does not" \
				"compile: $(grep -m1 -E 'error|warning' "$b.log")"
	done
done
progress lint "docs: $examples C examples compiled"

# --- clang: the objects the series touches, at its end, with W=1
need=$("$src/scripts/min-tool-version.sh" llvm)
best=$(apt-cache search --names-only '^clang-[0-9]+$' 2>/dev/null |
	sed -n 's/^clang-\([0-9]*\) .*/\1/p' | sort -n | tail -n1)
if [ -n "$best" ] && [ "$best" -ge "${need%%.*}" ]; then
	for p in clang-"$best" lld-"$best" llvm-"$best"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' ||
			DEBIAN_FRONTEND=noninteractive apt-get -qq install -y \
				--no-install-recommends "$p" >/dev/null ||
			finding "clang: cannot install $p"
	done
	cobj="$build/lint/obj-clang"
	mkdir -p "$cobj"
	cmake() {
		make -s -C "$src" O="$cobj" LLVM=-"$best" -j"$(jobs_n)" "$@"
	}
	git -C "$src" checkout -q "$tip"
	cmake tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$cobj" "$cobj/.config" \
		"$top/rig/config/base.config" >/dev/null
	cmake olddefconfig >/dev/null 2>&1
	objs=$(for c in $(git -C "$src" rev-list "base..$tip"); do
		objects_of "$c"; done | sort -u)
	# shellcheck disable=SC2086
	cmake W=1 $objs 2>&1 >/dev/null | grep -E 'warning|error' |
		while read -r w; do finding "clang-$best: $w"; done || true
	progress lint "clang-$best: built $(echo "$objs" | wc -w) objects with W=1"
else
	progress lint "clang: not checked: apt offers clang-${best:-none}," \
		"this kernel needs LLVM >= $need"
fi

count=$(grep -c . "$findings" || true)
for d in $(queue_dirs); do
	sname=$(series_name "$d")
	echo "lint: series $sname: $(grep -c -e "$sname/" -e "^$sname:" \
		"$findings" || true) findings"
done
echo "lint: $count findings"
[ "$count" -eq 0 ]
