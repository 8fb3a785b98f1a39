package secret

import "github.com/zalando/go-keyring"

// MockBackend is go-keyring's in-memory keychain (keyring.MockInit), for fast unit tests of packages that use a
// Store. MockInit replaces go-keyring's provider for the rest of the process, so a test binary that calls this
// must not also use the real keychain. It skips KeyringBackend's D-Bus session check, which the mock does not need.
func MockBackend() Backend {
	keyring.MockInit()
	return keyringBackend{checkBus: func() error { return nil }}
}
