#!/usr/bin/env bash
# Builds apidesk's packages into dist/ (what `make package` runs):
#
#   bash packaging/build.sh [linux|tarball|deb] [windows]      (no argument: linux and windows)
#
#   tarball  apidesk-VERSION-linux-amd64.tar.xz  `fyne package -os linux` output, plus apidesk-cli, the icon
#                                                in every size and an install Makefile (packaging/linux/Makefile)
#   deb      apidesk_DEBVERSION_amd64.deb        /usr/bin/apidesk, /usr/bin/apidesk-cli, the desktop entry and
#                                                hicolor icons; Depends from dpkg-shlibdeps plus a D-Bus session
#   linux    both
#   windows  apidesk-VERSION-windows-amd64.zip   apidesk.exe (GUI subsystem) and apidesk-cli.exe, each with the
#                                                icon, a manifest and a version resource (go-winres)
#            apidesk-VERSION-windows-amd64-setup.exe   the NSIS installer (packaging/windows/installer.nsi)
#   and SHA256SUMS over everything in dist/.
#
# The binaries are built with -trimpath, stripped, with -tags release,migrated_fynedo and the version and
# commit from packaging/version.sh stamped into apidesk/engine/version. Everything is built from a copy of
# the source tree in a temp folder (the .syso resources and the FyneApp.toml that `fyne package` rewrites
# live there), so the work tree is left as it was; the end of this script checks that.
#
# Signing (Windows, optional): APIDESK_SIGN_PFX=FILE with APIDESK_SIGN_PASSWORD, or APIDESK_SIGN_CERT=FILE
# with APIDESK_SIGN_KEY=FILE (PEM; APIDESK_SIGN_PASSWORD if the key is encrypted); APIDESK_SIGN_TIMESTAMP_URL
# adds an RFC 3161 timestamp. See packaging/windows/sign.sh.
# Needs: bash scripts/deps.sh package (mingw-w64, nsis, osslsigncode, dpkg-dev, icoutils, …) and Go.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# The public tools, from the Go module proxy: fyne.io/tools v1.7.2 is the fyne CLI release made for Fyne
# v2.7 (go.mod has fyne.io/fyne/v2 v2.7.1; v1.7.4 is made for v2.8); go-winres writes the Windows
# resources (.syso).
FYNE_TOOL=${FYNE_TOOL:-fyne.io/tools/cmd/fyne@v1.7.2}
WINRES_TOOL=${WINRES_TOOL:-github.com/tc-hib/go-winres@v0.3.3}
APP_ID=io.apidesk.app
ICON_SIZES="16 24 32 48 64 128 256"
DIST=${DIST:-$root/dist}
TAGS=release,migrated_fynedo

[ $# -gt 0 ] || set -- linux windows
targets=()
for t in "$@"; do
  case $t in
    linux) targets+=(tarball deb) ;;
    tarball | deb | windows) targets+=("$t") ;;
    *) echo "build.sh: unknown target $t (linux, tarball, deb, windows)" >&2; exit 2 ;;
  esac
done
want() { [[ " ${targets[*]} " == *" $1 "* ]]; }

fail() { echo "build.sh: $*" >&2; exit 1; }
step() { echo "== package [${SECONDS}s]: $*"; }
need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || fail "$tool is missing; install the packaging tools with: bash scripts/deps.sh package"
  done
}
need go git tar xz sha256sum
want deb && need dpkg-deb dpkg-shlibdeps
want windows && need x86_64-w64-mingw32-gcc makensis osslsigncode icotool zip unzip file

eval "$(bash packaging/version.sh)"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
ldflags="-s -w -X apidesk/engine/version.Version=$APP_VERSION -X apidesk/engine/version.Commit=$APP_COMMIT"
step "version $APP_VERSION, commit $APP_COMMIT (deb $DEB_VERSION, windows $WIN_VERSION)"

