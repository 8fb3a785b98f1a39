#!/usr/bin/env bash
# Prints the version variables every package is stamped with, as shell assignments to eval:
#
#   eval "$(bash packaging/version.sh)"
#
#   APP_VERSION   what `apidesk --version` says: "0.1.0" on a release tag v0.1.0, else FyneApp.toml's
#                 version followed by "-dev.N" (N = commits on HEAD), e.g. "0.1.0-dev.40"
#   APP_COMMIT    the short commit, "-dirty" added when tracked files differ from it
#   DEB_VERSION   APP_VERSION in Debian's order ("0.1.0~dev.40" sorts before the "0.1.0" release)
#   WIN_VERSION   four numbers for Windows' version resource: major.minor.patch.N
#   BASE_VERSION  major.minor.patch from FyneApp.toml
#
# APIDESK_VERSION overrides APP_VERSION (it must start with major.minor.patch). A release tag that
# disagrees with FyneApp.toml is an error: bump FyneApp.toml's Version before tagging.
set -eu
cd "$(dirname "$0")/.."

base=$(sed -n 's/^Version *= *"\([0-9]*\.[0-9]*\.[0-9]*\)".*/\1/p' FyneApp.toml | head -1)
if [ -z "$base" ]; then
  echo "version.sh: FyneApp.toml has no Version = \"MAJOR.MINOR.PATCH\" under [Details]" >&2
  exit 1
fi
count=$(git rev-list --count HEAD 2>/dev/null || echo 0)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit-dirty"
fi

if [ -n "${APIDESK_VERSION:-}" ]; then
  version=$APIDESK_VERSION
elif tag=$(git describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null); then
  version=${tag#v}
  if [ "${version%%[-+]*}" != "$base" ]; then
    echo "version.sh: the tag $tag says ${version%%[-+]*} but FyneApp.toml says $base; make them agree" >&2
    exit 1
  fi
else
  version="$base-dev.$count"
fi
if ! printf %s "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$'; then
  echo "version.sh: version \"$version\" is not MAJOR.MINOR.PATCH[-pre][+build]" >&2
  exit 1
fi
numeric=${version%%[-+]*}

printf 'APP_VERSION=%q\nAPP_COMMIT=%q\nDEB_VERSION=%q\nWIN_VERSION=%q\nBASE_VERSION=%q\n' \
  "$version" "$commit" "$(printf %s "$version" | tr - '~')" "$numeric.$count" "$numeric"
