package oauthpeer

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/storage"
	"github.com/ory/fosite/token/jwt"
	"golang.org/x/crypto/bcrypt"
	xoauth2 "golang.org/x/oauth2"
)

// Paths the server answers.
const (
	PathAuthorize       = "/oauth2/auth"
	PathToken           = "/oauth2/token"
	PathRevoke          = "/oauth2/revoke"
	PathIntrospect      = "/oauth2/introspect"
	PathDeviceAuth      = "/oauth2/device/code"
	PathDeviceVerify    = "/oauth2/device"
	PathOpenIDConfig    = "/.well-known/openid-configuration"
	PathASMetadata      = "/.well-known/oauth-authorization-server"
	PathJWKS            = "/.well-known/jwks.json"
	PathMe              = "/api/me"
	PathItems           = "/api/items"
	PathEcho            = "/api/echo"
	signingKeyID        = "oauthpeer-rs256"
	redactedPlaceholder = "[redacted]"
)

// Server is a running authorization server with a protected resource. Its
// methods are safe to call from any goroutine.
type Server struct {
	// URL is the base URL and issuer, http://127.0.0.1:PORT (https with WithTLS).
	URL string

	hs       *httptest.Server
	provider *fosite.Fosite
	store    *storage.MemoryStore
	strategy oauth2.CoreStrategy
	signingK func() (*rsa.PrivateKey, error)
	scopes   []string // union of the clients' scopes, for discovery

	// mu serialises every call into fosite and every field below. fosite's
	// MemoryStore is not safe for concurrent use on its own: RevokeRefreshToken
	// writes the refresh token map under a different mutex than
	// GetRefreshTokenSession reads it with, which the race detector reports
	// (and which can crash) when a client refreshes concurrently. A test server
	// does not need parallelism, so one lock keeps fosite honest.
	mu          sync.Mutex
	cfg         *fosite.Config
	set         settings
	quirks      Quirk
	denyNext    bool
	rejectNext  *rejection
	slowDownNxt bool
	device      deviceGrants
	log         []Request
	issued      []TokenResponse
}

type rejection struct {
	status int
	code   string
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	set := defaultSettings()
	for _, o := range opts {
		o(&set)
	}

	s := &Server{set: set, quirks: set.quirks, device: deviceGrants{byDevice: map[string]*deviceGrant{}}}
	s.signingK = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

	mux := http.NewServeMux()
	mux.HandleFunc(PathAuthorize, s.handleAuthorize)
	mux.HandleFunc(PathToken, s.handleToken)
	mux.HandleFunc("POST "+PathRevoke, s.handleRevoke)
	mux.HandleFunc("POST "+PathIntrospect, s.handleIntrospect)
	mux.HandleFunc("POST "+PathDeviceAuth, s.handleDeviceAuth)
	mux.HandleFunc("GET "+PathDeviceVerify, s.handleDeviceVerify)
	mux.HandleFunc("GET "+PathOpenIDConfig, s.handleDiscovery(set.noOpenIDConfig))
	mux.HandleFunc("GET "+PathASMetadata, s.handleDiscovery(set.noASMetadata))
	mux.HandleFunc("GET "+PathJWKS, s.handleJWKS)
	mux.HandleFunc("GET "+PathMe, s.handleMe)
	mux.HandleFunc("GET "+PathItems, s.handleItems)
	mux.HandleFunc(PathEcho, handleEcho)

	s.hs = httptest.NewUnstartedServer(s.record(mux))
	if set.tls {
		s.hs.StartTLS()
	} else {
		s.hs.Start()
	}
	t.Cleanup(s.hs.Close)
	s.URL = s.hs.URL

	if err := s.compose(); err != nil {
		t.Fatalf("oauthpeer: setting up fosite: %v", err)
	}
	return s
}

