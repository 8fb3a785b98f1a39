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
#   3. the Windows .zip and installer, statically (Debian's wine cannot start Go 1.26 programs): PE32+ GUI
#      and console subsystems, icon, manifest and version resources (packaging/windows/check.sh); and
#      signing: a certificate made here (openssl) signs a copy of apidesk.exe with packaging/windows/sign.sh,
#      osslsigncode verify accepts it and refuses the copy once a byte is changed.
#
# It needs root (dpkg -i) or passwordless sudo, else it says so and skips the .deb part. It takes about a
# minute and never more than INSTALL_TEST_TIMEOUT seconds (default 300). Whatever happens, the package is
# removed and everything it started is stopped.
#   bash packaging/install-test.sh     (needs: scripts/deps.sh test and scripts/deps.sh package)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
DIST=${DIST:-$root/dist}
APP_ID=io.apidesk.app

fail() { echo "install-test: FAILED: $*" >&2; exit 1; }
step() { echo "== install-test: $*"; }

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
  export DISPLAY=:$(head -1 "$tmp/display")

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
  xdotool key --window "$wid" ctrl+q
  for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$app" 2>/dev/null; then window_fail "apidesk did not quit within 10 s of Ctrl+Q"; fi
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
for tool in dpkg-deb Xvfb xdotool xprop import identify dbus-run-session gnome-keyring-daemon desktop-file-validate \
  osslsigncode openssl file; do
  command -v "$tool" >/dev/null || fail "$tool is missing: bash scripts/deps.sh test && bash scripts/deps.sh package"
done
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

  # A throwaway user: HOME, XDG folders and a workspace the installed CLI fills.
  mkdir -p "$tmp/home" "$tmp/config" "$tmp/cache" "$tmp/ws"
  export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache APIDESK_WORKSPACE=$tmp/ws
  /usr/bin/apidesk-cli resource add demo --base-url https://api.example.com >/dev/null ||
    fail "the installed apidesk-cli could not add a resource"
  /usr/bin/apidesk-cli query save list-users --resource demo --path /users >/dev/null ||
    fail "the installed apidesk-cli could not save a query"
  ls "$tmp/ws" | grep -q . || fail "the installed apidesk-cli wrote nothing into the workspace"

  status=0
  APIDESK_INSTALLTEST_INNER=window INSTALL_TEST_TMP=$tmp timeout --kill-after=10 120 \
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
[[ $got == "apidesk-cli $version ("?*")" ]] || fail "~/.local/bin/apidesk-cli --version says \"$got\", not \"apidesk-cli $version (COMMIT)\""
HOME=$tmp/tarhome make --no-print-directory -C "$dir" user-uninstall >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log" >&2; fail "make user-uninstall failed"; }
left=$(find "$local" -type f -name "apidesk*" -o -type f -name "$APP_ID*" | grep -v '/icon-theme.cache$' || true)
[ -z "$left" ] || fail "make user-uninstall left: $left"

# ---- 3. Windows, statically, and signing with a certificate made here
if compgen -G "$DIST/apidesk-*-windows-amd64.zip" >/dev/null; then
  step "Windows artefacts"
  bash packaging/windows/check.sh "$DIST"

  step "Authenticode: sign a copy of apidesk.exe with a throwaway certificate, verify, tamper, verify again"
  mkdir -p "$tmp/sign"
  openssl req -x509 -newkey rsa:3072 -sha256 -days 2 -nodes -subj "/CN=apidesk install test" \
    -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=digitalSignature" \
    -keyout "$tmp/sign/key.pem" -out "$tmp/sign/cert.pem" 2>/dev/null || fail "openssl could not make a test certificate"
  openssl pkcs12 -export -inkey "$tmp/sign/key.pem" -in "$tmp/sign/cert.pem" -passout pass:test-only \
    -out "$tmp/sign/cert.pfx" || fail "openssl could not make a test PKCS#12 file"
  unzip -q -d "$tmp/sign" "$(pkg "apidesk-*-windows-amd64.zip")"
  exe=$(echo "$tmp"/sign/apidesk-*-windows-amd64/apidesk.exe)
  cp "$exe" "$tmp/sign/pem.exe"
  cp "$exe" "$tmp/sign/pfx.exe"
  APIDESK_SIGN_CERT=$tmp/sign/cert.pem APIDESK_SIGN_KEY=$tmp/sign/key.pem bash packaging/windows/sign.sh "$tmp/sign/pem.exe"
  APIDESK_SIGN_PFX=$tmp/sign/cert.pfx APIDESK_SIGN_PASSWORD=test-only bash packaging/windows/sign.sh "$tmp/sign/pfx.exe"
  for f in pem pfx; do
    osslsigncode verify -CAfile "$tmp/sign/cert.pem" -in "$tmp/sign/$f.exe" >"$tmp/sign/verify.log" 2>&1 ||
      { cat "$tmp/sign/verify.log" >&2; fail "osslsigncode verify refused the $f-signed apidesk.exe"; }
  done
  [[ $(file -b "$tmp/sign/pem.exe") == "PE32+ executable (GUI) x86-64"* ]] || fail "signing broke apidesk.exe: $(file -b "$tmp/sign/pem.exe")"
  # Change one byte in the middle of the code: the signature must no longer match.
  size=$(stat -c %s "$tmp/sign/pem.exe")
  printf '\x90' | dd of="$tmp/sign/pem.exe" bs=1 seek=$((size / 2)) conv=notrunc status=none
  if osslsigncode verify -CAfile "$tmp/sign/cert.pem" -in "$tmp/sign/pem.exe" >"$tmp/sign/verify.log" 2>&1; then
    fail "osslsigncode verify accepted a tampered apidesk.exe"
  fi
  echo "   signed with a PEM key and with a PFX, verified, and a tampered copy refused"
else
  echo "install-test: no Windows packages in $DIST (make package builds them): skipped their checks"
fi

echo "install-test: passed"
