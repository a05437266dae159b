#!/usr/bin/env bash
# Run a command inside a cached Debian chroot of SUITE (trixie, forky, ...),
# with a copy of this repository at /build/survey_reg as the working
# directory.  Used by tools/test.sh --pg 17/18; reusable for any test that
# needs another Debian release.
#
#   bash tools/chroot.sh SUITE -- command [args...]
#   bash tools/chroot.sh --clean SUITE -- command...   (a throwaway copy of
#        the bare debootstrap result: no packages a previous run installed)
#
# The chroot is made once with debootstrap from the mirror apt uses here
# (/etc/apt/sources.list*) and kept under $SURVEY_REG_CHROOT_CACHE
# (default /var/cache/survey_reg/chroot): SUITE.base.tar is the bare
# result, SUITE/ the working chroot where installed packages accumulate
# between runs.  A lock per suite serialises runs.  The command runs in its
# own mount and PID namespaces: /proc, /dev, /dev/pts and /dev/shm exist
# only there, so they vanish with the command however it ends (no
# unmounting to forget), and so does any server it started.  Needs root.
set -euo pipefail

clean=0
if [ "${1:-}" = --clean ]; then clean=1; shift; fi
suite=${1:?usage: chroot.sh [--clean] SUITE -- command...}
shift
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "chroot.sh: no command" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "chroot.sh: must run as root" >&2; exit 2; }

# debootstrap is the one host package this needs (Debian 12 has no other
# way to make the chroot); installed when missing, as tools/setup.sh does
if ! command -v debootstrap >/dev/null; then
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
		--no-install-recommends debootstrap >/dev/null
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SURVEY_REG_CHROOT_CACHE:-/var/cache/survey_reg/chroot}
mkdir -p "$cache"

# the Debian mirror apt uses here (deb822 or one-line sources)
mirror() {
	local m
	m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null \
		| sed -n -E 's#^URIs: *(\S+/debian)/?$#\1#p; s#^deb +(\[[^]]*\] +)?(\S+/debian)/? .*#\2#p' \
		| head -n 1)
	echo "${m:-http://deb.debian.org/debian}"
}

# suites newer than this debootstrap knows use sid's script; testing's
# Release file may be past its Valid-Until between publications
bootstrap() {
	local dir=$1 tmp script=""
	[ -e "/usr/share/debootstrap/scripts/$suite" ] || script=/usr/share/debootstrap/scripts/sid
	tmp="$dir.tmp"
	rm -rf "$tmp"
	echo "chroot.sh: debootstrap $suite from $(mirror) (first run only)"
	debootstrap --variant=minbase --include=ca-certificates "$suite" "$tmp" "$(mirror)" $script \
		>"$cache/$suite.debootstrap.log" 2>&1 \
		|| { tail -n 20 "$cache/$suite.debootstrap.log" >&2; return 1; }
	printf 'Acquire::Check-Valid-Until "false";\n' >"$tmp/etc/apt/apt.conf.d/99survey-reg-valid-until"
	printf 'APT::Install-Recommends "false";\n' >"$tmp/etc/apt/apt.conf.d/99survey-reg-no-recommends"
	tar -C "$tmp" -cf "$cache/$suite.base.tar" .
	mv "$tmp" "$dir"
}

exec 9>"$cache/$suite.lock"
flock 9
root=$cache/$suite
[ -f "$cache/$suite.base.tar" ] && [ -d "$root" ] || { rm -rf "$root"; bootstrap "$root"; }
if [ $clean = 1 ]; then
	root=$(mktemp -d "$cache/$suite.clean.XXXXXX")
	trap 'rm -rf --one-file-system "$root"' EXIT	# after the namespace is gone
	tar -C "$root" -xf "$cache/$suite.base.tar"
fi

# a fresh copy of the tree (no .git, no build products)
rm -rf --one-file-system "$root/build/survey_reg"
mkdir -p "$root/build/survey_reg"
tar -C "$repo" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
	--exclude=results_dir --exclude=fuzz/out --exclude=bench/out -cf - . \
	| tar -C "$root/build/survey_reg" -xf -
cp /etc/resolv.conf "$root/etc/resolv.conf"

# inside new mount + PID namespaces: private /proc and /dev, then chroot.
# unshare ignores SIGTERM while it waits; killed, --kill-child takes the
# namespace's first process, and with it every process inside, down too.
unshare --mount --propagation private --pid --kill-child /bin/bash -s -- "$root" "$@" <<'EOF' &
set -euo pipefail
root=$1; shift
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=755,nosuid dev "$root/dev"
for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
	IFS=: read -r name major minor <<<"$n"
	mknod -m 666 "$root/dev/$name" c "$major" "$minor"
done
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
cd "$root/build/survey_reg"
exec chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	SURVEY_REG_CHROOT="$(basename "$root")" /bin/bash -c 'cd /build/survey_reg && exec "$@"' bash "$@"
EOF
child=$!
trap 'kill -KILL $child 2>/dev/null' TERM INT HUP
status=0
wait $child || status=$?
exit $status
