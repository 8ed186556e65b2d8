#!/bin/sh
# parse-results.sh OUTDIR [TEST...]: read OUTDIR/results.log (kselftest TAP between
# "# rig: begin/end" markers) and OUTDIR/console.log (KUnit KTAP and kernel
# messages). Prints one line per test, then "N passed, N failed, N skipped".
# Fails on any failed test, any test that did not report, a missing KUnit
# run, any expected TEST that did not run to its end, and any kernel
# splat in the console.
set -eu
. "$(dirname "$0")/lib.sh"

out=${1:?usage: parse-results.sh OUTDIR [TEST...]}
shift
res="$out/results.log"
con="$out/console.log"
[ -f "$res" ] && [ -f "$con" ] || die "parse-results: no logs in $out"

# Drop carriage returns and printk prefixes ("[    1.234567] ").
clean() {
	tr -d '\r' < "$1" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //'
}

summary="$out/summary.txt"
{
clean "$res" | awk '
function result(line, suite,    st, name, d) {
	st = (line ~ /^not ok /) ? "not ok" : "ok"
	name = line
	sub(/^(not )?ok [0-9]+ */, "", name)
	d = ""
	if (match(name, / # .*$/)) {
		d = substr(name, RSTART + 3)
		name = substr(name, 1, RSTART - 1)
	}
	if (st == "ok" && d ~ /^SKIP/) st = "skip"
	printf "%-6s %s %s%s\n", st, suite, name, (d != "" ? "  # " d : "")
	if (st == "not ok") {
		printf "DIAG %s %s\n", suite, name
		for (i = ndiag - 8; i < ndiag; i++)
			if (i >= 0) printf "DIAG   %s\n", diag[i % 8]
	}
}
/^# rig: begin / { suite = $4; plan = -1; seen = 0; ndiag = 0; next }
/^# rig: end / {
	rc = $5; sub(/^rc=/, "", rc)
	if (plan < 0)
		printf "MISSING %s printed no TAP plan (exit %s)\n", suite, rc
	else if (seen < plan)
		printf "MISSING %s: %d of %d tests did not report (exit %s)\n", suite, plan - seen, plan, rc
	else if (rc != 0 && !failed[suite])
		printf "MISSING %s exited %s without a failed test\n", suite, rc
	printf "ENDED %s\n", suite
	suite = ""
	next
}
suite == "" { next }
/^1\.\.[0-9]+/ && plan < 0 { plan = substr($1, 4) + 0; next }
/^(not )?ok [0-9]+/ {
	seen++
	if ($0 ~ /^not ok/) failed[suite] = 1
	result($0, suite)
	next
}
/^# +RUN / { ndiag = 0 }
/^#/ { diag[ndiag % 8] = $0; ndiag++ }
END { if (suite != "") printf "MISSING %s: the guest stopped inside it\n", suite }
'
clean "$con" | awk '
function res(line, prefix,    st, name, d) {
	st = (line ~ /^ *not ok/) ? "not ok" : "ok"
	name = line
	sub(/^ *(not )?ok [0-9]+ */, "", name)
	d = ""
	if (match(name, / # .*$/)) {
		d = substr(name, RSTART + 3)
		name = substr(name, 1, RSTART - 1)
	}
	if (st == "ok" && d ~ /^SKIP/) st = "skip"
	printf "%-6s kunit %s%s%s\n", st, prefix, name, (d != "" ? "  # " d : "")
	return st
}
# one KTAP document for the built-in suites, one per KUnit module loaded
/^KTAP version/ { top = 1; newdoc = 1; next }
top && /^1\.\.[0-9]+/ && newdoc { plan += substr($1, 4) + 0; newdoc = 0; next }
/^    # Subtest: / { suite = $0; sub(/^    # Subtest: /, "", suite); next }
/^        # Subtest: / { tcase = $0; sub(/^        # Subtest: /, "", tcase); params = 0; next }
# one parameter of a parameterized case
/^        (not )?ok [0-9]+ / && suite != "" && tcase != "" {
	res($0, suite "." tcase ".")
	params++
	next
}
/^    (not )?ok [0-9]+ / && suite != "" {
	# a parameterized case is counted by its parameters, unless it
	# failed as a whole
	if (params > 0 && $0 !~ /^    not ok/) {
		tcase = ""; params = 0; next
	}
	res($0, suite ".")
	tcase = ""; params = 0
	next
}
/^(not )?ok [0-9]+ / && top { suites++; suite = ""; next }
END {
	if (!top)
		print "MISSING kunit: no KTAP output in the console"
	else if (suites < plan + 0)
		printf "MISSING kunit: %d of %d suites did not report\n", plan - suites, plan
}
'
} > "$summary"

for t in "$@"; do
	grep -qxF "ENDED $t" "$summary" ||
		echo "MISSING $t did not run to its end" >> "$summary"
done

grep -E '^(ok|not ok|skip) ' "$summary" || true
pass=$(grep -c '^ok ' "$summary" || true)
fail=$(grep -c '^not ok ' "$summary" || true)
skip=$(grep -c '^skip ' "$summary" || true)

bad=0
if [ "$fail" -gt 0 ]; then
	echo "FAILED tests (last harness lines before each):"
	grep '^DIAG ' "$summary" | sed 's/^DIAG /  /'
	bad=1
fi
if grep -q '^MISSING ' "$summary"; then
	grep '^MISSING ' "$summary" | sed 's/^MISSING /INCOMPLETE: /'
	bad=1
fi

# KCSAN (RIG_KCSAN=1, 'make check-kcsan'): a report that names a
# function of the series fails the run; the others are listed, and left
# out of the splat check below.
splatcon=$con
if [ -n "${RIG_KCSAN:-}" ]; then
	echo "KCSAN reports (series: fails; base: listed):"
	if ! "$top/rig/kcsan-reports.sh" "$con" > "$out/kcsan.txt"; then
		bad=1
	fi
	sed 's/^/  /' "$out/kcsan.txt"
	echo "  $(grep -c '^series: ' "$out/kcsan.txt" || true) in the" \
	     "series, $(grep -c '^base: ' "$out/kcsan.txt" || true) elsewhere"
	splatcon="$out/console-nokcsan.log"
	awk '/BUG: KCSAN: / { skip = 1 }
	     skip && /^(\[ *[0-9.]+\] )?=+\r?$/ { skip = 0; next }
	     !skip' "$con" > "$splatcon"
fi

# kmemleak (RIG_KMEMLEAK=1, 'make check-debug'): the payload scanned
# twice after the tests; a leak whose backtrace names a function of the
# series fails the run, the others are listed.
if [ -n "${RIG_KMEMLEAK:-}" ]; then
	tr -d '\r' < "$res" |
		sed -n '/^# rig: kmemleak begin/,/^# rig: kmemleak end/p' \
		> "$out/kmemleak.txt"
	if ! grep -q '^# rig: kmemleak scanned' "$out/kmemleak.txt"; then
		echo "INCOMPLETE: no kmemleak scan in $res (a kernel without" \
		     "DEBUG_KMEMLEAK, or the guest stopped before it)"
		bad=1
	else
		echo "kmemleak, two scans after the tests (series: fails;" \
		     "base: listed):"
		if ! "$top/rig/kmemleak-reports.sh" "$out/kmemleak.txt" \
			> "$out/kmemleak-owners.txt"; then
			bad=1
		fi
		sed 's/^/  /' "$out/kmemleak-owners.txt"
		echo "  $(grep -c '^series: ' "$out/kmemleak-owners.txt" ||
			true) leaks in the series," \
		     "$(grep -c '^base: ' "$out/kmemleak-owners.txt" ||
			true) elsewhere"
	fi
fi

# Kernel splats fail the run even when every test passed.
if ! "$top/rig/splats.sh" "$splatcon" > "$out/splats.txt"; then
	echo "KERNEL SPLAT in the guest console ($out/console.log):"
	head -n 20 "$out/splats.txt" | sed 's/^/  /'
	bad=1
fi

echo "$pass passed, $fail failed, $skip skipped"
exit "$bad"
