package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"apidesk/engine/resource"
)

// Defaults for the zero fields of a Client.
const (
	DefaultRefreshBefore  = 60 * time.Second // refresh this long before the access token expires
	DefaultRequestTimeout = 30 * time.Second // one request to the token, device or revocation endpoint
	DefaultSignInTimeout  = 5 * time.Minute  // waiting for the browser
)

// Client signs people in to resources and hands out their access tokens. Its methods are safe for concurrent
// use. It satisfies the runner's TokenSource (AccessToken and Refresh). The zero value is not usable: Secrets
// is required.
type Client struct {
	// Secrets is the keychain: tokens and client secrets live there and nowhere else.
	Secrets SecretStore

	// HTTPClient makes every request (token, discovery, revocation, login test); nil uses a plain
	// http.Client with the environment's proxy. Its Timeout should be zero: each call is bounded by
	// RequestTimeout and its context.
	HTTPClient *http.Client

	// HTTPClientFor, when set, gives the HTTP client of a resource's own requests, with its proxy and TLS
	// settings (runner.Runner.HTTPClient). The token, device, revocation, discovery and login test requests
	// made for that resource then go through it rather than HTTPClient: the same way as the API's requests.
	// It is asked only when a request is about to be made; its error is the request's.
	HTTPClientFor func(ctx context.Context, r *resource.Resource) (*http.Client, error)

	// LockDir holds the lock files that let one process at a time refresh a resource's tokens; "" uses
	// os.UserCacheDir()/apidesk/locks.
	LockDir string

	// RefreshBefore is how long before expiry an access token is refreshed; 0 means DefaultRefreshBefore.
	RefreshBefore time.Duration

	// RequestTimeout bounds one request to the authorization server; 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration

	// Wait is how the device flow waits between polls; nil sleeps d (or until ctx is done). Tests pass a
	// function that records d and sleeps less.
	Wait func(ctx context.Context, d time.Duration) error

	// OnUnsaved is told when the provider issued tokens that could not be saved in the keychain (it is locked,
	// or its unlock prompt was cancelled). The tokens are kept in this process and saved again on the next use,
	// so nothing is lost until the program exits; the person should be told, since a rotated refresh token that
	// is never saved ends the sign-in with the program. It is called on the refreshing goroutine; err is an
	// *UnsavedError. nil: nobody is told.
	OnUnsaved func(resourceID string, err error)

	mu      sync.Mutex
	cache   map[string]*Token        // resource ID → last token seen (in this process)
	unsaved map[string]*Token        // resource ID → tokens issued but not yet in the keychain
	retried map[string]time.Time     // resource ID → when saving its unsaved tokens was last started
	gates   map[string]chan struct{} // resource ID → one refresher at a time (in this process)
}

// resourceKey carries, in a context, the resource whose requests a call makes (see forResource).
type resourceKey struct{}

// forResource returns ctx noting that its requests are made for r, so that httpClient uses r's client.
func forResource(ctx context.Context, r *resource.Resource) context.Context {
	return context.WithValue(ctx, resourceKey{}, r)
}

// httpClient returns the client a request made in ctx goes through: the resource's (HTTPClientFor), else
// HTTPClient, else a plain client with the environment's proxy.
func (c *Client) httpClient(ctx context.Context) (*http.Client, error) {
	if r, ok := ctx.Value(resourceKey{}).(*resource.Resource); ok && c.HTTPClientFor != nil {
		return c.HTTPClientFor(ctx, r)
	}
	if c.HTTPClient != nil {
		return c.HTTPClient, nil
	}
	return &http.Client{Transport: http.DefaultTransport}, nil
}

func (c *Client) skew() time.Duration {
	if c.RefreshBefore > 0 {
		return c.RefreshBefore
	}
	return DefaultRefreshBefore
}

func (c *Client) requestTimeout() time.Duration {
	if c.RequestTimeout > 0 {
		return c.RequestTimeout
	}
	return DefaultRequestTimeout
}

