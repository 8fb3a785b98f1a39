package oauth

import (
	"context"
	"fmt"

	"apidesk/engine/resource"
)

// OriginStore is what the SecretStore may be too: it keeps the origins a resource's saved secrets were stored
// for (resource.Origins). *secret.Store is one, and so is engine/keychain's adapter. With it, the refresh token
// and the client secret never go to a token URL on another origin than the one they were saved for, nor to a
// revocation URL while the token URL has moved: the call fails with an *resource.OriginChangedError (errors.Is
// resource.ErrOriginChanged) and sends nothing, until the person trusts the new address (secret.Store.Trust).
// A SecretStore that is not one is not checked.
type OriginStore interface {
	Origins(ctx context.Context, resourceID string) (resource.Origins, error)
	SetOrigins(ctx context.Context, resourceID string, o resource.Origins) error
}

// checkTokenOrigin returns an *resource.OriginChangedError when the saved refresh token or client secret of r
// may not go to target, a token URL as written (before its {{variables}} are filled in, as the origins are
// recorded).
func (c *Client) checkTokenOrigin(ctx context.Context, r *resource.Resource, target string) error {
	store, ok := c.Secrets.(OriginStore)
	if !ok {
		return nil
	}
	bound, err := store.Origins(ctx, r.ID)
	if err != nil {
		return fmt.Errorf("could not read from the keychain where the sign-in may be sent: %w", err)
	}
	if bound.Token == "" {
		// Trust on first use: secrets saved by an apidesk that recorded no origin are bound to the token URL
		// they are first sent with (nothing is recorded when there is no secret).
		bound.Token = r.Origins().Token
		if err := store.SetOrigins(ctx, r.ID, resource.Origins{Token: bound.Token}); err != nil {
			return fmt.Errorf("could not record in the keychain where the sign-in may be sent: %w", err)
		}
	}
	return resource.CheckOrigin(r, bound.Token, resource.OriginOf(target), true)
}

// bindSignIn records, after a sign-in saved new tokens, that they belong to the token URL they came from, and
// to the base URL when none is recorded yet. It is best effort: without the record, the next use binds them.
func (c *Client) bindSignIn(ctx context.Context, r *resource.Resource) {
	store, ok := c.Secrets.(OriginStore)
	if !ok {
		return
	}
	bound, err := store.Origins(ctx, r.ID)
	if err != nil {
		return
	}
	now := r.Origins()
	if bound.API != "" {
		now.API = ""
	}
	_ = store.SetOrigins(ctx, r.ID, now)
}
