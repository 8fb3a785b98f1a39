#!/usr/bin/env bash
# Runs a command against a private, throwaway Secret Service (gnome-keyring), so the keychain
# integration tests hit a real daemon without ever touching the user's own keyring:
#
#   scripts/with-keyring.sh go test -race ./engine/secret/...
#
# Inside a new D-Bus session (dbus-run-session) with its own XDG_DATA_HOME (where the keyring file
# lives) and XDG_RUNTIME_DIR (the daemon's control socket), it starts gnome-keyring-daemon with its
# login keyring unlocked by the password in APIDESK_KEYRING_PASSWORD (default "PASS"), waits until
# org.freedesktop.secrets has an owner, exports APIDESK_REAL_KEYRING=1 and runs the command. It exits
# with the command's exit code and leaves no daemon behind; the temp dirs are removed.
# Needs: dbus-run-session, dbus-send (dbus), gnome-keyring-daemon (gnome-keyring); secret-tool
# (libsecret-tools) for the lock test. `scripts/deps.sh test` installs them.
set -eu

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [ "${APIDESK_KEYRING_INNER:-}" != 1 ]; then
  # Outer half: check the tools, make the private dirs, and re-run this script in a new session bus.
  for tool in dbus-run-session dbus-send dbus-daemon gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null; then
      echo "with-keyring: $tool is missing; install the test packages with: bash scripts/deps.sh test" >&2
      exit 1
    fi
  done
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/apidesk-keyring.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  mkdir -m 700 "$tmp/data" "$tmp/run"
  # HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME stay as they are: Go keeps its build cache and settings there.
  # Not exec: the trap must still remove the temp dirs afterwards.
  status=0
  env -u DBUS_SESSION_BUS_ADDRESS APIDESK_KEYRING_INNER=1 \
    XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" \
    dbus-run-session -- "$BASH" "$0" "$@" || status=$?
  exit "$status"
fi

# Inner half: we are inside dbus-run-session, on a bus of our own.
unset APIDESK_KEYRING_INNER

# The daemon forks and keeps running after this returns; it prints its control socket, which we do
# not need. Its stderr goes to ours so a failure to start is visible.
printf %s "${APIDESK_KEYRING_PASSWORD:-PASS}" |
  gnome-keyring-daemon --unlock --components=secrets >/dev/null

has_owner() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
    grep -q 'boolean true'
}

# Wait at most ~10 s for the Secret Service to claim its name.
tries=0
until has_owner; do
  tries=$((tries + 1))
  if [ "$tries" -ge 100 ]; then
    echo "with-keyring: gnome-keyring-daemon did not register org.freedesktop.secrets within 10 s;" \
      "check that gnome-keyring is installed (bash scripts/deps.sh test) and see its messages above" >&2
    exit 1
  fi
  sleep 0.1
done

# The daemon's process ID, from the bus itself, so it is stopped by its own ID afterwards.
daemon_pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
  org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets |
  awk '/uint32/ { print $2 }')

stop_daemon() {
  [ -n "$daemon_pid" ] || return 0
  kill "$daemon_pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$daemon_pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$daemon_pid" 2>/dev/null || true
}
trap stop_daemon EXIT

export APIDESK_REAL_KEYRING=1
status=0
"$@" || status=$?
exit "$status"