# What packaging must never change or leave behind in the work tree.
guard() {
  sha256sum FyneApp.toml
  git ls-files -o --exclude-standard | grep -E '(\.syso|fyne_metadata_init\.go|FyneApp\.ico|\.exe\.manifest)$' || true
}
guard_before=$(guard)

# The PNG sizes are committed (packaging/icons.sh renders them from assets/icon.svg).
check_png() { # file size: a PNG's width and height are the big-endian numbers at bytes 16 and 20
  [ "$(od -An -tx1 -N8 "$1" 2>/dev/null | tr -d ' \n')" = 89504e470d0a1a0a ] &&
    [ "$(od -An -tu4 --endian=big -j16 -N8 "$1" | tr -s ' ')" = " $2 $2" ] ||
    fail "$1 is missing or not a $2x$2 px PNG: run bash packaging/icons.sh"
}
for n in $ICON_SIZES; do check_png "assets/icons/$n.png" "$n"; done
check_png assets/icon.png 512

work=$(mktemp -d "${TMPDIR:-/tmp}/apidesk-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)

step "copying the source tree to $work/src"
mkdir "$work/src"
git ls-files -z -c -o --exclude-standard --deduplicate |
  tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$work/src" -xf -
# fyne package reads FyneApp.toml from its --src folder, the main package's; the icon path is relative to it.
sed 's|^Icon *= *"assets/|Icon = "../../assets/|' FyneApp.toml >"$work/src/cmd/apidesk/FyneApp.toml"

# hicolor_tree DIR: the icons under DIR/share/icons/hicolor.
hicolor_tree() {
  for n in $ICON_SIZES; do
    install -Dm644 "assets/icons/$n.png" "$1/share/icons/hicolor/${n}x$n/apps/$APP_ID.png"
  done
  install -Dm644 assets/icon.png "$1/share/icons/hicolor/512x512/apps/$APP_ID.png"
  install -Dm644 assets/icon.svg "$1/share/icons/hicolor/scalable/apps/$APP_ID.svg"
}

# deterministic_tar ARCHIVE DIR NAME: DIR/NAME as a tar.xz with sorted names, root-owned, fixed times.
deterministic_tar() {
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -C "$2" -cf - "$3" | xz -9 -T1 >"$1"
}

if want tarball || want deb; then
  lin=$work/linux
  mkdir -p "$lin"
  step "building apidesk and apidesk-cli for linux/amd64"
  (cd "$work/src" && CGO_ENABLED=1 go build -trimpath -tags "$TAGS" -ldflags "$ldflags" -o "$lin/apidesk" ./cmd/apidesk)
  (cd "$work/src" && CGO_ENABLED=1 go build -trimpath -tags "$TAGS" -ldflags "$ldflags" -o "$lin/apidesk-cli" ./cmd/apidesk-cli)
  [[ "$("$lin/apidesk-cli" --version)" == *"$APP_VERSION ($APP_COMMIT)"* ]] || fail "apidesk-cli --version does not say $APP_VERSION"

  step "fyne package -os linux ($FYNE_TOOL)"
  mkdir "$work/fyne"
  # fyne's own tar.xz is unpacked again below: XZ_OPT makes its compression quick.
  (cd "$work/fyne" && XZ_OPT=-0 go run "$FYNE_TOOL" package -os linux --release --exe "$lin/apidesk" \
    --src "$work/src/cmd/apidesk" --app-version "$BASE_VERSION") || fail "fyne package -os linux failed (see above)"
  [ -f "$work/fyne/apidesk.tar.xz" ] || fail "fyne package wrote no apidesk.tar.xz"
  mkdir "$work/fyne/x"
  tar -C "$work/fyne/x" -xJf "$work/fyne/apidesk.tar.xz"
  # fyne puts the files under usr/local when the build machine has /usr/local, else under usr.
  fy=$work/fyne/x/apidesk/usr/local
  [ -d "$fy" ] || fy=$work/fyne/x/apidesk/usr
  desktop=$fy/share/applications/$APP_ID.desktop
  [ -x "$fy/bin/apidesk" ] && [ -f "$desktop" ] ||
    fail "fyne package's archive does not hold bin/apidesk and share/applications/$APP_ID.desktop where expected"
  for line in "Name=apidesk" "Exec=apidesk" "Icon=$APP_ID" "Type=Application"; do
    grep -qx "$line" "$desktop" || fail "the desktop entry fyne wrote lacks the line $line"
  done
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" || fail "the desktop entry does not validate (see above)"
  fi

fi

if want tarball; then
  step "apidesk-$APP_VERSION-linux-amd64.tar.xz"
  name=apidesk-$APP_VERSION-linux-amd64
  t=$work/tar/$name
  install -Dm755 "$fy/bin/apidesk" "$t/usr/local/bin/apidesk"
  install -Dm755 "$lin/apidesk-cli" "$t/usr/local/bin/apidesk-cli"
  install -Dm644 "$desktop" "$t/usr/local/share/applications/$APP_ID.desktop"
  hicolor_tree "$t/usr/local"
  install -m644 packaging/linux/Makefile "$t/Makefile"
  rm -f "$DIST"/apidesk-*-linux-amd64.tar.xz
  deterministic_tar "$DIST/$name.tar.xz" "$work/tar" "$name"
fi

if want deb; then
  step "apidesk_${DEB_VERSION}_amd64.deb"
  deb=$work/deb
  install -Dm755 "$lin/apidesk" "$deb/usr/bin/apidesk"
  install -Dm755 "$lin/apidesk-cli" "$deb/usr/bin/apidesk-cli"
  install -Dm644 "$desktop" "$deb/usr/share/applications/$APP_ID.desktop"
  hicolor_tree "$deb/usr"
  # Depends: the libraries both binaries link, as Debian packages with versions (libc6, libgl1, libx11-6),
  # from dpkg-shlibdeps; then, in packaging/debian/control, the X11 extension libraries GLFW opens at run
  # time with dlopen (Xcursor, Xrandr, Xinerama, Xi, Xxf86vm), which no tool can see, and a D-Bus session
  # bus for the Secret Service. A Secret Service itself is a Recommends: gnome-keyring | kwalletmanager |
  # keepassxc (Debian has no virtual package for org.freedesktop.secrets; any of them, or another, serves).
  mkdir -p "$work/shlibs/debian"
  printf 'Source: apidesk\n\nPackage: apidesk\nArchitecture: amd64\n' >"$work/shlibs/debian/control"
  shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e"$deb/usr/bin/apidesk" -e"$deb/usr/bin/apidesk-cli" 2>"$work/shlibs.log") ||
    { cat "$work/shlibs.log" >&2; fail "dpkg-shlibdeps could not work out the libraries apidesk needs"; }
  shlibs=${shlibs#shlibs:Depends=}
  for lib in libc6 libgl1 libx11-6; do
    [[ ", $shlibs," =~ ,\ ${lib}[\ ,] ]] || fail "apidesk does not link $lib as expected (dpkg-shlibdeps says: $shlibs)"
  done
  size=$(du -sk --apparent-size "$deb/usr" | cut -f1)
  mkdir -p "$deb/DEBIAN"
  sed -e "s|@DEB_VERSION@|$DEB_VERSION|" -e "s|@INSTALLED_SIZE@|$size|" -e "s|@SHLIBS@|$shlibs|" \
    packaging/debian/control >"$deb/DEBIAN/control"
  (cd "$deb" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
  find "$deb" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  rm -f "$DIST"/apidesk_*_amd64.deb
  dpkg-deb --root-owner-group -Zxz -z9 --build "$deb" "$DIST/apidesk_${DEB_VERSION}_amd64.deb" >/dev/null
  dpkg-deb --contents "$DIST/apidesk_${DEB_VERSION}_amd64.deb" | grep >/dev/null ' ./usr/bin/apidesk-cli$' ||
    fail "the .deb does not hold /usr/bin/apidesk-cli"
fi

if want windows; then
  win=$work/windows
  mkdir -p "$win"
  # Windows resources: the icon in every size, a manifest (per-monitor DPI, long paths) and the version.
  winres() { # main-package-dir name description
    local dir=$work/winres-$2
    mkdir -p "$dir"
    for n in $ICON_SIZES; do cp "assets/icons/$n.png" "$dir/$n.png"; done
    sed -e "s|@WIN_VERSION@|$WIN_VERSION|g" -e "s|@VERSION@|$APP_VERSION|g" -e "s|@COMMIT@|$APP_COMMIT|g" \
      -e "s|@NAME@|$2|g" -e "s|@DESCRIPTION@|$3|g" packaging/windows/winres.json >"$dir/winres.json"
    (cd "$dir" && go run "$WINRES_TOOL" make --arch amd64 --in winres.json --out "$work/src/$1/rsrc") ||
      fail "go-winres could not write the resources of $2.exe"
  }
  step "Windows resources ($WINRES_TOOL)"
  winres cmd/apidesk apidesk "apidesk"
  winres cmd/apidesk-cli apidesk-cli "apidesk command line"

  step "building apidesk.exe (cgo, mingw-w64, GUI subsystem) and apidesk-cli.exe for windows/amd64"
  (cd "$work/src" && GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
    go build -trimpath -tags "$TAGS" -ldflags "$ldflags -H windowsgui" -o "$win/apidesk.exe" ./cmd/apidesk)
  (cd "$work/src" && GOOS=windows GOARCH=amd64 CGO_ENABLED=0 \
    go build -trimpath -tags "$TAGS" -ldflags "$ldflags" -o "$win/apidesk-cli.exe" ./cmd/apidesk-cli)

  signing=$(bash packaging/windows/sign.sh --configured)
  if [ "$signing" = yes ]; then
    step "signing apidesk.exe and apidesk-cli.exe (osslsigncode)"
    bash packaging/windows/sign.sh "$win/apidesk.exe"
    bash packaging/windows/sign.sh "$win/apidesk-cli.exe"
  fi

  step "apidesk-$APP_VERSION-windows-amd64.zip"
  name=apidesk-$APP_VERSION-windows-amd64
  mkdir -p "$work/zip/$name"
  cp "$win/apidesk.exe" "$win/apidesk-cli.exe" "$work/zip/$name/"
  find "$work/zip" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  rm -f "$DIST"/apidesk-*-windows-amd64.zip
  (cd "$work/zip" && TZ=UTC zip -q -X -9 -r "$DIST/$name.zip" "$name")

  step "apidesk-$APP_VERSION-windows-amd64-setup.exe (makensis)"
  pngs=()
  for n in $ICON_SIZES; do pngs+=("assets/icons/$n.png"); done
  icotool -c -o "$win/apidesk.ico" "${pngs[@]}"
  rm -f "$DIST"/apidesk-*-windows-amd64-setup.exe
  nsis=(-V2 -DVERSION="$APP_VERSION" -DWIN_VERSION="$WIN_VERSION" -DSRC="$win" -DOUTFILE="$DIST/$name-setup.exe")
  [ "$signing" = yes ] && nsis+=(-DSIGN_CMD="bash $root/packaging/windows/sign.sh %1")
  makensis "${nsis[@]}" packaging/windows/installer.nsi || fail "makensis could not build the installer (see above)"

  bash packaging/windows/check.sh "$DIST"
fi

step "SHA256SUMS"
shopt -s nullglob
cd "$DIST"
artefacts=(*.tar.xz *.deb *.zip *-setup.exe)
[ ${#artefacts[@]} -gt 0 ] || fail "no package in $DIST to sum"
sha256sum -- "${artefacts[@]}" >SHA256SUMS
for f in "${artefacts[@]}"; do printf '   %10d  %s\n' "$(stat -c %s "$f")" "$f"; done
cd "$root"

[ "$(guard)" = "$guard_before" ] ||
  fail "packaging changed FyneApp.toml or left a generated file in the work tree: $(guard)"
