package oauthpeer

import (
	"time"
)

// Token endpoint authentication methods a Client can require (RFC 7591 names).
const (
	AuthBasic = "client_secret_basic" // HTTP Basic with client id and secret
	AuthPost  = "client_secret_post"  // client_id and client_secret in the form body
	AuthNone  = "none"                // public client: client_id only, PKCE instead of a secret
)

// Grant types, as sent in grant_type.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
)

// The clients every server has. Tests may add their own with WithClient, or
// replace one of these by registering a Client with the same ID.
const (
	// BasicClientID is a confidential client that must authenticate with HTTP Basic.
	BasicClientID     = "basic-client"
	BasicClientSecret = "basic-client-secret-4f1c9a"

	// PostClientID is a confidential client that must send its secret in the form body.
	PostClientID     = "post-client"
	PostClientSecret = "post-client-secret-7b2e5d"

	// PublicClientID is a public client (no secret) that must use PKCE S256.
	PublicClientID = "public-client"
)

// Client describes an OAuth client registered at the server.
//
// Zero fields take defaults: RedirectURIs are http://127.0.0.1/callback,
// http://127.0.0.1/ and http://127.0.0.1 (any port matches, RFC 8252 §7.3; note
// that fosite matches the path exactly, and only IP literals on any port, not
// "localhost"), Scopes are DefaultScopes, GrantTypes are authorization code,
// refresh token and device code, plus client credentials for a confidential
// client, and AuthMethod is AuthBasic with a Secret and AuthNone without one.
type Client struct {
	ID           string
	Secret       string // empty makes a public client
	AuthMethod   string // AuthBasic, AuthPost or AuthNone
	RedirectURIs []string
	Scopes       []string
	GrantTypes   []string
	Audience     []string // values the client may ask for with the audience parameter
}

// DefaultScopes returns the scopes a Client gets when it names none.
func DefaultScopes() []string {
	return []string{"openid", "offline_access", "offline", "profile", "email", "read", "write"}
}

func (c Client) withDefaults() Client {
	if len(c.RedirectURIs) == 0 {
		c.RedirectURIs = []string{"http://127.0.0.1/callback", "http://127.0.0.1/", "http://127.0.0.1"}
	}
	if len(c.Scopes) == 0 {
		c.Scopes = DefaultScopes()
	}
	if len(c.GrantTypes) == 0 {
		c.GrantTypes = []string{GrantAuthorizationCode, GrantRefreshToken, GrantDeviceCode}
		if c.Secret != "" {
			c.GrantTypes = append(c.GrantTypes, GrantClientCredentials)
		}
	}
	if c.AuthMethod == "" {
		c.AuthMethod = AuthBasic
		if c.Secret == "" {
			c.AuthMethod = AuthNone
		}
	}
	return c
}

// Quirk makes successful and failed token responses non-standard, the way some
// real providers answer. Quirks combine with |.
type Quirk uint

const (
	// QuirkFormEncoded answers application/x-www-form-urlencoded instead of
	// JSON, as GitHub does unless asked for JSON.
	QuirkFormEncoded Quirk = 1 << iota
	// QuirkExpiresInString sends expires_in as a JSON string ("3600").
	QuirkExpiresInString
	// QuirkNoTokenType leaves out token_type.
	QuirkNoTokenType
	// QuirkErrorStatus200 answers token errors with 200 OK and the error in
	// the body, as GitHub does.
	QuirkErrorStatus200
)

// Option configures a Server at Start.
type Option func(*settings)

type settings struct {
	clients              []Client
	accessTokenLifespan  time.Duration
	refreshTokenLifespan time.Duration
	refreshTokenScopes   []string
	jwtAccessTokens      bool
	jwtMinSize           int
	tls                  bool
	quirks               Quirk
	subject              string
	pkceForAll           bool
	deviceInterval       time.Duration
	deviceCodeLifespan   time.Duration
	deviceSlowDownStep   time.Duration
	noOpenIDConfig       bool
	noASMetadata         bool
}