func (c *Client) wait(ctx context.Context, d time.Duration) error {
	if c.Wait != nil {
		return c.Wait(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) cached(id string) *Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cache[id]
}

// remember caches t as the resource's token (nil: forget it). Tokens waiting to be saved are forgotten too:
// t replaces them (a new sign-in) or the sign-in has ended.
func (c *Client) remember(id string, t *Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil {
		c.cache = make(map[string]*Token)
	}
	delete(c.unsaved, id)
	if t == nil {
		delete(c.cache, id)
		return
	}
	c.cache[id] = t
}

// keepUnsaved remembers tokens the keychain refused, so they are used and saved again later.
func (c *Client) keepUnsaved(id string, t *Token) {
	c.remember(id, t)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.unsaved == nil {
		c.unsaved = make(map[string]*Token)
	}
	c.unsaved[id] = t
}

func (c *Client) unsavedToken(id string) *Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.unsaved[id]
}

// store saves tokens the provider has just issued. The save is not cancelled by ctx (the person pressing
// Cancel, or a request's deadline): the provider may have retired the old refresh token, so these are the
// only ones that work. When the keychain still refuses, the tokens are kept in memory, OnUnsaved is told, and
// the *UnsavedError is returned; the tokens are usable all the same.
func (c *Client) store(ctx context.Context, id string, t *Token) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.requestTimeout())
	defer cancel()
	if err := c.saveToken(sctx, id, t); err != nil {
		return c.notSaved(id, t, err)
	}
	c.remember(id, t)
	return nil
}

// notSaved keeps tokens that could not be saved, tells OnUnsaved and returns the *UnsavedError.
func (c *Client) notSaved(id string, t *Token, err error) error {
	c.keepUnsaved(id, t)
	ue := &UnsavedError{Err: err}
	if c.OnUnsaved != nil {
		c.OnUnsaved(id, ue)
	}
	return ue
}

// retrySaveEvery spaces the attempts to save tokens the keychain refused.
const retrySaveEvery = 30 * time.Second

// retrySave tries again, in the background and at most every retrySaveEvery, to save tokens the keychain
// refused, so they outlive the program even if no refresh comes before it exits.
func (c *Client) retrySave(id string, now time.Time) {
	c.mu.Lock()
	t := c.unsaved[id]
	if t == nil || now.Sub(c.retried[id]) < retrySaveEvery {
		c.mu.Unlock()
		return
	}
	if c.retried == nil {
		c.retried = make(map[string]time.Time)
	}
	c.retried[id] = now
	c.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), c.requestTimeout())
		defer cancel()
		if c.saveToken(ctx, id, t) == nil {
			c.mu.Lock()
			if c.unsaved[id] == t {
				delete(c.unsaved, id)
			}
			c.mu.Unlock()
		}
	}()
}

// current returns the resource's tokens: those waiting to be saved, which are newer than the keychain's (and
// saved now if the keychain takes them), else the keychain's.
func (c *Client) current(ctx context.Context, id string) (*Token, error) {
	t := c.unsavedToken(id)
	if t == nil {
		return c.loadToken(ctx, id)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.requestTimeout())
	defer cancel()
	if err := c.saveToken(sctx, id, t); err == nil {
		c.mu.Lock()
		if c.unsaved[id] == t {
			delete(c.unsaved, id)
		}
		c.mu.Unlock()
	}
	return t, nil
}

// gate returns the channel that lets one goroutine at a time refresh resource id.
func (c *Client) gate(id string) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gates == nil {
		c.gates = make(map[string]chan struct{})
	}
	g, ok := c.gates[id]
	if !ok {
		g = make(chan struct{}, 1)
		c.gates[id] = g
	}
	return g
}

// oauth2Of returns the resource's OAuth 2.0 configuration, or ErrNotOAuth.
func oauth2Of(r *resource.Resource) (*resource.OAuth2, error) {
	if r == nil || r.Auth.Kind != resource.AuthOAuth2 {
		return nil, ErrNotOAuth
	}
	return &r.Auth.OAuth2, nil
}

func grantOf(o *resource.OAuth2) string {
	if o.Grant == "" {
		return resource.GrantAuthorizationCode
	}
	return o.Grant
}

