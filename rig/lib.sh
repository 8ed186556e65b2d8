# Shared helpers for the rig scripts (sourced, POSIX sh).

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/build"
RIG_T0=${RIG_T0:-$(date +%s)}
export RIG_T0

# progress STAGE TEXT: one line with the time elapsed since the run began
progress() {
	now=$(date +%s)
	el=$((now - RIG_T0))
	st=$1
	shift
	printf '[%02d:%02d] %-9s %s\n' $((el / 60)) $((el % 60)) "$st" "$*"
}

die() {
	echo "$*" >&2
	exit 1
}

jobs_n() {
	echo "${RIG_JOBS:-$(nproc)}"
}

# The queue of series, in submission order: one directory per series,
# patches/N-NAME/, with a cover letter and the patches of that series.
# NAME is the tree the series is for; it names the branch in build/linux
# and the subject prefix "[PATCH NAME vN m/n]".
queue_dirs() {
	for d in "$top"/patches/[0-9]*-*; do
		[ -d "$d" ] && echo "$d"
	done
}

series_name() {
	basename "$1" | sed 's/^[0-9]*-//'
}

series_patches() {
	for p in "$1"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -f "$p" ] && [ "${p##*/0000-}" = "$p" ] && echo "$p"
	done
}

# queue_upto: the series directories up to $SERIES (all without it)
queue_upto() {
	found=""
	for d in $(queue_dirs); do
		echo "$d"
		if [ -n "${SERIES:-}" ] && [ "$(series_name "$d")" = "$SERIES" ]; then
			found=1
			break
		fi
	done
	if [ -n "${SERIES:-}" ] && [ -z "$found" ]; then
		echo "no series '$SERIES' in patches/; the queue is:" \
		     "$(for d in $(queue_dirs); do series_name "$d"; done)" >&2
		return 1
	fi
}

# obj_option OBJ: the Kconfig option that builds drivers/lib object OBJ
obj_option() {
	case "$1" in
	drivers/net/tun_vnet_hash.o) echo TUN_VNET_HASH ;;
	drivers/net/tun.o) echo TUN ;;
	drivers/net/tap.o) echo TAP ;;
	drivers/net/tun_vnet_kunit.o) echo TUN_VNET_KUNIT_TEST ;;
	lib/toeplitz.o) echo TOEPLITZ ;;
	lib/tests/toeplitz_kunit.o) echo TOEPLITZ_KUNIT_TEST ;;
	drivers/vhost/net.o) echo VHOST_NET ;;
	*) echo UNKNOWN ;;
	esac
}

# series_funcs: the functions the series defines or changes, one per line
# (a function definition on a "+" line of a patch, or the function of a
# hunk header), selftests and KUnit tests excepted; for telling the
# series' KCSAN reports and leaks from the base's
series_funcs() {
	for d in $(queue_dirs); do
		for p in $(series_patches "$d"); do
			awk '
			/^diff --git / {
				skip = ($3 ~ /selftests|_kunit\.c|kunit/)
				next
			}
			skip { next }
			/^@@ / {
				# "@@ -a,b +c,d @@ static int foo(struct bar *x)"
				s = $0; sub(/^@@[^@]*@@ */, "", s)
				if (match(s, /[A-Za-z_][A-Za-z0-9_]*\(/))
					print substr(s, RSTART, RLENGTH - 1)
				next
			}
			/^\+[A-Za-z].*[A-Za-z_][A-Za-z0-9_]*\(/ && !/;[ \t]*$/ {
				s = substr($0, 2)
				if (match(s, /[A-Za-z_][A-Za-z0-9_]*\(/))
					print substr(s, RSTART, RLENGTH - 1)
			}' "$p"
		done
	done | grep -vxE 'if|for|while|switch|return|sizeof|defined' | sort -u
}
