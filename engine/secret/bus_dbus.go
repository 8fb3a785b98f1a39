//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package secret

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godbus/dbus/v5"
)

// CheckSessionBus reports whether the Secret Service can be reached without starting a bus: it
// returns nil when godbus will find a D-Bus session bus by itself, and otherwise an error wrapping
// ErrUnavailable that says what to do. Left alone, godbus would run dbus-launch and leave a
// dbus-daemon (and a gnome-keyring-daemon) running for every process.
//
// It looks where godbus v5 looks, in its order: DBUS_SESSION_BUS_ADDRESS (other than
// "autolaunch:"), then /run/user/UID/bus, then /run/user/UID/dbus-session. godbus does not read
// XDG_RUNTIME_DIR, so neither does this check.
func CheckSessionBus() error {
	return checkSessionBus(os.Getenv("DBUS_SESSION_BUS_ADDRESS"), filepath.Join("/run/user", strconv.Itoa(os.Getuid())))
}

func checkSessionBus(address, runtimeDir string) error {
	if address != "" && address != "autolaunch:" {
		return nil
	}
	if _, err := os.Stat(filepath.Join(runtimeDir, "bus")); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if b, err := os.ReadFile(filepath.Join(runtimeDir, "dbus-session")); err == nil &&
		strings.HasPrefix(string(b), "DBUS_SESSION_BUS_ADDRESS=") {
		return nil
	}
	return fmt.Errorf("%w: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and %s does not exist),"+
		" so the keyring cannot be reached; run apidesk inside your desktop session, or start one for it with"+
		" `dbus-run-session -- apidesk-cli ...` and a keyring daemon such as gnome-keyring", ErrUnavailable, filepath.Join(runtimeDir, "bus"))
}

// D-Bus error names that mean nobody provides the Secret Service, or it does not answer.
const (
	dbusServiceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown"
	dbusNameHasNoOwner = "org.freedesktop.DBus.Error.NameHasNoOwner"
	dbusNoReply        = "org.freedesktop.DBus.Error.NoReply"
	dbusTimeout        = "org.freedesktop.DBus.Error.Timeout"
	dbusTimedOut       = "org.freedesktop.DBus.Error.TimedOut"
)

// unavailable wraps a Secret Service failure in ErrUnavailable with what to do about it.
func unavailable(err error) error {
	hint := "the Secret Service failed; check that your keyring (gnome-keyring or KeePassXC) is running and unlocked, then try again"
	switch dbusErrorName(err) {
	case dbusServiceUnknown, dbusNameHasNoOwner:
		hint = "no Secret Service is running on your session bus; install and start gnome-keyring" +
			" (or turn on KeePassXC's Secret Service integration), then try again"
	case dbusNoReply, dbusTimeout, dbusTimedOut:
		hint = "the Secret Service did not answer; if your desktop asks to unlock your keyring, unlock it," +
			" otherwise restart your keyring (gnome-keyring or KeePassXC), then try again"
	}
	// go-keyring's Unlock reports a prompt that was dismissed, or could not be shown at all (as
	// gnome-keyring does when its prompter cannot open a window), with this message.
	if strings.Contains(err.Error(), "failed to unlock") {
		hint = "your keyring is locked and was not unlocked (the unlock prompt was dismissed or could not be shown);" +
			" unlock the login keyring (for example in Passwords and Keys), then try again"
	}
	return fmt.Errorf("%w: %s (%w)", ErrUnavailable, hint, err)
}

func dbusErrorName(err error) string {
	var v dbus.Error
	if errors.As(err, &v) {
		return v.Name
	}
	var p *dbus.Error
	if errors.As(err, &p) {
		return p.Name
	}
	return ""
}