// AccessToken returns the resource's current access token, refreshing it first when it expires within
// RefreshBefore. A client credentials resource gets a token without any sign-in. Without a usable token the
// error matches ErrNotSignedIn.
func (c *Client) AccessToken(ctx context.Context, r *resource.Resource) (string, error) {
	ctx = forResource(ctx, r)
	o, err := oauth2Of(r)
	if err != nil {
		return "", err
	}
	now := time.Now()
	if t := c.cached(r.ID); t.fresh(now, c.skew()) && t.ClientID == o.ClientID {
		c.retrySave(r.ID, now)
		return t.AccessToken, nil
	}
	t, err := c.current(ctx, r.ID)
	if err != nil {
		return "", err
	}
	if t != nil && t.ClientID != "" && t.ClientID != o.ClientID {
		return "", &SignInNeededError{Reason: "the client ID changed since you signed in: sign in again"}
	}
	if t.fresh(now, c.skew()) {
		c.remember(r.ID, t)
		return t.AccessToken, nil
	}
	stale := ""
	if t != nil {
		stale = t.AccessToken
	}
	t, err = c.renew(ctx, r, stale, false)
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// Refresh is called after the API answered 401 to the access token rejected. If the stored token already
// differs from rejected, another request (or process) refreshed it and that token is returned; otherwise the
// token is refreshed now, even if its expiry says it is still good.
func (c *Client) Refresh(ctx context.Context, r *resource.Resource, rejected string) (string, error) {
	ctx = forResource(ctx, r)
	if _, err := oauth2Of(r); err != nil {
		return "", err
	}
	t, err := c.renew(ctx, r, rejected, true)
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// renew gets a new token for a resource whose token stale is expiring, or was rejected by the API when
// rejected is true ("" when there is none). One goroutine per resource and one process per resource do it at
// a time; the others then find the new token in the keychain and use it.
func (c *Client) renew(ctx context.Context, r *resource.Resource, stale string, rejected bool) (*Token, error) {
	o := &r.Auth.OAuth2
	g := c.gate(r.ID)
	select {
	case g <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-g }()

	// Another goroutine of this process may have refreshed while this one waited.
	if t := c.cached(r.ID); t != nil && t.AccessToken != stale && t.fresh(time.Now(), c.skew()) {
		return t, nil
	}

	unlock, err := c.lockFile(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	defer unlock()

	// Another process may have refreshed: the keychain is the truth, unless it refused this process's newer
	// tokens.
	t, err := c.current(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if t != nil && t.AccessToken != stale && t.fresh(now, c.skew()) {
		c.remember(r.ID, t)
		return t, nil
	}

	switch {
	case t != nil && t.RefreshToken != "":
		nt, err := c.refreshGrant(ctx, r, t)
		if err == nil {
			return nt, nil
		}
		var ue *UnsavedError
		if errors.As(err, &ue) {
			return nt, nil // usable; kept in memory and OnUnsaved was told
		}
		var se *ServerError
		if errors.As(err, &se) && se.deadGrant() {
			// The refresh token is dead (expired, revoked, reused): the person must sign in again.
			c.remember(r.ID, nil)
			if derr := c.deleteToken(ctx, r.ID); derr != nil {
				return nil, errors.Join(&SignInNeededError{Reason: "signed out — sign in again", Err: se}, derr)
			}
			return nil, &SignInNeededError{Reason: "signed out — sign in again", Err: se}
		}
		if !(rejected && t.AccessToken == stale) && !t.expired(now) {
			return t, nil // the server cannot be reached for now, but the token has a little time left
		}
		if se != nil || errors.Is(err, ErrNeedsClientSecret) {
			// A proxy's 407, a mistyped token URL's 404, a rotated client secret's invalid_client: the tokens
			// may well be good, so they are kept until the person fixes what the server said.
			return nil, fmt.Errorf("The sign-in could not be renewed, and it is kept: %w", err)
		}
		return nil, err
	case grantOf(o) == resource.GrantClientCredentials:
		learned := ""
		if t != nil {
			learned = t.ClientAuth
		}
		nt, err := c.clientCredentials(ctx, r, learned)
		if err != nil {
			return nil, err
		}
		if err := c.store(ctx, r.ID, nt); err != nil {
			// Usable, and a client credentials token can be had again: no need to fail the request.
			var ue *UnsavedError
			if !errors.As(err, &ue) {
				return nil, err
			}
		}
		return nt, nil
	case t == nil:
		return nil, &SignInNeededError{Reason: "not signed in: sign in to this resource first"}
	case rejected:
		return nil, &SignInNeededError{Reason: "the API no longer accepts the access token and the provider gave no refresh token: sign in again"}
	default:
		return nil, &SignInNeededError{Reason: "the sign-in expired and the provider gave no refresh token: sign in again"}
	}
}

// refreshGrant trades t's refresh token for new tokens and saves them (RFC 6749 §6). Callers hold the locks.
func (c *Client) refreshGrant(ctx context.Context, r *resource.Resource, t *Token) (*Token, error) {
	o := &r.Auth.OAuth2
	if err := c.checkTokenOrigin(ctx, r, o.TokenURL); err != nil {
		return nil, err
	}
	secret, err := c.requiredSecret(ctx, r)
	if err != nil {
		return nil, err
	}
	params := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {t.RefreshToken}}
	// Once the request is sent, the provider may retire the old refresh token (rotation): the answer must be
	// read and saved even when the caller gives up, so neither is cancelled by ctx; both have their own bound.
	xctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.requestTimeout())
	defer cancel()
	ot, style, err := c.grantRequest(xctx, o, secret, params, authStyle(o, secret, t.ClientAuth))
	if err != nil {
		return nil, err
	}
	nt := tokenFrom(ot, t, t.Scopes, t.Grant, o.ClientID, time.Now())
	nt.ClientAuth = style
	if err := c.store(ctx, r.ID, nt); err != nil {
		return nt, err
	}
	return nt, nil
}

// clientCredentials gets a token for a machine-to-machine resource (RFC 6749 §4.4).
func (c *Client) clientCredentials(ctx context.Context, r *resource.Resource, learned string) (*Token, error) {
	o := &r.Auth.OAuth2
	if err := c.checkTokenOrigin(ctx, r, o.TokenURL); err != nil {
		return nil, err
	}
	secret, err := c.clientSecret(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if secret == "" {
		return nil, ErrNeedsClientSecret
	}
	params := url.Values{"grant_type": {"client_credentials"}}
	if len(o.Scopes) > 0 {
		params.Set("scope", strings.Join(o.Scopes, " "))
	}
	ot, style, err := c.grantRequest(ctx, o, secret, params, authStyle(o, secret, learned))
	if err != nil {
		return nil, err
	}
	t := tokenFrom(ot, nil, o.Scopes, resource.GrantClientCredentials, o.ClientID, time.Now())
	t.ClientAuth = style
	return t, nil
}

// replaceToken saves the tokens of a new sign-in, holding the refresh locks so that a refresh running at the
// same time (of the old sign-in) cannot overwrite them.
func (c *Client) replaceToken(ctx context.Context, resourceID string, t *Token) error {
	// The provider has issued these tokens: a Cancel pressed now must not lose them.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.requestTimeout())
	defer cancel()
	g := c.gate(resourceID)
	select {
	case g <- struct{}{}:
	case <-ctx.Done():
		return c.notSaved(resourceID, t, errors.New("another sign-in or refresh of this resource did not finish"))
	}
	defer func() { <-g }()
	unlock, err := c.lockFile(ctx, resourceID)
	if err != nil {
		return c.notSaved(resourceID, t, err)
	}
	defer unlock()
	return c.store(ctx, resourceID, t)
}

// requiredSecret reads the client secret, and fails with ErrNeedsClientSecret when the resource says its
// client authenticates (basic or body) and the secret is not in the keychain.
func (c *Client) requiredSecret(ctx context.Context, r *resource.Resource) (string, error) {
	secret, err := c.clientSecret(ctx, r.ID)
	if err != nil {
		return "", err
	}
	switch r.Auth.OAuth2.ClientAuth {
	case resource.ClientAuthBasic, resource.ClientAuthBody:
		if secret == "" {
			return "", ErrNeedsClientSecret
		}
	}
	return secret, nil
}

func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	return u.Host
}
