#!/usr/bin/env bash
# tools/install.sh - install libgmm (shared and static library, headers, pkg-config file)
# under a prefix of your choice, or uninstall it.
#
#   tools/install.sh --prefix ~/.local                # build with Bazel, then install
#   tools/install.sh --uninstall --prefix ~/.local    # remove exactly what was installed
#
# What goes where (PREFIX defaults to /usr/local):
#   PREFIX/lib/libgmm.so.X.Y.Z, libgmm.so.X -> it, libgmm.so -> libgmm.so.X (SONAME libgmm.so.X)
#   PREFIX/lib/libgmm.a                 every object libgmm needs, for static links
#   PREFIX/include/gmm/*.h              the public API
#   PREFIX/include/abi/*.h              the include/abi headers those include (none today: the
#                                       public headers stand alone), and no others
#   PREFIX/lib/pkgconfig/gmm.pc         `pkg-config --cflags --libs gmm`
#   PREFIX/share/gmm/install-manifest   every file and directory this installation created
#
# The version (file name, gmm.pc) is GMM_VERSION_STRING of include/gmm/version.h. Uninstall
# reads the manifest: it removes the files listed there, then the directories the installation
# created if they are empty, and nothing else. Installing again over an installation
# uninstalls that one first, so files of an older version do not linger.
#
# Options:
#   --prefix DIR     where to install (created if missing; no root needed for a directory
#                    you own)
#   --uninstall      remove the installation under --prefix
#   --from DIR       take the libraries from DIR/vmm/ (libgmm.so.X.Y.Z, libgmm.a) and the
#                    headers from DIR/include/ instead of building: a Bazel runfiles tree
#                    (tests/install/install_test.sh) or a copy of bazel-bin plus the sources
#
# Offline on Debian 12 with the packages of tools/debian-packages.txt (bazel-bootstrap, gcc).
set -euo pipefail

die()
{
	echo "install.sh: $*" >&2
	exit 1
}

prefix=/usr/local
uninstall=0
from=
while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
	--prefix=*) prefix=${1#--prefix=}; shift ;;
	--from) [ $# -ge 2 ] || die "--from needs a directory"; from=$2; shift 2 ;;
	--from=*) from=${1#--from=}; shift ;;
	--uninstall) uninstall=1; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$prefix" ] || die "--prefix is empty"
case "$prefix" in
/*) ;;
*) prefix=$(pwd)/$prefix ;;
esac
prefix=${prefix%/}
manifest_rel=share/gmm/install-manifest
manifest=$prefix/$manifest_rel

# Remove what the manifest lists: files and symlinks first, then the directories the
# installation created, deepest first, each only if it is empty.
do_uninstall()
{
	local kind path dirs=()
	[ -f "$manifest" ] || die "no installation under $prefix ($manifest_rel missing)"
	while read -r kind path; do
		case "$kind" in
		file) rm -f "$prefix/$path" ;;
		dir) dirs+=("$path") ;;
		esac
	done <"$manifest"
	rm -f "$manifest"
	# deepest first: a directory sorts after its parent
	for path in $(printf '%s\n' "${dirs[@]}" | sort -r); do
		rmdir "$prefix/$path" 2>/dev/null || true
	done
}

if [ "$uninstall" = 1 ]; then
	do_uninstall
	echo "install.sh: uninstalled libgmm from $prefix"
	exit 0
fi

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$from" ]; then
	command -v bazel >/dev/null ||
		die "bazel not found: install the Debian package bazel-bootstrap (tools/install-packages.sh)"
	echo "install.sh: building //vmm:libgmm_dist with Bazel" >&2
	(cd "$root" && bazel build //vmm:libgmm_dist >&2) || die "bazel build //vmm:libgmm_dist failed"
	bin=$root/bazel-bin
	src=$root
else
	bin=$from
	src=$from
fi

version=$(sed -n 's/^#define GMM_VERSION_STRING "\(.*\)"$/\1/p' "$src/include/gmm/version.h")
[ -n "$version" ] || die "no GMM_VERSION_STRING in $src/include/gmm/version.h"
major=${version%%.*}
so=$bin/vmm/libgmm.so.$version
[ -f "$so" ] || die "$so missing (does the name in vmm/BUILD.bazel match include/gmm/version.h?)"
[ -f "$bin/vmm/libgmm.a" ] || die "$bin/vmm/libgmm.a missing"

# The include/abi headers the public headers need, following #include <abi/...> lines.
abi_closure()
{
	local todo=("$src"/include/gmm/*.h) seen=" " h dep
	while [ ${#todo[@]} -gt 0 ]; do
		h=${todo[0]}
		todo=("${todo[@]:1}")
		for dep in $(sed -n 's/^#include <\(abi\/[a-z0-9_]*\.h\)>.*/\1/p' "$h"); do
			case "$seen" in *" $dep "*) continue ;; esac
			seen="$seen$dep "
			[ -f "$src/include/$dep" ] || die "$h includes <$dep>, which is missing"
			todo+=("$src/include/$dep")
		done
	done
	echo "$seen"
}

[ -f "$manifest" ] && do_uninstall

# Records every directory created and every file written, relative to the prefix.
files=()
dirs=()
make_dir()
{
	local rel=$1 parts="" part
	local IFS=/
	for part in $rel; do
		parts=${parts:+$parts/}$part
		if [ ! -d "$prefix/$parts" ]; then
			mkdir -p "$prefix/$parts" || die "cannot create $prefix/$parts"
			dirs+=("$parts")
		fi
	done
}
put()
{
	local from_file=$1 rel=$2 mode=$3
	make_dir "$(dirname "$rel")"
	install -m "$mode" "$from_file" "$prefix/$rel" || die "cannot write $prefix/$rel"
	files+=("$rel")
}
link()
{
	ln -sfn "$1" "$prefix/$2" || die "cannot create $prefix/$2"
	files+=("$2")
}

mkdir -p "$prefix" 2>/dev/null || die "cannot create $prefix (a prefix you own, e.g. ~/.local?)"
put "$so" "lib/libgmm.so.$version" 755
link "libgmm.so.$version" "lib/libgmm.so.$major"
link "libgmm.so.$major" lib/libgmm.so
put "$bin/vmm/libgmm.a" lib/libgmm.a 644
for h in "$src"/include/gmm/*.h; do
	put "$h" "include/gmm/$(basename "$h")" 644
done
for dep in $(abi_closure); do
	put "$src/include/$dep" "include/$dep" 644
done

pc=$(mktemp)
trap 'rm -f "$pc"' EXIT
cat >"$pc" <<EOF
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: gmm
Description: guest-memory manager for KVM: guest RAM, the VM, devices, the guest's buddy state
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lgmm
Libs.private: -lpthread
EOF
put "$pc" lib/pkgconfig/gmm.pc 644

make_dir "$(dirname "$manifest_rel")"
{
	printf 'file %s\n' "${files[@]}"
	[ ${#dirs[@]} -eq 0 ] || printf 'dir %s\n' "${dirs[@]}"
} >"$manifest"
echo "install.sh: installed libgmm $version under $prefix (${#files[@]} files)"
echo "install.sh: build against it with PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs gmm"