func defaultSettings() settings {
	return settings{
		clients: []Client{
			{ID: BasicClientID, Secret: BasicClientSecret, AuthMethod: AuthBasic},
			{ID: PostClientID, Secret: PostClientSecret, AuthMethod: AuthPost},
			{ID: PublicClientID, AuthMethod: AuthNone},
		},
		accessTokenLifespan:  time.Hour,
		refreshTokenLifespan: 30 * 24 * time.Hour,
		refreshTokenScopes:   []string{},
		subject:              "test-user",
		deviceInterval:       time.Second,
		deviceCodeLifespan:   10 * time.Minute,
		deviceSlowDownStep:   5 * time.Second,
	}
}

// WithClient registers a client, replacing a default one with the same ID.
func WithClient(c Client) Option {
	return func(s *settings) { s.clients = append(s.clients, c.withDefaults()) }
}

// WithAccessTokenLifespan sets how long new access tokens live (default one
// hour). See also Server.SetAccessTokenLifespan and Server.ExpireAccessTokens.
func WithAccessTokenLifespan(d time.Duration) Option {
	return func(s *settings) { s.accessTokenLifespan = d }
}

// WithRefreshTokenLifespan sets how long new refresh tokens live (default 30
// days); a negative value makes them never expire.
func WithRefreshTokenLifespan(d time.Duration) Option {
	return func(s *settings) { s.refreshTokenLifespan = d }
}

// WithRefreshTokenScopes issues refresh tokens only when one of scopes was
// granted, as providers that want offline_access do. By default every client
// allowed the refresh_token grant gets a refresh token.
func WithRefreshTokenScopes(scopes ...string) Option {
	return func(s *settings) { s.refreshTokenScopes = scopes }
}

// WithJWTAccessTokens issues RS256-signed JWT access tokens instead of opaque
// HMAC ones. When minSize > 0 a padding claim makes every access token at
// least minSize bytes long, to test storing 4–8 KB tokens.
func WithJWTAccessTokens(minSize int) Option {
	return func(s *settings) { s.jwtAccessTokens, s.jwtMinSize = true, minSize }
}

// WithTLS serves HTTPS with httptest's self-signed certificate; use
// Server.HTTPClient, which trusts it.
func WithTLS() Option {
	return func(s *settings) { s.tls = true }
}

// WithQuirks starts the server answering token requests with quirks q.
func WithQuirks(q Quirk) Option {
	return func(s *settings) { s.quirks = q }
}

// WithSubject names the test user who signs in and consents (default "test-user").
func WithSubject(sub string) Option {
	return func(s *settings) { s.subject = sub }
}

// WithPKCERequired makes every client, confidential ones too, use PKCE.
// Public clients always must.
func WithPKCERequired() Option {
	return func(s *settings) { s.pkceForAll = true }
}

// WithDeviceInterval sets the polling interval the device authorization
// endpoint announces (default 1s, rounded up to whole seconds). The token
// endpoint answers slow_down to a client that polls faster.
func WithDeviceInterval(d time.Duration) Option {
	return func(s *settings) { s.deviceInterval = d }
}

// WithDeviceCodeLifespan sets how long a device code can be used (default 10 minutes).
func WithDeviceCodeLifespan(d time.Duration) Option {
	return func(s *settings) { s.deviceCodeLifespan = d }
}

// WithDeviceSlowDownStep sets how much the server raises the interval it
// enforces after answering slow_down (default 5s, as RFC 8628 §3.5 asks the
// client to do).
func WithDeviceSlowDownStep(d time.Duration) Option {
	return func(s *settings) { s.deviceSlowDownStep = d }
}

// WithoutOpenIDConfiguration answers 404 at /.well-known/openid-configuration,
// to test falling back to /.well-known/oauth-authorization-server.
func WithoutOpenIDConfiguration() Option {
	return func(s *settings) { s.noOpenIDConfig = true }
}

// WithoutAuthorizationServerMetadata answers 404 at
// /.well-known/oauth-authorization-server.
func WithoutAuthorizationServerMetadata() Option {
	return func(s *settings) { s.noASMetadata = true }
}
