// Package oauthpeer runs a real OAuth 2.0 authorization server inside a test.
//
// The server is github.com/ory/fosite (the library Ory Hydra grew from) behind an
// httptest.Server on 127.0.0.1. fosite does the protocol work: it enforces PKCE S256
// for public clients, matches loopback redirect URIs on any port (RFC 8252 §7.3),
// requires each client's own token endpoint authentication method (Basic or body),
// rotates refresh tokens and revokes the whole family when an old one is reused,
// and answers client credentials, revocation (RFC 7009) and introspection
// (RFC 7662) requests.
//
// Around fosite the package adds what real providers have and fosite lacks:
// discovery documents, a token endpoint that also takes GET, the device
// authorization grant (RFC 8628, through a fosite token handler), a protected
// resource (/api/me, /api/items), a simulated browser, and knobs for tests:
// short token lifespans, expiring or revoking every token, rejecting the next
// refresh, denying the next consent, non-standard token responses, large JWT
// access tokens, and a log of every request the server saw.
//
//	srv := oauthpeer.Start(t)
//	browser := srv.Browser(t)
//	cfg := oauth2.Config{ClientID: oauthpeer.PublicClientID, Endpoint: srv.Endpoint(), ...}
//	// hand browser.OpenURL to the code under test as its way to open URLs
//
// Everything is in memory and every server is independent, so tests may run in
// parallel.
package oauthpeer
