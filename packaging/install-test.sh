#!/usr/bin/env bash
# The install test (what `make install-test` runs after `make package`), on the packages in dist/:
#
#   1. the .deb: dpkg -i on this machine; its files are where Debian puts them and the desktop entry
#      validates; the INSTALLED apidesk-cli makes a resource and a saved query in a throwaway workspace and
#      says its version; the INSTALLED /usr/bin/apidesk starts under Xvfb inside a private D-Bus session
#      with its own gnome-keyring (scripts/with-keyring.sh) and a throwaway HOME, its window shows (xdotool),
#      a screenshot goes to dist/install-test.png, and Ctrl+Q quits it; then dpkg -r, and the files are gone.
#   2. the .tar.xz: `make user-install` into a throwaway HOME, the installed apidesk-cli runs, the desktop
#      entry names the installed binary; `make user-uninstall` removes it all.
#   3. the Windows .zip and installer. The installer runs under wine (silently, for the current user): the
#      files, the Start-menu shortcut and the Apps & features entry are there, and its uninstaller removes
#      them. The programs are checked statically (Debian's wine cannot start Go 1.26 programs): PE32+ GUI
#      and console subsystems, icon, manifest and version resources (packaging/windows/check.sh); and
#      signing: with a certificate made here (openssl), packaging/build.sh windows builds them again signed
#      (programs, uninstaller, installer) and osslsigncode verify accepts them; a PEM-signed copy of
#      apidesk.exe is accepted too, and refused once a byte is changed.
#
# It needs root (dpkg -i) or passwordless sudo, else it says so and skips the .deb part. It takes about a
# minute once `make package` has filled Go's build cache; each step has its own time limit. Whatever
# happens, the package is removed and everything it started is stopped.
#   bash packaging/install-test.sh     (needs: scripts/deps.sh install-test)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
DIST=${DIST:-$root/dist}
APP_ID=io.apidesk.app

fail() { echo "install-test: FAILED: $*" >&2; exit 1; }
step() { echo "== install-test [${SECONDS}s]: $*"; }

if [ "${APIDESK_INSTALLTEST_INNER:-}" = window ]; then
  # Inside with-keyring.sh's D-Bus session (its gnome-keyring is unlocked), as the throwaway user.
  tmp=$INSTALL_TEST_TMP
  pids=()
  cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  }
  trap cleanup EXIT
  log=$tmp/apidesk.log
  window_fail() { echo "--- apidesk's output:" >&2; tail -40 "$log" >&2 || true; fail "$*"; }

  # A free X display of our own.
  exec 3>"$tmp/display"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  pids+=($!)
  exec 3>&-
  for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
  [ -s "$tmp/display" ] || fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
  DISPLAY=:$(head -1 "$tmp/display")
  export DISPLAY

  step "starting the installed /usr/bin/apidesk on $DISPLAY"
  /usr/bin/apidesk >"$log" 2>&1 &
  app=$!
  pids+=("$app")
  wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^apidesk' 2>/dev/null | head -1) ||
    window_fail "no window named apidesk showed within 60 s"
  [ -n "$wid" ] || window_fail "no window named apidesk showed within 60 s"
  title=$(xdotool getwindowname "$wid")
  class=$(xprop -id "$wid" WM_CLASS 2>/dev/null || true)
  echo "   window $wid: \"$title\", $class"
  # Desktops match the window to its launcher (icon, grouping) by the desktop entry's StartupWMClass.
  wmclass=$(sed -n 's/^StartupWMClass=//p' /usr/share/applications/$APP_ID.desktop)
  [[ $class == *"\"$wmclass\""* ]] || window_fail "the window's $class does not match the desktop entry's StartupWMClass=$wmclass"
  # The sidebar lists the resource and query the CLI saved; give the first frames time to draw.
  shot=$tmp/install-test.png
  for _ in $(seq 20); do
    sleep 0.5
    import -window "$wid" "$shot" 2>/dev/null || continue
    colours=$(identify -format %k "$shot" 2>/dev/null || echo 0)
    [ "$colours" -gt 50 ] && break
  done
  [ "${colours:-0}" -gt 50 ] || window_fail "the window stayed blank (${colours:-0} colours in the screenshot)"
  echo "   screenshot: $(identify -format '%wx%h, %k colours' "$shot")"

  xdotool windowactivate --sync "$wid" 2>/dev/null || xdotool windowfocus --sync "$wid" 2>/dev/null || true
  # Ctrl+Q is pressed and not released: apidesk quits on the press, and a release sent after the window has
  # gone is an X error (BadWindow in X_SendEvent) that ended xdotool, and this test, at random. Whether
  # apidesk quit is what counts; xdotool's complaint is shown only when it did not.
  xdotool keydown --window "$wid" ctrl+q 2>"$tmp/xdotool.log" || true
  for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$app" 2>/dev/null; then window_fail "apidesk did not quit within 10 s of Ctrl+Q $(cat "$tmp/xdotool.log")"; fi
  status=0
  wait "$app" || status=$?
  [ "$status" -eq 0 ] || window_fail "apidesk exited with status $status"
  if grep -E 'panic:|fatal error:|Error in Fyne call thread|DATA RACE' "$log" >&2; then
    window_fail "apidesk's output has the errors above"
  fi
  exit 0
