#!/usr/bin/env bash
# Static checks of the Windows packages in a folder (Debian's wine cannot start Go 1.26 programs, so they
# are inspected rather than run):
#
#   bash packaging/windows/check.sh DIST
#
# - the .zip holds apidesk.exe and apidesk-cli.exe, which `file` calls PE32+ executable (GUI) and
#   (console) x86-64; apidesk.exe imports opengl32.dll (the cgo OpenGL driver is linked in)
# - each has the icon in 7 sizes, a manifest asking for per-monitor DPI awareness and a version resource
#   whose FileVersion is the version in the .zip's name (read back with go-winres extract)
# - the installer is a PE32+ Nullsoft installer whose version resource says the same version
# - signatures: when the files are signed (APIDESK_SIGN_* set), osslsigncode verify checks them against
#   APIDESK_SIGN_CAFILE (default: the system's trusted roots)
set -euo pipefail
cd "$(dirname "$0")/../.."
WINRES_TOOL=${WINRES_TOOL:-github.com/tc-hib/go-winres@v0.3.3}
dist=$(cd "${1:?usage: $0 DIST}" && pwd)

fail() { echo "windows/check.sh: FAILED: $*" >&2; exit 1; }
for tool in file unzip x86_64-w64-mingw32-objdump osslsigncode go; do
  command -v "$tool" >/dev/null || fail "$tool is missing: bash scripts/deps.sh package"
done
zips=$(compgen -G "$dist/apidesk-*-windows-amd64.zip" || true)
[ -n "$zips" ] && [ "$(printf '%s\n' "$zips" | wc -l)" -eq 1 ] || fail "expected one apidesk-*-windows-amd64.zip in $dist, found: ${zips:-none}"
zip=$zips
name=$(basename "$zip" .zip)
version=${name#apidesk-}
version=${version%-windows-amd64}
setup=$dist/$name-setup.exe
[ -f "$setup" ] || fail "no installer $setup next to $zip"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/apidesk-wincheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unzip -q -d "$tmp" "$zip"
for exe in apidesk.exe apidesk-cli.exe; do
  [ -f "$tmp/$name/$exe" ] || fail "$zip does not hold $name/$exe"
done

kind() { file -b "$1"; }
[[ $(kind "$tmp/$name/apidesk.exe") == "PE32+ executable (GUI) x86-64"* ]] ||
  fail "apidesk.exe is not a 64-bit Windows GUI program: $(kind "$tmp/$name/apidesk.exe")"
[[ $(kind "$tmp/$name/apidesk-cli.exe") == "PE32+ executable (console) x86-64"* ]] ||
  fail "apidesk-cli.exe is not a 64-bit Windows console program: $(kind "$tmp/$name/apidesk-cli.exe")"
# `file` names only 32-bit NSIS installers; every NSIS installer's data starts with "NullsoftInst".
[[ $(kind "$setup") == "PE32+ executable (GUI) x86-64"* ]] && LC_ALL=C grep -q NullsoftInst "$setup" ||
  fail "$(basename "$setup") is not a 64-bit NSIS installer: $(kind "$setup")"
x86_64-w64-mingw32-objdump -p "$tmp/$name/apidesk.exe" >"$tmp/objdump.txt"
grep -qi 'DLL Name: opengl32.dll' "$tmp/objdump.txt" || fail "apidesk.exe does not import opengl32.dll: was it built without cgo?"

# resources FILE: extracts them into $tmp/res-FILE and prints the folder.
resources() {
  local out
  out=$tmp/res-$(basename "$1")
  (cd "$tmp" && go run "$WINRES_TOOL" extract --dir "$out" --xml-manifest "$1") >/dev/null 2>"$tmp/extract.log" ||
    { cat "$tmp/extract.log" >&2; fail "go-winres could not read the resources of $1"; }
  printf %s "$out"
}
for exe in apidesk.exe apidesk-cli.exe; do
  res=$(resources "$tmp/$name/$exe")
  grep -q "\"FileVersion\": \"$version\"" "$res/winres.json" ||
    fail "$exe's version resource does not say FileVersion $version: $(grep -h Version "$res/winres.json" | tr -s ' ')"
  grep -q "\"OriginalFilename\": \"$exe\"" "$res/winres.json" || fail "$exe's version resource does not name $exe"
  ico=$(compgen -G "$res/*.ico" || true)
  [ -n "$ico" ] || fail "$exe has no icon resource"
  count=$(od -An -tu2 -j4 -N2 "$(printf '%s\n' "$ico" | head -1)" | tr -d ' ')
  [ "$count" -eq 7 ] || fail "$exe's icon has $count sizes, not 7 (16 to 256 px)"
  grep -qi '<dpiAwareness[^>]*>permonitorv2' "$res"/*.manifest 2>/dev/null || fail "$exe's manifest does not ask for per-monitor DPI awareness"
  echo "   $exe: $(kind "$tmp/$name/$exe" | cut -d, -f1), version $version, icon with $count sizes, manifest"
done
res=$(resources "$setup")
grep -q "\"ProductVersion\": \"$version\"" "$res/winres.json" || fail "the installer's version resource does not say $version"
echo "   $(basename "$setup"): $(kind "$setup" | cut -d, -f1,2), version $version"

if [ "$(bash packaging/windows/sign.sh --configured)" = yes ]; then
  for f in "$tmp/$name/apidesk.exe" "$tmp/$name/apidesk-cli.exe" "$setup"; do
    osslsigncode verify ${APIDESK_SIGN_CAFILE:+-CAfile "$APIDESK_SIGN_CAFILE"} -in "$f" >"$tmp/verify.log" 2>&1 ||
      { cat "$tmp/verify.log" >&2; fail "osslsigncode verify refused $(basename "$f")"; }
    echo "   $(basename "$f"): signature verified"
  done
fi
