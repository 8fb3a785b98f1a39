package runner

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// Placeholders stand for secrets in a Preview (for "Copy as cURL" and the cURL exporter). The OAuth 2.0 access
// token keeps its own placeholder, template.AccessTokenPlaceholder, which the runner substitutes when it is
// written in a header value or URL param.
const (
	PasswordPlaceholder    = "{-password-}"
	BearerTokenPlaceholder = "{-bearer_token-}"
	APIKeyPlaceholder      = "{-api_key-}"
)

// Secrets reads the secret parts of a resource's authentication from the keychain.
//
// Secret returns the value stored for the resource ID and kind (resource.SecretPassword, SecretBearerToken or
// SecretAPIKey), or "" with a nil error when none is stored. Any error means the keychain could not be read; the
// runner wraps it with %w, so callers can still match the store's own sentinels.
type Secrets interface {
	Secret(ctx context.Context, resourceID string, kind resource.SecretKind) (string, error)
}

// SecretsFunc adapts a function to Secrets, as http.HandlerFunc does for handlers. With package secret:
//
//	runner.SecretsFunc(func(ctx context.Context, id string, kind resource.SecretKind) (string, error) {
//		v, err := store.Get(ctx, id, kind)
//		if errors.Is(err, secret.ErrNotFound) {
//			return "", nil
//		}
//		return v, err
//	})
type SecretsFunc func(ctx context.Context, resourceID string, kind resource.SecretKind) (string, error)

// Secret calls f.
func (f SecretsFunc) Secret(ctx context.Context, resourceID string, kind resource.SecretKind) (string, error) {
	return f(ctx, resourceID, kind)
}

// Origins keeps, for each resource, the origins its saved secrets were stored for (resource.Origins). Package
// secret's Store is one; engine/keychain's RunnerSecrets is both Secrets and Origins.
//
// Origins returns the recorded ones, "" where none is; SetOrigins records the fields that are not "".
type Origins interface {
	Origins(ctx context.Context, resourceID string) (resource.Origins, error)
	SetOrigins(ctx context.Context, resourceID string, o resource.Origins) error
}

// TokenSource gives the OAuth 2.0 access token of a resource. Package oauth provides one.
type TokenSource interface {
	// AccessToken returns a valid access token for the resource, refreshing it if it is about to expire.
	AccessToken(ctx context.Context, r *resource.Resource) (string, error)
	// Refresh is called once after a 401 with the token that was rejected; it returns a new one or an error.
	Refresh(ctx context.Context, r *resource.Resource, rejected string) (string, error)
}

// notSignedIn is the error for a request that needs an OAuth 2.0 access token when there is no way to get one (no
// TokenSource, or one that gave none). It matches resource.ErrNotSignedIn, which a TokenSource may wrap too.
func notSignedIn(res *resource.Resource) error {
	return fmt.Errorf("%w to %s: sign in first (apidesk-cli login %s)", resource.ErrNotSignedIn, res.Name, shellWord(res.Name))
}

// shellWord quotes s for bash when it needs quoting.
func shellWord(s string) string {
	q, _ := syntax.Quote(s, syntax.LangBash) // "" only for a NUL, which no shell word can hold
	return cmp.Or(q, strconv.Quote(s))
}

// credentials reads the secrets and token a plan needs. In preview mode it gives placeholders instead and
// never touches the keychain or the token source.
type credentials struct {
	ctx     context.Context
	res     *resource.Resource
	secrets Secrets
	tokens  TokenSource
	origins Origins
	preview bool
	dir     string // where relative body file paths are (Runner.Dir)
	checked bool   // the base URL may have the resource's saved secrets (checkOrigin)
	// apiOrigin is the origin of the base URL as the request is sent, its {{variables}} filled in; "": the
	// resource's base URL as written.
	apiOrigin string
	token     string    // the access token, once fetched (or given for a retry)
	sent      *[]string // every secret value read, for masking errors; nil keeps none
}

// keep remembers a secret value the request carries, so that no error repeats it.
func (c *credentials) keep(v string) {
	if c.sent != nil && v != "" {
		*c.sent = append(*c.sent, v)
	}
}

func (c *credentials) secret(kind resource.SecretKind, required bool) (string, error) {
	if c.preview {
		switch kind {
		case resource.SecretPassword:
			return PasswordPlaceholder, nil
		case resource.SecretBearerToken:
			return BearerTokenPlaceholder, nil
		default:
			return APIKeyPlaceholder, nil
		}
	}
	label := kind.Words()
	if err := c.checkOrigin(); err != nil {
		return "", err
	}
	if c.secrets == nil {
		return "", fmt.Errorf("cannot read the %s of %s: apidesk was started without access to the keychain", label, c.res.Name)
	}
	v, err := c.secrets.Secret(c.ctx, c.res.ID, kind)
	if err != nil {
		return "", fmt.Errorf("cannot read the %s of %s from the keychain: %w", label, c.res.Name, err)
	}
	if v == "" && required {
		return "", fmt.Errorf("%s has no %s saved: enter it in the resource's settings", c.res.Name, label)
	}
	c.keep(v)
	return v, nil
}

func (c *credentials) accessToken() (string, error) {
	if c.preview {
		return template.AccessTokenPlaceholder, nil
	}
	if c.token != "" {
		return c.token, nil
	}
	if err := c.checkOrigin(); err != nil {
		return "", err
	}
	if c.tokens == nil {
		return "", notSignedIn(c.res)
	}
	tok, err := c.tokens.AccessToken(c.ctx, c.res)
	if err != nil {
		return "", fmt.Errorf("cannot get an access token for %s: %w", c.res.Name, err)
	}
	if tok == "" {
		return "", notSignedIn(c.res)
	}
	c.token = tok
	c.keep(tok)
	return tok, nil
}

// checkOrigin makes sure, before the first secret is read, that the resource's saved secrets may go to its base
// URL: the origin they were saved for, or the same host upgraded to https. Otherwise the request is not sent
// and the error is an *resource.OriginChangedError. A given access token (a retry) was checked with the first.
func (c *credentials) checkOrigin() error {
	if c.preview || c.checked || c.origins == nil {
		return nil
	}
	now := cmp.Or(c.apiOrigin, c.res.Origins().API)
	bound, err := c.origins.Origins(c.ctx, c.res.ID)
	if err != nil {
		return fmt.Errorf("cannot read from the keychain where the secrets of %s may be sent: %w", c.res.Name, err)
	}
	if strings.Contains(bound.API, "{{") {
		now = c.res.Origins().API // saved for an address with a {{variable}} in its host, and compared as written
	}
	if bound.API == "" {
		// Trust on first use: secrets saved by an apidesk that recorded no origin are bound to the address they
		// are first sent to (nothing is recorded when there is no secret).
		if err := c.origins.SetOrigins(c.ctx, c.res.ID, resource.Origins{API: now}); err != nil {
			return fmt.Errorf("cannot record in the keychain where the secrets of %s may be sent: %w", c.res.Name, err)
		}
	} else if err := resource.CheckOrigin(c.res, bound.API, now, false); err != nil {
		return err
	}
	c.checked = true
	return nil
}
