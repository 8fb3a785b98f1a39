// Package keychain hands the secret store to the engine packages that read secrets, in the shape each one
// declares: runner.Secrets for a resource's password, bearer token or API key, and oauth.SecretStore for client
// secrets and tokens. Both mains (the window and apidesk-cli) wire the engine through it, so they read the
// keychain the same way.
package keychain

import (
	"context"
	"errors"
	"fmt"

	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
)

// RunnerSecrets gives the runner a resource's secrets: one that is not stored is "" (the runner says what is
// missing and how to add it); any other failure is the keychain's own error. It is a runner.Origins too: the
// runner sends no saved secret to another origin than the one it was saved for.
func RunnerSecrets(s *secret.Store) runner.Secrets {
	return runnerSecrets{s}
}

type runnerSecrets struct{ *secret.Store }

var _ runner.Origins = runnerSecrets{}

func (s runnerSecrets) Secret(ctx context.Context, id string, kind resource.SecretKind) (string, error) {
	v, err := s.Get(ctx, id, kind)
	if errors.Is(err, secret.ErrNotFound) {
		return "", nil
	}
	return v, err
}

// OAuth adapts the store to oauth.SecretStore. Set and Delete are the store's own.
type OAuth struct{ *secret.Store }

var _ oauth.SecretStore = OAuth{}

// Get returns the secret, or an error matching oauth.ErrSecretNotFound when none is stored.
func (o OAuth) Get(ctx context.Context, id string, kind resource.SecretKind) (string, error) {
	v, err := o.Store.Get(ctx, id, kind)
	if errors.Is(err, secret.ErrNotFound) {
		return "", fmt.Errorf("%w: %w", oauth.ErrSecretNotFound, err)
	}
	return v, err
}
