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
