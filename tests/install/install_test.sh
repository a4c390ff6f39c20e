#!/usr/bin/env bash
# tests/install/install_test.sh - libgmm as an embedder gets it: installed by the real install
# command (tools/install.sh) into a temporary prefix, used through pkg-config outside Bazel,
# uninstalled again.
#
# Each check is a test case in the JUnit XML Bazel reads ($XML_OUTPUT_FILE), so
# tools/test_summary.py counts them as it counts GoogleTest cases, and the KVM boots are
# reported as skipped (with the reason) where /dev/kvm cannot be used: the example itself says
# so with status 69. The cases, in order:
#   Install.FilesAndSymlinks      the files, the symlinks, the manifest, gmm.pc's version
#   Install.Soname                readelf -d: SONAME libgmm.so.<major>, no libstdc++
#   Install.ExportsExactlyTheApi  nm -D --defined-only == the functions the installed headers
#                                 declare (gcc -aux-info); nothing of the mm core or helpers
#   Install.StaticArchiveComplete libgmm.a defines every declared function
#   Headers.EachAloneC11, EachAloneCxx17, AllTogetherC11, AllTogetherCxx17
#                                 -Wall -Wextra -Werror -pedantic, only the prefix on the path
#   Headers.VersionMatches        GMM_VERSION_STRING == gmm_version() == gmm.pc's Version
#   Example.BuildShared, BuildStatic  examples/minivmm.c with `cc $(pkg-config ...)`
#   Example.BootShared, BootStatic    each boots hello_page_state.elf: status 0, the console
#                                     text, a buddyinfo read from guest RAM
#   Install.UninstallLeavesPrefixEmpty
set -uo pipefail

root=${TEST_SRCDIR:?run me with bazel test}/${TEST_WORKSPACE:-gmm}
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/install_test.XXXXXX")
prefix=$work/prefix
log=$work/log
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
unset PKG_CONFIG_LIBDIR
cflags_strict=(-Wall -Wextra -Werror -pedantic)
guest=$root/tests/e2e/guests/hello_page_state.elf

cases=()
failed=0
xml_escape()
{
	sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'
}
# record SUITE.NAME pass|fail|skip MESSAGE
record()
{
	local name=$1 status=$2 msg=${3:-} body
	case "$status" in
	pass) body="" ; echo "PASS $name" ;;
	skip) body="<skipped message=\"$(printf '%s' "$msg" | xml_escape)\"/>" ; echo "SKIP $name: $msg" ;;
	*)
		body="<failure message=\"$(printf '%s' "$msg" | head -c 2000 | xml_escape)\"/>"
		echo "FAIL $name: $msg"
		failed=1
		;;
	esac
	cases+=("<testcase classname=\"${name%%.*}\" name=\"${name#*.}\">$body</testcase>")
}
# check NAME COMMAND...: passes when COMMAND succeeds; its output is the failure message
check()
{
	local name=$1
	shift
	if "$@" >"$log" 2>&1; then
		record "$name" pass
	else
		record "$name" fail "$(sed -e "s|$work|\$TMP|g" -e "s|$root|\$RUNFILES|g" "$log" | tail -c 3000)"
	fi
}
finish()
{
	if [ -n "${XML_OUTPUT_FILE:-}" ]; then
		{
			echo '<?xml version="1.0" encoding="UTF-8"?>'
			echo "<testsuites><testsuite name=\"install_test\" tests=\"${#cases[@]}\">"
			printf '%s\n' "${cases[@]}"
			echo '</testsuite></testsuites>'
		} >"$XML_OUTPUT_FILE"
	fi
	rm -rf "$work"
	exit $failed
}

declared_functions()
{
	local tu=$work/all_headers.c h
	for h in "$prefix"/include/gmm/*.h; do echo "#include <gmm/${h##*/}>"; done >"$tu"
	gcc -std=c11 -fsyntax-only -I"$prefix/include" -aux-info "$work/aux" "$tu" >/dev/null 2>&1 ||
		return 1
	grep "/\\* $prefix/include/gmm/" "$work/aux" | grep -o '\bgmm_[a-z0-9_]* (' |
		sed 's/ ($//' | sort -u
}

