//go:build linux

package keychaintest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

const (
	noBusChildEnv = "APIDESK_TEST_NO_BUS_CHILD"
	markerEnv     = "APIDESK_TEST_DBUS_LAUNCH_MARKER"
)

// Without a session bus, godbus would run dbus-launch and leave daemons behind. The Store must
// fail clearly instead and run nothing. The check runs in a fresh process (godbus keeps its
// connection for the life of a process), with a dbus-launch on PATH that records being run.
// It needs no keyring, so it always runs.
func TestNoSessionBus(t *testing.T) {
	runtimeDir := filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	for _, f := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(runtimeDir, f)); err == nil {
			t.Skipf("%s exists: godbus finds a session bus there without DBUS_SESSION_BUS_ADDRESS", filepath.Join(runtimeDir, f))
		}
	}
	dir := t.TempDir()
	marker := filepath.Join(dir, "dbus-launch-ran")
	fake := "#!/bin/sh\n: > \"$" + markerEnv + "\"\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "dbus-launch"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{noBusChildEnv + "=1", markerEnv + "=" + marker, "PATH=" + dir + ":" + os.Getenv("PATH")}
	var clean []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") {
			clean = append(clean, kv)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	child := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestNoSessionBusChild$", "-test.v", "-test.count=1")
	child.Env = append(clean, env...)
	out, err := child.CombinedOutput()
	t.Logf("TestNoSessionBusChild:\n%s", out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestNoSessionBusChild") {
		t.Fatalf("TestNoSessionBusChild did not pass: %v", err)
	}
}

func TestNoSessionBusChild(t *testing.T) {
	if os.Getenv(noBusChildEnv) != "1" {
		t.Skip("runs only inside TestNoSessionBus")
	}
	marker := os.Getenv(markerEnv)
	s := secret.New(secret.KeyringBackend(), secret.Options{})
	for _, call := range []func() error{
		func() error { _, err := s.Get(t.Context(), "r", resource.SecretPassword); return err },
		func() error { return s.Set(t.Context(), "r", resource.SecretPassword, "p") },
		func() error { return s.DeleteAll(t.Context(), "r") },
	} {
		err := call()
		if !errors.Is(err, secret.ErrUnavailable) || !strings.Contains(err.Error(), "no D-Bus session bus") {
			t.Fatalf("without a session bus: %v; want ErrUnavailable saying so", err)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("dbus-launch was run")
	}
	// The fake dbus-launch does catch what the check prevents: go-keyring alone runs it.
	_, _ = keyring.Get(secret.Service, "r/password")
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("go-keyring without the check did not run dbus-launch (%v); this test proves nothing", err)
	}
}
