package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"apidesk/engine/resource"
)

// ErrSecretNotFound is what a SecretStore returns (or wraps) when nothing is stored under a key.
var ErrSecretNotFound = errors.New("secret not found")

// SecretStore is the keychain as this package needs it. Values may be several kilobytes long (a JWT access
// token with its refresh and ID tokens): splitting them where the platform needs it is the store's job.
//
// Get returns an error matching ErrSecretNotFound when nothing is stored; Delete of a missing value is not an
// error. Every call should be bounded by ctx. Errors must not contain the value.
//
// This package keeps resource.SecretClientSecret and SecretOAuthToken. *secret.Store fits through an adapter that
// turns its secret.ErrNotFound into ErrSecretNotFound (engine/keychain has one).
type SecretStore interface {
	Get(ctx context.Context, resourceID string, kind resource.SecretKind) (string, error)
	Set(ctx context.Context, resourceID string, kind resource.SecretKind, value string) error
	Delete(ctx context.Context, resourceID string, kind resource.SecretKind) error
}

// Token is what a sign-in leaves in the keychain for one resource, stored as one JSON value.
type Token struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`  // zero: the server gave no lifetime
	Scopes       []string  `json:"scopes,omitempty"` // granted; the requested ones when the server did not say
	IDToken      string    `json:"id_token,omitempty"`
	Grant        string    `json:"grant,omitempty"`       // how the token was obtained (resource.Grant*)
	ClientID     string    `json:"client_id,omitempty"`   // the client it was issued to
	ClientAuth   string    `json:"client_auth,omitempty"` // how the client authenticated: resource.ClientAuthBasic or Body
	Obtained     time.Time `json:"obtained,omitzero"`
}

// Type is the token type as the Authorization header spells it: "Bearer" when the server named none.
func (t *Token) Type() string {
	o := oauth2.Token{TokenType: t.TokenType}
	return o.Type()
}

// fresh reports whether t can be used for at least another skew.
func (t *Token) fresh(now time.Time, skew time.Duration) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || now.Add(skew).Before(t.Expiry))
}

// expired reports whether the access token is past its expiry.
func (t *Token) expired(now time.Time) bool {
	return !t.Expiry.IsZero() && !now.Before(t.Expiry)
}

// tokenFrom turns a token endpoint answer into a Token. old is the token being refreshed, or nil: a server may
// leave out what did not change (refresh token, scopes, ID token).
func tokenFrom(ot *oauth2.Token, old *Token, requested []string, grant, clientID string, now time.Time) *Token {
	t := &Token{
		AccessToken:  ot.AccessToken,
		TokenType:    ot.TokenType,
		RefreshToken: ot.RefreshToken,
		Expiry:       ot.Expiry,
		Grant:        grant,
		ClientID:     clientID,
		Obtained:     now,
	}
	if s, ok := extraString(ot, "id_token"); ok {
		t.IDToken = s
	}
	if s, ok := extraString(ot, "scope"); ok {
		t.Scopes = splitScopes(s)
	}
	if old != nil {
		if t.RefreshToken == "" {
			t.RefreshToken = old.RefreshToken
		}
		if t.Scopes == nil {
			t.Scopes = old.Scopes
		}
		if t.IDToken == "" {
			t.IDToken = old.IDToken
		}
	}
	if t.Scopes == nil && len(requested) > 0 {
		t.Scopes = append([]string(nil), requested...) // RFC 6749 §5.1: scope may be left out when as requested
	}
	return t
}

func extraString(ot *oauth2.Token, key string) (string, bool) {
	switch v := ot.Extra(key).(type) {
	case nil:
		return "", false
	case string:
		return v, v != ""
	default: // a form-encoded answer's digits come back as a number
		s := fmt.Sprint(v)
		return s, s != ""
	}
}

// splitScopes splits a scope answer: space-separated per RFC 6749, comma-separated as GitHub sends it.
func splitScopes(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	if len(fields) == 0 {
		return []string{}
	}
	return fields
}

func (c *Client) loadToken(ctx context.Context, resourceID string) (*Token, error) {
	raw, err := c.Secrets.Get(ctx, resourceID, resource.SecretOAuthToken)
	if errors.Is(err, ErrSecretNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("could not read the sign-in from the keychain: %w", err)
	}
	var t Token
	if err := json.Unmarshal([]byte(raw), &t); err != nil || t.AccessToken == "" {
		// Not a secret leak: json errors name a position and a type, never the text.
		return nil, nil // unreadable: as good as signed out; a new sign-in overwrites it
	}
	return &t, nil
}

func (c *Client) saveToken(ctx context.Context, resourceID string, t *Token) error {
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("could not encode the tokens: %w", err)
	}
	if err := c.Secrets.Set(ctx, resourceID, resource.SecretOAuthToken, string(b)); err != nil {
		return fmt.Errorf("could not save the sign-in in the keychain: %w", err)
	}
	return nil
}

func (c *Client) deleteToken(ctx context.Context, resourceID string) error {
	err := c.Secrets.Delete(ctx, resourceID, resource.SecretOAuthToken)
	if err != nil && !errors.Is(err, ErrSecretNotFound) {
		return fmt.Errorf("could not delete the sign-in from the keychain: %w", err)
	}
	return nil
}

// clientSecret reads the resource's client secret; "" when none is stored.
func (c *Client) clientSecret(ctx context.Context, resourceID string) (string, error) {
	s, err := c.Secrets.Get(ctx, resourceID, resource.SecretClientSecret)
	if errors.Is(err, ErrSecretNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("could not read the client secret from the keychain: %w", err)
	}
	return s, nil
}