t_files()
{
	local f version
	for f in lib/libgmm.a lib/pkgconfig/gmm.pc include/gmm/machine.h include/gmm/version.h \
		share/gmm/install-manifest; do
		[ -f "$prefix/$f" ] || { echo "$f missing"; return 1; }
	done
	version=$(sed -n 's/^#define GMM_VERSION_STRING "\(.*\)"$/\1/p' "$prefix/include/gmm/version.h")
	[ -f "$prefix/lib/libgmm.so.$version" ] || { echo "lib/libgmm.so.$version missing"; return 1; }
	[ "$(readlink "$prefix/lib/libgmm.so.${version%%.*}")" = "libgmm.so.$version" ] ||
		{ echo "lib/libgmm.so.${version%%.*} is not a symlink to libgmm.so.$version"; return 1; }
	[ "$(readlink "$prefix/lib/libgmm.so")" = "libgmm.so.${version%%.*}" ] ||
		{ echo "lib/libgmm.so is not a symlink to libgmm.so.${version%%.*}"; return 1; }
	[ "$(pkg-config --modversion gmm)" = "$version" ] ||
		{ echo "gmm.pc says $(pkg-config --modversion gmm), version.h $version"; return 1; }
	pkg-config --static --libs gmm | grep -q -- -lpthread ||
		{ echo "pkg-config --static --libs gmm lacks -lpthread"; return 1; }
	# nothing outside the prefix: every header's includes resolve inside it (or the system)
	if grep -h '^#include "' "$prefix"/include/*/*.h; then
		echo "installed headers include the files above with quotes (outside the install?)"
		return 1
	fi
}

t_install()
{
	"$root/tools/install.sh" --prefix "$prefix" --from "$root" && t_files
}

t_soname()
{
	local dyn
	dyn=$(readelf -d "$prefix/lib/libgmm.so") || return 1
	echo "$dyn"
	echo "$dyn" | grep -q 'Library soname: \[libgmm.so.0\]' || return 1
	! echo "$dyn" | grep -q 'libstdc++'
}

t_exports()
{
	declared_functions >"$work/declared" || { echo "the headers do not compile"; return 1; }
	nm -D --defined-only "$prefix/lib/libgmm.so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
		sort -u >"$work/exported"
	echo "exported $(wc -l <"$work/exported"), declared $(wc -l <"$work/declared")"
	if ! diff "$work/declared" "$work/exported" >"$work/diff"; then
		echo "< declared but not exported, > exported but not declared in include/gmm:"
		cat "$work/diff"
		return 1
	fi
}

# Every member of libgmm.a linked into one static program: an object libgmm needs but the
# archive lacks shows as an undefined symbol.
t_static_archive()
{
	local missing
	[ -s "$work/declared" ] || { echo "no declared functions (the headers do not compile)"; return 1; }
	nm --defined-only -g "$prefix/lib/libgmm.a" 2>/dev/null | awk 'NF == 3 { print $3 }' |
		sort -u >"$work/archive"
	missing=$(comm -23 "$work/declared" "$work/archive")
	[ -z "$missing" ] || { echo "libgmm.a lacks: $missing"; return 1; }
	echo 'int main(void) { return 0; }' >"$work/empty.c"
	cc -static -o "$work/whole" "$work/empty.c" -Wl,--whole-archive "$prefix/lib/libgmm.a" \
		-Wl,--no-whole-archive $(pkg-config --static --libs-only-l gmm | sed 's/-lgmm//')
}

# headers STD COMPILER EXT: each header alone, first in its translation unit
headers_each()
{
	local std=$1 cc=$2 ext=$3 h ok=0
	for h in "$prefix"/include/gmm/*.h; do
		echo "#include <gmm/${h##*/}>" >"$work/one.$ext"
		echo "int gmm_header_test_dummy;" >>"$work/one.$ext"
		"$cc" -std="$std" "${cflags_strict[@]}" -I"$prefix/include" -fsyntax-only \
			"$work/one.$ext" || { echo "^ include/gmm/${h##*/} alone as $std"; ok=1; }
	done
	return $ok
}