func (s *Server) compose() error {
	secret := make([]byte, 32) // fosite needs a 32-byte global HMAC secret
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	cfg := &fosite.Config{
		GlobalSecret:                secret,
		AccessTokenLifespan:         s.set.accessTokenLifespan,
		RefreshTokenLifespan:        s.set.refreshTokenLifespan,
		AuthorizeCodeLifespan:       10 * time.Minute,
		IDTokenLifespan:             time.Hour,
		IDTokenIssuer:               s.URL,
		AccessTokenIssuer:           s.URL,
		TokenURL:                    s.URL + PathToken,
		RefreshTokenScopes:          s.set.refreshTokenScopes,
		EnforcePKCEForPublicClients: true,
		EnforcePKCE:                 s.set.pkceForAll,
		SendDebugMessagesToClients:  true,
		HashCost:                    bcrypt.MinCost, // client secrets are test data
		ScopeStrategy:               fosite.ExactScopeStrategy,
	}
	cfg.ClientSecretsHasher = &fosite.BCrypt{Config: cfg}
	s.cfg = cfg

	s.store = storage.NewMemoryStore()
	seen := map[string]bool{}
	for i := len(s.set.clients) - 1; i >= 0; i-- { // later registrations win
		c := s.set.clients[i].withDefaults()
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		fc, err := s.fositeClient(c)
		if err != nil {
			return fmt.Errorf("client %q: %w", c.ID, err)
		}
		s.store.Clients[c.ID] = fc
		for _, sc := range c.Scopes {
			if !slices.Contains(s.scopes, sc) {
				s.scopes = append(s.scopes, sc)
			}
		}
	}

	keyGetter := func(context.Context) (any, error) { return s.signingK() }
	var core oauth2.CoreStrategy = compose.NewOAuth2HMACStrategy(cfg)
	if s.set.jwtAccessTokens {
		core = sessionExpiry{compose.NewOAuth2JWTStrategy(keyGetter, core, cfg)}
	}
	s.strategy = core
	strategy := &compose.CommonStrategy{
		CoreStrategy:               core,
		OpenIDConnectTokenStrategy: compose.NewOpenIDConnectStrategy(keyGetter, cfg),
		Signer:                     &jwt.DefaultSigner{GetPrivateKey: keyGetter},
	}
	provider, ok := compose.Compose(cfg, s.store, strategy,
		compose.OAuth2AuthorizeExplicitFactory,
		compose.OAuth2ClientCredentialsGrantFactory,
		compose.OAuth2RefreshTokenGrantFactory,
		compose.OpenIDConnectExplicitFactory,
		compose.OpenIDConnectRefreshFactory,
		compose.OAuth2TokenIntrospectionFactory,
		compose.OAuth2TokenRevocationFactory,
		compose.OAuth2PKCEFactory,
	).(*fosite.Fosite)
	if !ok {
		return fmt.Errorf("compose did not return a *fosite.Fosite")
	}
	cfg.TokenEndpointHandlers.Append(&deviceTokenHandler{s: s, strategy: core, store: s.store})
	s.provider = provider
	return nil
}

func (s *Server) fositeClient(c Client) (fosite.Client, error) {
	if c.ID == "" {
		return nil, fmt.Errorf("a client needs an ID")
	}
	var hashed []byte
	if c.Secret != "" {
		h, err := s.cfg.ClientSecretsHasher.Hash(context.Background(), []byte(c.Secret))
		if err != nil {
			return nil, err
		}
		hashed = h
	}
	switch c.AuthMethod {
	case AuthBasic, AuthPost:
		if c.Secret == "" {
			return nil, fmt.Errorf("auth method %s needs a Secret", c.AuthMethod)
		}
	case AuthNone:
		if c.Secret != "" {
			return nil, fmt.Errorf("auth method none cannot have a Secret")
		}
	default:
		return nil, fmt.Errorf("unknown auth method %q", c.AuthMethod)
	}
	return &fosite.DefaultOpenIDConnectClient{
		DefaultClient: &fosite.DefaultClient{
			ID:            c.ID,
			Secret:        hashed,
			RedirectURIs:  c.RedirectURIs,
			GrantTypes:    c.GrantTypes,
			ResponseTypes: []string{"code"},
			Scopes:        c.Scopes,
			Audience:      c.Audience,
			Public:        c.Secret == "",
		},
		TokenEndpointAuthMethod: c.AuthMethod,
	}, nil
}

// Endpoint returns the server's endpoints for golang.org/x/oauth2, with the
// client authentication style left to auto-detection.
func (s *Server) Endpoint() xoauth2.Endpoint {
	return xoauth2.Endpoint{
		AuthURL:       s.URL + PathAuthorize,
		TokenURL:      s.URL + PathToken,
		DeviceAuthURL: s.URL + PathDeviceAuth,
	}
}

// HTTPClient returns a client for the server; with WithTLS it trusts the
// server's certificate.
func (s *Server) HTTPClient() *http.Client { return s.hs.Client() }

// AuthURL is the authorization endpoint.
func (s *Server) AuthURL() string { return s.URL + PathAuthorize }

// TokenURL is the token endpoint; it takes POST and GET.
func (s *Server) TokenURL() string { return s.URL + PathToken }

// RevokeURL is the RFC 7009 revocation endpoint.
func (s *Server) RevokeURL() string { return s.URL + PathRevoke }

// IntrospectURL is the RFC 7662 introspection endpoint.
func (s *Server) IntrospectURL() string { return s.URL + PathIntrospect }

// DeviceAuthURL is the RFC 8628 device authorization endpoint.
func (s *Server) DeviceAuthURL() string { return s.URL + PathDeviceAuth }

// MeURL is a protected resource answering who the token belongs to; use it as
// a login test URL.
func (s *Server) MeURL() string { return s.URL + PathMe }

// ItemsURL is a protected resource answering a JSON array.
func (s *Server) ItemsURL() string { return s.URL + PathItems }

// EchoURL answers, without asking for a token, the method, query and headers
// it received, to check what a client put where (e.g. a token in a custom
// header or query parameter).
func (s *Server) EchoURL() string { return s.URL + PathEcho }

// Subject is the test user's subject, as /api/me reports it.
func (s *Server) Subject() string { return s.set.subject }

