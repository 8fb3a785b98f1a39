//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package secret

import (
	"fmt"
	"runtime"
)

// CheckSessionBus returns nil: only the Secret Service (Linux and the BSDs) needs a D-Bus
// session bus.
func CheckSessionBus() error { return nil }

// unavailable wraps a keychain failure in ErrUnavailable with what to do about it.
func unavailable(err error) error {
	return fmt.Errorf("%w: the keychain failed; %s (%w)", ErrUnavailable, unlockHint(runtime.GOOS), err)
}