headers_all()
{
	local std=$1 cc=$2 ext=$3 h
	{
		for h in "$prefix"/include/gmm/*.h; do echo "#include <gmm/${h##*/}>"; done
		echo '#include <stdio.h>'
		echo '#include <string.h>'
		echo 'int main(void) { printf("%s\n", gmm_version());'
		echo '	return strcmp(gmm_version(), GMM_VERSION_STRING) != 0; }'
	} >"$work/all.$ext"
	"$cc" -std="$std" "${cflags_strict[@]}" $(pkg-config --cflags gmm) -o "$work/all_$ext" \
		"$work/all.$ext" $(pkg-config --libs gmm) -Wl,-rpath,"$prefix/lib"
}

t_version()
{
	local got
	got=$("$work/all_c") || { echo "gmm_version() differs from GMM_VERSION_STRING"; return 1; }
	[ "$got" = "$(pkg-config --modversion gmm)" ] ||
		{ echo "gmm_version() $got, gmm.pc $(pkg-config --modversion gmm)"; return 1; }
}

build_shared()
{
	cc -std=c11 "${cflags_strict[@]}" $(pkg-config --cflags gmm) -o "$work/minivmm" \
		"$root/examples/minivmm.c" $(pkg-config --libs gmm) -Wl,-rpath,"$prefix/lib" &&
		readelf -d "$work/minivmm" | grep -q 'NEEDED.*\[libgmm.so.0\]'
}

build_static()
{
	cc -std=c11 "${cflags_strict[@]}" $(pkg-config --cflags gmm) -static \
		-o "$work/minivmm-static" "$root/examples/minivmm.c" $(pkg-config --static --libs gmm) &&
		! readelf -d "$work/minivmm-static" 2>/dev/null | grep -q NEEDED
}

# boot NAME BINARY: hello_page_state.elf under the example
boot()
{
	local name=$1 bin=$2 status
	if [ ! -x "$bin" ]; then
		record "$name" fail "$bin was not built"
		return
	fi
	timeout 120 "$bin" "$guest" "hello world" >"$work/out" 2>"$work/err"
	status=$?
	if [ $status = 69 ]; then
		record "$name" skip "KVM not usable here: $(head -c 300 "$work/err")"
	elif [ $status != 0 ]; then
		record "$name" fail "status $status; stdout: $(head -c 1000 "$work/out"); stderr: $(tail -c 1500 "$work/err")"
	elif ! grep -q 'hello from the gmm test guest' "$work/out" ||
		! grep -q 'cmdline: hello world' "$work/out"; then
		record "$name" fail "console text missing; stdout: $(head -c 1000 "$work/out")"
	elif ! grep -q 'Node 0, zone' "$work/err"; then
		record "$name" fail "no buddyinfo read from guest RAM; stderr: $(tail -c 1500 "$work/err")"
	else
		record "$name" pass
	fi
}

t_uninstall()
{
	"$root/tools/install.sh" --uninstall --prefix "$prefix" || return 1
	if [ -n "$(ls -A "$prefix")" ]; then
		echo "left behind under the prefix:"
		find "$prefix" -mindepth 1
		return 1
	fi
}

check Install.FilesAndSymlinks t_install
check Install.Soname t_soname
check Install.ExportsExactlyTheApi t_exports
check Install.StaticArchiveComplete t_static_archive
check Headers.EachAloneC11 headers_each c11 gcc c
check Headers.EachAloneCxx17 headers_each c++17 g++ cc
check Headers.AllTogetherC11 headers_all c11 gcc c
check Headers.AllTogetherCxx17 headers_all c++17 g++ cc
check Headers.VersionMatches t_version
check Example.BuildShared build_shared
check Example.BuildStatic build_static
boot Example.BootShared "$work/minivmm"
boot Example.BootStatic "$work/minivmm-static"
check Install.UninstallLeavesPrefixEmpty t_uninstall
finish