// SetAccessTokenLifespan changes how long access tokens issued from now on live.
func (s *Server) SetAccessTokenLifespan(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.AccessTokenLifespan = d
}

// SetQuirks changes how token responses are written from now on; 0 is standard.
func (s *Server) SetQuirks(q Quirk) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quirks = q
}

// DenyNextAuthorization makes the test user refuse the next authorization
// request (redirect with error=access_denied) or device verification.
func (s *Server) DenyNextAuthorization() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyNext = true
}

// RejectNextRefresh makes the token endpoint answer the next refresh_token
// grant with status and {"error": code} instead of passing it to fosite. The
// refresh token itself stays valid. Use RevokeAllTokens for a genuine
// invalid_grant from fosite.
func (s *Server) RejectNextRefresh(status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectNext = &rejection{status: status, code: code}
}

// ExpireAccessTokens makes every access token issued so far expired, as if
// its lifespan had passed: the resource answers 401 and introspection says
// inactive. Refresh tokens stay valid.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := time.Now().UTC().Add(-time.Second)
	for _, r := range s.store.AccessTokens {
		r.GetSession().SetExpiresAt(fosite.AccessToken, past)
	}
}

// RevokeAllTokens revokes every access and refresh token in fosite's store, as
// an administrator signing the user out everywhere would. The next refresh
// fails with fosite's own error.
func (s *Server) RevokeAllTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := context.Background()
	var ids []string
	for _, r := range s.store.RefreshTokens {
		ids = append(ids, r.GetID())
	}
	for _, r := range s.store.AccessTokens {
		ids = append(ids, r.GetID())
	}
	for _, id := range ids {
		// Errors only mean the token was already gone.
		_ = s.store.RevokeRefreshToken(ctx, id)
		_ = s.store.RevokeAccessToken(ctx, id)
	}
}

// Active reports whether token is an active access or refresh token, as
// introspection would.
func (s *Server) Active(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, err := s.provider.IntrospectToken(context.Background(), token, fosite.AccessToken, s.newSession(""))
	return err == nil
}

// Request is one request the server received, with secrets redacted.
type Request struct {
	Method string
	Path   string
	// Params holds the query and, for form bodies, the form values;
	// client_secret is redacted.
	Params url.Values
	// Header is the request header; Basic credentials are redacted, bearer
	// tokens are kept so tests can see which token was presented.
	Header http.Header
	// ClientAuth is how the request authenticated a client: AuthBasic when
	// it had Basic credentials, AuthPost when client_secret was in the
	// body, AuthNone when only client_id was, "" otherwise.
	ClientAuth string
	// Status is the status answered, 0 while the answer has not been written.
	Status int
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	copy(out, s.log)
	return out
}

// TokenRequestCount counts the token endpoint requests with grant_type
// grantType, whether they succeeded or not, GET and POST alike.
func (s *Server) TokenRequestCount(grantType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.log {
		if r.Path == PathToken && r.Params.Get("grant_type") == grantType {
			n++
		}
	}
	return n
}

// TokenResponse is a token the server issued, for tests that must prove no
// token leaked into files or logs.
type TokenResponse struct {
	GrantType    string
	AccessToken  string
	RefreshToken string
	IDToken      string
}

// IssuedTokens returns every token the token endpoint handed out, oldest first.
func (s *Server) IssuedTokens() []TokenResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TokenResponse, len(s.issued))
	copy(out, s.issued)
	return out
}

// record logs each request before handling it, and its status once written.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := url.Values{}
		for k, v := range r.URL.Query() {
			params[k] = append([]string(nil), v...)
		}
		ct := r.Header.Get("Content-Type")
		if r.Method == http.MethodPost && strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			if err := r.ParseForm(); err == nil { // fosite reads r.PostForm afterwards
				for k, v := range r.PostForm {
					params[k] = append(params[k], v...)
				}
			}
		}
		entry := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone()}
		if user, _, ok := r.BasicAuth(); ok {
			entry.ClientAuth = AuthBasic
			entry.Header.Set("Authorization", "Basic "+redactedPlaceholder+" (user "+user+")")
		} else if params.Get("client_secret") != "" {
			entry.ClientAuth = AuthPost
		} else if params.Get("client_id") != "" && r.URL.Path != PathAuthorize {
			entry.ClientAuth = AuthNone
		}
		if params.Has("client_secret") {
			params.Set("client_secret", redactedPlaceholder)
		}
		entry.Params = params

		s.mu.Lock()
		idx := len(s.log)
		s.log = append(s.log, entry)
		s.mu.Unlock()

		next.ServeHTTP(&statusWriter{ResponseWriter: w, onStatus: func(code int) {
			s.mu.Lock()
			s.log[idx].Status = code
			s.mu.Unlock()
		}}, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	onStatus func(int)
	wrote    bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.onStatus(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// copyResponse writes what a handler wrote into rec to w. Handlers write
// into a recorder while holding s.mu, so no network write happens under it.
func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