fi

[ -d "$DIST" ] || fail "no $DIST: build the packages first with make package"
pkg() { # glob: the one file in DIST that matches
  local f
  f=$(compgen -G "$DIST/$1" || true)
  [ -n "$f" ] && [ "$(printf '%s\n' "$f" | wc -l)" -eq 1 ] || fail "expected one $1 in $DIST, found: ${f:-none} (make package)"
  printf %s "$f"
}
need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || fail "$tool is missing: bash scripts/deps.sh install-test"
  done
}
need dpkg-deb Xvfb xdotool xprop import identify dbus-run-session gnome-keyring-daemon desktop-file-validate file
deb=$(pkg "apidesk_*_amd64.deb")
tarball=$(pkg "apidesk-*-linux-amd64.tar.xz")
deb_version=$(dpkg-deb --field "$deb" Version)
version=${deb_version//\~/-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/apidesk-installtest.XXXXXX")
sudo=""
installed=""
cleanup() {
  if [ -n "$installed" ]; then
    $sudo dpkg -r apidesk >"$tmp/dpkg-r.log" 2>&1 || { cat "$tmp/dpkg-r.log" >&2; echo "install-test: could not remove apidesk: run dpkg -r apidesk" >&2; }
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- 1. the .deb
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then sudo=sudo; else sudo=none; fi
fi
if [ "$sudo" = none ]; then
  echo "install-test: SKIPPED the .deb install: it needs root or passwordless sudo (dpkg -i)"
  sudo=""
else
  if dpkg-query -W -f='${Status}' apidesk 2>/dev/null | grep -q 'ok installed'; then
    fail "apidesk is already installed on this machine ($(dpkg-query -W -f='${Version}' apidesk)); the test installs and removes its own: remove it first with dpkg -r apidesk"
  fi
  step "dpkg -i $(basename "$deb")"
  installed=yes
  $sudo dpkg -i "$deb" >"$tmp/dpkg-i.log" 2>&1 || { cat "$tmp/dpkg-i.log" >&2; fail "dpkg -i refused the package (see above)"; }
  for f in /usr/bin/apidesk /usr/bin/apidesk-cli /usr/share/applications/$APP_ID.desktop \
    /usr/share/icons/hicolor/48x48/apps/$APP_ID.png /usr/share/icons/hicolor/scalable/apps/$APP_ID.svg; do
    [ -e "$f" ] || fail "the package did not install $f"
  done
  desktop-file-validate /usr/share/applications/$APP_ID.desktop || fail "the installed desktop entry does not validate"
  case $(file -b /usr/bin/apidesk) in *"not stripped"*) fail "/usr/bin/apidesk is not stripped" ;; esac

  for cmd in apidesk-cli apidesk; do
    got=$(/usr/bin/$cmd --version)
    [[ $got == "$cmd $version ("?*")" ]] || fail "/usr/bin/$cmd --version says \"$got\", not \"$cmd $version (COMMIT)\""
    echo "   $cmd --version: $got"
  done

  # A throwaway user: HOME, XDG folders and a workspace the installed CLI fills. (Only for the installed
  # programs: Go's own caches stay where they are.)
  mkdir -p "$tmp/home" "$tmp/config" "$tmp/cache" "$tmp/ws"
  as_user=(env HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" APIDESK_WORKSPACE="$tmp/ws")
  "${as_user[@]}" /usr/bin/apidesk-cli resource add demo --base-url https://api.example.com >/dev/null ||
    fail "the installed apidesk-cli could not add a resource"
  "${as_user[@]}" /usr/bin/apidesk-cli query save list-users --resource demo --path /users >/dev/null ||
    fail "the installed apidesk-cli could not save a query"
  [ -n "$(ls -A "$tmp/ws")" ] || fail "the installed apidesk-cli wrote nothing into the workspace"

  status=0
  "${as_user[@]}" APIDESK_INSTALLTEST_INNER=window INSTALL_TEST_TMP="$tmp" timeout --kill-after=10 120 \
    bash scripts/with-keyring.sh bash "$0" || status=$?
  [ "$status" -ne 124 ] && [ "$status" -ne 137 ] || fail "the window test timed out after 120 s"
  [ "$status" -eq 0 ] || exit "$status"
  cp "$tmp/install-test.png" "$DIST/install-test.png"
  echo "   screenshot of the installed app: $DIST/install-test.png"

  step "dpkg -r apidesk"
  $sudo dpkg -r apidesk >"$tmp/dpkg-r.log" 2>&1 || { cat "$tmp/dpkg-r.log" >&2; fail "dpkg -r apidesk failed"; }
  installed=""
  for f in /usr/bin/apidesk /usr/bin/apidesk-cli /usr/share/applications/$APP_ID.desktop; do
    [ ! -e "$f" ] || fail "dpkg -r left $f behind"
  done
fi

# ---- 2. the .tar.xz, installed for a throwaway user
step "make user-install from $(basename "$tarball")"
mkdir -p "$tmp/tar" "$tmp/tarhome"
tar -C "$tmp/tar" -xJf "$tarball"
dir=$(echo "$tmp"/tar/apidesk-*-linux-amd64)
[ -f "$dir/Makefile" ] || fail "the archive has no Makefile at its top"
HOME=$tmp/tarhome make --no-print-directory -C "$dir" user-install >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log" >&2; fail "make user-install failed"; }
local=$tmp/tarhome/.local
for f in bin/apidesk bin/apidesk-cli share/applications/$APP_ID.desktop share/icons/hicolor/256x256/apps/$APP_ID.png; do
  [ -e "$local/$f" ] || fail "make user-install did not install ~/.local/$f"
done
grep -qx "Exec=$local/bin/apidesk" "$local/share/applications/$APP_ID.desktop" ||
  fail "the user-installed desktop entry does not start $local/bin/apidesk"
desktop-file-validate "$local/share/applications/$APP_ID.desktop" || fail "the user-installed desktop entry does not validate"
got=$("$local/bin/apidesk-cli" --version)
[[ $got == "apidesk-cli $version ("?*")" ]] || fail "$local/bin/apidesk-cli --version says \"$got\", not \"apidesk-cli $version (COMMIT)\""
HOME=$tmp/tarhome make --no-print-directory -C "$dir" user-uninstall >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log" >&2; fail "make user-uninstall failed"; }
left=$(find "$local" -type f -name "apidesk*" -o -type f -name "$APP_ID*" | grep -v '/icon-theme.cache$' || true)
[ -z "$left" ] || fail "make user-uninstall left: $left"

# ---- 3. Windows, statically, and signing with a certificate made here
if compgen -G "$DIST/apidesk-*-windows-amd64.zip" >/dev/null; then
  step "Windows artefacts"
  need xvfb-run wine unzip osslsigncode openssl
  bash packaging/windows/check.sh "$DIST"

  step "the Windows installer under wine: silent install for the current user, then its uninstaller"
  setup=$(pkg "apidesk-*-windows-amd64-setup.exe")
  export WINEPREFIX=$tmp/wine WINEDEBUG=-all
  wine_run() { # EXE ARGS…: runs it under wine on a throwaway X display and waits for wine to finish
    timeout --kill-after=10 180 xvfb-run -a sh -c 'wine "$@" >/dev/null 2>&1; wineserver -w' wine "$@" ||
      fail "wine $(basename "$1") $2 did not finish within 180 s"
  }
  wine_run "$setup" /S /CurrentUser
  programs=$(compgen -G "$WINEPREFIX/drive_c/users/*/AppData/Local/Programs/apidesk" || true)
  [ -n "$programs" ] || fail "the installer did not install into %LOCALAPPDATA%\\Programs\\apidesk"
  for f in apidesk.exe apidesk-cli.exe uninstall.exe; do
    [ -f "$programs/$f" ] || fail "the installer did not install $f"
  done
  unzip -q -d "$tmp/zip" "$(pkg "apidesk-*-windows-amd64.zip")"
  cmp -s "$programs/apidesk.exe" "$(echo "$tmp"/zip/apidesk-*-windows-amd64/apidesk.exe)" ||
    fail "the installer's apidesk.exe differs from the one in the .zip"
  lnk=$(compgen -G "$WINEPREFIX/drive_c/users/*/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/apidesk.lnk" || true)
  [ -n "$lnk" ] || fail "the installer made no Start-menu shortcut"
  # The "Apps & features" entry, in the current user's registry.
  entry=$(sed -n '/^\[Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\io.apidesk.app\]/,/^$/p' "$WINEPREFIX/user.reg")
  for want in '"DisplayName"="apidesk"' "\"DisplayVersion\"=\"$version\"" '"UninstallString"=' '"EstimatedSize"=dword:'; do
    [[ $entry == *"$want"* ]] || fail "the Apps & features entry lacks $want: $entry"
  done
  wine_run "$programs/uninstall.exe" /S /CurrentUser
  [ ! -e "$programs" ] || fail "the uninstaller left $programs: $(ls "$programs")"
  [ ! -e "$lnk" ] || fail "the uninstaller left the Start-menu shortcut"
  ! grep -q 'io.apidesk.app' "$WINEPREFIX/user.reg" || fail "the uninstaller left registry keys under io.apidesk.app"
  echo "   installed (files, Start-menu shortcut, Apps & features entry $version) and uninstalled cleanly"
  unset WINEPREFIX WINEDEBUG

  step "Authenticode: the Windows packages built again, signed with a certificate made here"
  mkdir -p "$tmp/sign"
  openssl req -x509 -newkey rsa:3072 -sha256 -days 2 -nodes -subj "/CN=apidesk install test" \
    -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=digitalSignature" \
    -keyout "$tmp/sign/key.pem" -out "$tmp/sign/cert.pem" 2>/dev/null || fail "openssl could not make a test certificate"
  openssl pkcs12 -export -inkey "$tmp/sign/key.pem" -in "$tmp/sign/cert.pem" -passout pass:test-only \
    -out "$tmp/sign/cert.pfx" || fail "openssl could not make a test PKCS#12 file"
  # build.sh signs both programs, the uninstaller and the installer; its check.sh verifies the three it
  # can reach against this certificate.
  APIDESK_SIGN_PFX=$tmp/sign/cert.pfx APIDESK_SIGN_PASSWORD=test-only APIDESK_SIGN_CAFILE=$tmp/sign/cert.pem \
    DIST=$tmp/signed bash packaging/build.sh windows >"$tmp/sign/build.log" 2>&1 ||
    { tail -30 "$tmp/sign/build.log" >&2; fail "the signed Windows build failed"; }
  grep -E 'signed|signature verified' "$tmp/sign/build.log" | sed 's/^ */   /'
  grep -q 'setup.exe: signature verified' "$tmp/sign/build.log" || fail "the signed build did not verify the installer"
  # The other way in: a PEM certificate and key sign an unsigned apidesk.exe from dist/.
  unzip -q -d "$tmp/sign/unsigned" "$(pkg "apidesk-*-windows-amd64.zip")"
  cp "$(echo "$tmp"/sign/unsigned/apidesk-*-windows-amd64/apidesk.exe)" "$tmp/sign/pem.exe"
  APIDESK_SIGN_CERT=$tmp/sign/cert.pem APIDESK_SIGN_KEY=$tmp/sign/key.pem bash packaging/windows/sign.sh "$tmp/sign/pem.exe" >/dev/null
  osslsigncode verify -CAfile "$tmp/sign/cert.pem" -in "$tmp/sign/pem.exe" >"$tmp/sign/verify.log" 2>&1 ||
    { cat "$tmp/sign/verify.log" >&2; fail "osslsigncode verify refused the PEM-signed apidesk.exe"; }
  [[ $(file -b "$tmp/sign/pem.exe") == "PE32+ executable (GUI) x86-64"* ]] || fail "signing broke apidesk.exe: $(file -b "$tmp/sign/pem.exe")"
  # Change one byte in the middle of the code: the signature must no longer match.
  size=$(stat -c %s "$tmp/sign/pem.exe")
  printf '\x90' | dd of="$tmp/sign/pem.exe" bs=1 seek=$((size / 2)) conv=notrunc status=none
  if osslsigncode verify -CAfile "$tmp/sign/cert.pem" -in "$tmp/sign/pem.exe" >"$tmp/sign/verify.log" 2>&1; then
    fail "osslsigncode verify accepted a tampered apidesk.exe"
  fi
  echo "   signed with a PFX (build.sh) and with a PEM key (sign.sh), verified; a tampered copy refused"
else
  echo "install-test: no Windows packages in $DIST (make package builds them): skipped their checks"
fi

echo "install-test: passed"
