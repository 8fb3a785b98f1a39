package secret

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// KeyringBackend is the operating system's keychain through go-keyring. On Linux and the BSDs
// each call first checks that a D-Bus session bus exists (CheckSessionBus), so that godbus never
// starts dbus-launch, which would leave a dbus-daemon behind. Its errors wrap ErrNotFound or
// ErrUnavailable.
func KeyringBackend() Backend {
	return keyringBackend{checkBus: CheckSessionBus}
}

type keyringBackend struct {
	checkBus func() error
}

func (b keyringBackend) Get(service, user string) (string, error) {
	if err := b.checkBus(); err != nil {
		return "", err
	}
	v, err := keyring.Get(service, user)
	if err != nil {
		return "", keyringError(err)
	}
	return v, nil
}

func (b keyringBackend) Set(service, user, password string) error {
	if err := b.checkBus(); err != nil {
		return err
	}
	return keyringError(keyring.Set(service, user, password))
}

func (b keyringBackend) Delete(service, user string) error {
	if err := b.checkBus(); err != nil {
		return err
	}
	return keyringError(keyring.Delete(service, user))
}

// keyringError maps go-keyring's errors to ours. None of go-keyring's errors carry the value.
func keyringError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%w (%w)", ErrNotFound, err)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("the keychain refused the value as too large: %w", err)
	default:
		return unavailable(err)
	}
}
