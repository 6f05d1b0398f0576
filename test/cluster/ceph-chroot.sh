#!/usr/bin/env bash
# Builds (or reuses) a minimal Debian chroot holding one Ceph release's packages, and
# bind-mounts what the test suite shares with it. Usage: ceph-chroot.sh SUITE DIR
#
# - debootstrap --variant=minbase SUITE DIR MIRROR, MIRROR read from the host's apt sources;
# - apt inside the chroot installs the same packages the host's Pacific uses; a suite whose
#   Release file is past its Valid-Until date (sid) still installs (Acquire::Check-Valid-Until);
# - no service starts inside (policy-rc.d), daemons are started by the test launcher;
# - /proc, /dev, /tmp and the repository are bind-mounted at the same paths, so a path the
#   suite hands a tool (a cluster dir under /tmp, a script in dist/) means the same inside.
# A file DIR/.rados-ts-ready marks a finished build; a half-made DIR is removed and rebuilt.
set -euo pipefail
SUITE=$1
DIR=$2
REPO=${3:-$(pwd)}
PKGS="ceph-mon ceph-osd ceph-mgr ceph-common python3-rbd python3-rados uuid-runtime"

mirror() {
  local m
  m=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$m" ] || m=$(awk '$1 == "deb" && $3 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$m" ] || { echo "ceph-chroot: no Debian mirror in the host's apt sources" >&2; exit 1; }
  echo "$m"
}

bind() { # SRC DST: bind-mount once, and again when SRC is a new directory at the same path
  mkdir -p "$2"
  if mountpoint -q "$2"; then
    # A checkout removed and made again (CI clones into the same path every run) leaves the old
    # mount showing the deleted, empty directory: the chroot would see no repository at all.
    [ "$(stat -c %d:%i "$1")" = "$(stat -c %d:%i "$2")" ] && return 0
    umount -l "$2"
  fi
  mount --bind "$1" "$2"
}

mount_all() {
  mountpoint -q "$DIR/proc" || { mkdir -p "$DIR/proc"; mount -t proc proc "$DIR/proc"; }
  bind /dev "$DIR/dev"
  bind /dev/pts "$DIR/dev/pts"
  bind /tmp "$DIR/tmp"
  # A repository under /tmp is visible through that bind already; binding it again would pin
  # its directory as a mount point (it could not be removed afterwards).
  case "$REPO/" in
    /tmp/*) ;;
    *) bind "$REPO" "$DIR$REPO" ;;
  esac
}

if [ ! -f "$DIR/.rados-ts-ready" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  # A build that died half-way: unmount whatever it mounted, then start again.
  if [ -d "$DIR" ]; then
    for m in $(awk -v d="$DIR" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m" || true; done
    rm -rf "$DIR"
  fi
  MIRROR=$(mirror)
  echo "ceph-chroot: debootstrap $SUITE from $MIRROR into $DIR" >&2
  mkdir -p "$(dirname "$DIR")"
  debootstrap --variant=minbase "$SUITE" "$DIR" "$MIRROR" >"$DIR.debootstrap.log" 2>&1 \
    || { tail -20 "$DIR.debootstrap.log" >&2; exit 1; }
  printf 'Acquire::Check-Valid-Until "false";\n' >"$DIR/etc/apt/apt.conf.d/99rados-ts-no-valid-until"
  printf '#!/bin/sh\nexit 101\n' >"$DIR/usr/sbin/policy-rc.d" && chmod +x "$DIR/usr/sbin/policy-rc.d"
  mount_all
  chroot "$DIR" apt-get update -qq
  chroot "$DIR" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PKGS >"$DIR.apt.log" 2>&1 \
    || { tail -20 "$DIR.apt.log" >&2; exit 1; }
  chroot "$DIR" apt-get clean
  chroot "$DIR" ceph --version >"$DIR/.rados-ts-ready"
fi
mount_all
# What the suite hands the chroot's tools by path must be there (a helper script, a dist/ file).
case "$REPO/" in
  /tmp/*) ;;
  *) [ -f "$DIR$REPO/package.json" ] || { echo "ceph-chroot: $REPO is not visible inside $DIR" >&2; exit 1; } ;;
esac
cat "$DIR/.rados-ts-ready"
