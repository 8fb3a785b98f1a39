package oauthpeer

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"
)

// handleRevoke is fosite's RFC 7009 revocation endpoint.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rec := httptest.NewRecorder()
	s.mu.Lock()
	err := s.provider.NewRevocationRequest(ctx, r)
	s.provider.WriteRevocationResponse(ctx, rec, err)
	s.mu.Unlock()
	copyResponse(w, rec)
}

// handleIntrospect is fosite's RFC 7662 introspection endpoint; the caller
// authenticates as a client.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rec := httptest.NewRecorder()
	s.mu.Lock()
	ir, err := s.provider.NewIntrospectionRequest(ctx, r, s.newSession(""))
	if err != nil {
		s.provider.WriteIntrospectionError(ctx, rec, err)
	} else {
		s.provider.WriteIntrospectionResponse(ctx, rec, ir)
	}
	s.mu.Unlock()
	copyResponse(w, rec)
}

// handleDiscovery serves the OpenID Connect discovery document and the RFC 8414
// authorization server metadata; both list the same endpoints.
func (s *Server) handleDiscovery(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if disabled {
			http.NotFound(w, r)
			return
		}
		authMethods := []string{AuthBasic, AuthPost, AuthNone}
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer":                                        s.URL,
			"authorization_endpoint":                        s.URL + PathAuthorize,
			"token_endpoint":                                s.URL + PathToken,
			"revocation_endpoint":                           s.URL + PathRevoke,
			"introspection_endpoint":                        s.URL + PathIntrospect,
			"device_authorization_endpoint":                 s.URL + PathDeviceAuth,
			"userinfo_endpoint":                             s.URL + PathMe,
			"jwks_uri":                                      s.URL + PathJWKS,
			"scopes_supported":                              s.scopes,
			"response_types_supported":                      []string{"code"},
			"response_modes_supported":                      []string{"query"},
			"grant_types_supported":                         []string{GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials, GrantDeviceCode},
			"code_challenge_methods_supported":              []string{"S256"},
			"token_endpoint_auth_methods_supported":         authMethods,
			"revocation_endpoint_auth_methods_supported":    authMethods,
			"introspection_endpoint_auth_methods_supported": authMethods[:2],
			"subject_types_supported":                       []string{"public"},
			"id_token_signing_alg_values_supported":         []string{"RS256"},
		})
	}
}

// handleJWKS publishes the key that signs ID tokens and JWT access tokens.
func (s *Server) handleJWKS(w http.ResponseWriter, _ *http.Request) {
	key, err := s.signingK()
	if err != nil {
		http.Error(w, "no signing key: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &key.PublicKey, KeyID: signingKeyID, Algorithm: "RS256", Use: "sig",
	}}})
}

// handleMe is a protected resource, and a login test URL: it answers who the
// access token belongs to.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	s.protect(w, r, func(ar fosite.AccessRequester) any {
		return map[string]any{
			"sub":        ar.GetSession().GetSubject(),
			"client_id":  ar.GetClient().GetID(),
			"scope":      strings.Join(ar.GetGrantedScopes(), " "),
			"expires_at": ar.GetSession().GetExpiresAt(fosite.AccessToken).Format(time.RFC3339),
		}
	})
}

// Item is one element of the /api/items answer.
type Item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Items returns what /api/items answers.
func Items() []Item {
	return []Item{{1, "alpha"}, {2, "beta"}, {3, "gamma"}}
}

func (s *Server) handleItems(w http.ResponseWriter, r *http.Request) {
	s.protect(w, r, func(fosite.AccessRequester) any { return Items() })
}

// protect answers 401 with an RFC 6750 WWW-Authenticate challenge unless the
// request carries an active access token (Authorization: Bearer, or the
// access_token query parameter), and otherwise the JSON of answer.
func (s *Server) protect(w http.ResponseWriter, r *http.Request, answer func(fosite.AccessRequester) any) {
	token := bearerToken(r)
	if token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="oauthpeer"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized", "error_description": "No access token was sent."})
		return
	}
	s.mu.Lock()
	use, ar, err := s.provider.IntrospectToken(r.Context(), token, fosite.AccessToken, s.newSession(""))
	var body any
	if err == nil && use == fosite.AccessToken { // a refresh token is not an access token
		body = answer(ar)
	}
	s.mu.Unlock()
	if body == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="oauthpeer", error="invalid_token", error_description="The access token is expired, revoked or unknown."`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": "The access token is expired, revoked or unknown."})
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func bearerToken(r *http.Request) string {
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	return r.URL.Query().Get("access_token")
}

// Echo is what /api/echo answers.
type Echo struct {
	Method string      `json:"method"`
	Query  url.Values  `json:"query"`
	Header http.Header `json:"header"`
}

func handleEcho(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Echo{Method: r.Method, Query: r.URL.Query(), Header: r.Header})
}
