#!/usr/bin/env bash
# tools/install-packages.sh - install the Debian packages of tools/debian-packages.txt that are
# missing (by name, with apt-get; `apt-get update` only if an install fails). Both quick-start
# commands call it first. Exit status 0 when everything is installed.
set -u
cd "$(dirname "$0")/.."
missing=()
while read -r pkg _; do
	case "$pkg" in "" | "#"*) continue ;; esac
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$pkg")
done <tools/debian-packages.txt
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-packages: installing Debian packages (log: /tmp/gmm-apt.log): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=/tmp/gmm-apt.log
if apt-get install -y "${missing[@]}" >"$log" 2>&1; then
	exit 0
fi
if apt-get update >>"$log" 2>&1 && apt-get install -y "${missing[@]}" >>"$log" 2>&1; then
	exit 0
fi
echo "install-packages: apt-get install ${missing[*]} failed; the end of $log:"
tail -5 "$log"
exit 1
