#!/usr/bin/env bash
# Authenticode-signs a Windows file in place with osslsigncode (SHA-256), when a certificate is given
# by environment:
#
#   APIDESK_SIGN_PFX=FILE  [APIDESK_SIGN_PASSWORD=…]                 a PKCS#12 (.pfx/.p12) file, or
#   APIDESK_SIGN_CERT=FILE APIDESK_SIGN_KEY=FILE [APIDESK_SIGN_PASSWORD=…]   certificate (chain) and key
#   APIDESK_SIGN_TIMESTAMP_URL=URL   an RFC 3161 timestamp server, so the signature outlives the
#                                    certificate (optional; needs the network)
#
#   bash packaging/windows/sign.sh FILE.exe       signs FILE.exe
#   bash packaging/windows/sign.sh --configured   prints yes when a certificate is given, else no
#
# The password reaches osslsigncode on its standard input, never on a command line (ps would show it).
set -euo pipefail

configured() {
  if [ -n "${APIDESK_SIGN_PFX:-}" ]; then
    [ -f "$APIDESK_SIGN_PFX" ] || { echo "sign.sh: APIDESK_SIGN_PFX=$APIDESK_SIGN_PFX is not a file" >&2; return 2; }
    echo yes
  elif [ -n "${APIDESK_SIGN_CERT:-}${APIDESK_SIGN_KEY:-}" ]; then
    [ -f "${APIDESK_SIGN_CERT:-}" ] && [ -f "${APIDESK_SIGN_KEY:-}" ] || {
      echo "sign.sh: give both APIDESK_SIGN_CERT and APIDESK_SIGN_KEY as files (or APIDESK_SIGN_PFX)" >&2
      return 2
    }
    echo yes
  else
    echo no
  fi
}

if [ "${1:-}" = --configured ]; then
  configured
  exit
fi
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: $0 FILE.exe | --configured" >&2; exit 2; }
[ "$(configured)" = yes ] || { echo "sign.sh: no certificate given (APIDESK_SIGN_PFX or APIDESK_SIGN_CERT + APIDESK_SIGN_KEY)" >&2; exit 2; }
command -v osslsigncode >/dev/null || { echo "sign.sh: osslsigncode is missing: bash scripts/deps.sh package" >&2; exit 1; }

args=(sign -h sha256 -n apidesk -i https://github.com/apidesk/apidesk)
if [ -n "${APIDESK_SIGN_PFX:-}" ]; then
  args+=(-pkcs12 "$APIDESK_SIGN_PFX")
else
  args+=(-certs "$APIDESK_SIGN_CERT" -key "$APIDESK_SIGN_KEY")
fi
[ -z "${APIDESK_SIGN_PASSWORD:-}" ] || args+=(-readpass /dev/stdin)
[ -z "${APIDESK_SIGN_TIMESTAMP_URL:-}" ] || args+=(-ts "$APIDESK_SIGN_TIMESTAMP_URL")

out="$1.signing"
rm -f "$out"
if ! printf %s "${APIDESK_SIGN_PASSWORD:-}" | osslsigncode "${args[@]}" -in "$1" -out "$out" >"$out.log" 2>&1; then
  cat "$out.log" >&2
  rm -f "$out" "$out.log"
  echo "sign.sh: osslsigncode could not sign $1 (see above): check the certificate, key and password" >&2
  exit 1
fi
rm -f "$out.log"
mv -f "$out" "$1"
echo "signed $(basename "$1")"
