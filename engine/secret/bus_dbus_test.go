//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

func TestCheckSessionBus(t *testing.T) {
	cases := []struct {
		name    string
		address string
		files   map[string]string // in the runtime dir
		ok      bool
	}{
		{"address set", "unix:path=/run/user/1000/bus", nil, true},
		{"nothing", "", nil, false},
		{"autolaunch address", "autolaunch:", nil, false},
		{"bus socket in the runtime dir", "", map[string]string{"bus": ""}, true},
		{"dbus-session file", "", map[string]string{"dbus-session": "DBUS_SESSION_BUS_ADDRESS=unix:abstract=/tmp/x\n"}, true},
		{"unrelated dbus-session file", "", map[string]string{"dbus-session": "junk"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range c.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := checkSessionBus(c.address, dir)
			if c.ok && err != nil {
				t.Fatalf("checkSessionBus = %v, want nil", err)
			}
			if !c.ok && (!errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "dbus-run-session")) {
				t.Fatalf("checkSessionBus = %v, want ErrUnavailable saying what to do", err)
			}
		})
	}
}

func TestUnavailableHints(t *testing.T) {
	cases := []struct {
		err  error
		hint string
	}{
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"), "keyring is locked"},
		{dbus.Error{Name: dbusServiceUnknown, Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, "no Secret Service is running"},
		{&dbus.Error{Name: dbusNoReply}, "did not answer"},
		{errors.New("something else"), "Secret Service failed"},
	}
	for _, c := range cases {
		err := unavailable(c.err)
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), c.err.Error()) || !strings.Contains(err.Error(), c.hint) {
			t.Errorf("unavailable(%v) = %v; want ErrUnavailable saying %q", c.err, err, c.hint)
		}
	}
}
