#!/usr/bin/env bash
# Builds apidesk from this source tree and installs it the way the Linux archive does (what `make install`
# runs): the same apidesk-VERSION-linux-amd64.tar.xz as `make package`, unpacked, and its Makefile run.
#
#   bash packaging/install.sh                     into ~/.local (for you only)
#   bash packaging/install.sh --prefix /usr/local into /usr/local (run it as root: sudo make install PREFIX=…)
#   bash packaging/install.sh --uninstall [--prefix DIR]   removes what an install put there
#
# apidesk and apidesk-cli go to PREFIX/bin, the desktop entry to PREFIX/share/applications and the icons
# to PREFIX/share/icons/hicolor. Needs Go and the build packages (bash scripts/deps.sh build).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=""
action=install
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --uninstall) action=uninstall; shift ;;
    *) echo "usage: $0 [--prefix DIR] [--uninstall]" >&2; exit 2 ;;
  esac
done
case $prefix in "" | /*) ;; *) echo "install.sh: --prefix must be an absolute path, not $prefix" >&2; exit 2 ;; esac
if [ -n "$prefix" ] && [ "$prefix" != "$HOME/.local" ]; then
  target=$action
  if [ ! -w "$(dirname "$prefix")" ] && [ ! -w "$prefix" ]; then
    echo "install.sh: $prefix is not writable by you: run sudo make $action PREFIX=$prefix" >&2
    exit 1
  fi
else
  target=user-$action
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/apidesk-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ "$action" = install ]; then
  DIST=$tmp bash packaging/build.sh tarball
  tar -C "$tmp" -xJf "$tmp"/apidesk-*-linux-amd64.tar.xz
  dir=$(echo "$tmp"/apidesk-*-linux-amd64)
else
  # Uninstalling needs no build: the archive's Makefile knows which files to remove.
  dir=$tmp/x
  mkdir -p "$dir"
  cp packaging/linux/Makefile "$dir/Makefile"
fi
make --no-print-directory -C "$dir" "$target" ${prefix:+PREFIX="$prefix"}
