#!/bin/sh
# check.sh: the whole 'make check' run: deps, base + patches, kernel,
# kselftests, initramfs, one QEMU boot, results. Exits non-zero on any
# failed or missing test and on any kernel splat.
set -eu
. "$(dirname "$0")/lib.sh"

"$top/rig/kernel.sh"

tests=$(grep -v -e '^#' -e '^$' "$top/rig/tests.list")
payload="$build/check/payload"
rm -rf "$payload"
mkdir -p "$payload"
progress tests "building kselftests"
# shellcheck disable=SC2086
"$top/rig/build-tests.sh" "$build/src" "$build/obj" "$payload/tests" $tests
rm -f "$payload/tests/build.log"

{
	echo '#!/bin/sh'
	for t in $tests; do
		cat <<EOT
echo "# rig: begin $t"
(cd /payload/tests/$(dirname "$t") && timeout ${RIG_TEST_TIMEOUT:-600} ./$(basename "$t")) 2>&1
echo "# rig: end $t rc=\$?"
EOT
	done
} > "$payload/run"
chmod +x "$payload/run"
"$top/rig/initramfs.sh" "$build/check/initramfs.gz" "$payload"

boot=0
"$top/rig/run-qemu.sh" "$build/obj/arch/x86/boot/bzImage" \
	"$build/check/initramfs.gz" "$build/check" \
	"${RIG_TIMEOUT:-1500}" || boot=$?
progress results "console: build/check/console.log"
rc=0
# shellcheck disable=SC2086
"$top/rig/parse-results.sh" "$build/check" $tests || rc=$?
[ "$boot" -eq 0 ] && [ "$rc" -eq 0 ] && exit 0
echo "make check: FAILED (see the lines above; logs in build/check/)" >&2
exit 1
