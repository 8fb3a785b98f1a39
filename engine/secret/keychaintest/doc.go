// Package keychaintest holds the integration tests of package secret against a real Secret
// Service (gnome-keyring) through the real go-keyring. They live apart from package secret's unit
// tests because those replace go-keyring's provider with its mock for the rest of the process.
//
// They run only with APIDESK_REAL_KEYRING=1, and then must pass. scripts/with-keyring.sh sets it
// and provides a private, throwaway keyring:
//
//	scripts/with-keyring.sh go test ./engine/secret/...
package keychaintest
