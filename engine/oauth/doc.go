// Package oauth signs a person in to an API with OAuth 2.0 and keeps the tokens fresh.
//
// It provides the authorization code grant with PKCE through the system browser and a loopback redirect
// listener (RFC 6749, RFC 7636, RFC 8252), the client credentials grant, and the device authorization grant
// (RFC 8628); refresh before expiry and after a 401, shared by every goroutine and, through a file lock, by
// every apidesk process on the computer; sign-out with token revocation (RFC 7009); discovery from an issuer
// URL (OpenID Connect Discovery, RFC 8414); provider presets kept as data in presets.yaml; and a viewer for the
// claims of a JWT.
//
// Tokens and client secrets live only in the keychain, reached through the SecretStore the caller passes in
// (package secret satisfies it through a small adapter; this package never imports it). The tokens of one
// resource are stored as one JSON value, so a rotated refresh token and its access token are replaced in one
// write. Nothing here logs, and no error message contains a token or a secret.
//
// The authorization URL, the code exchange and every token request go through golang.org/x/oauth2; what that
// module lacks is written here: the GET token request some providers want, the client authentication a
// stored token remembers (so that no process has to find it out again), the loopback listener, revocation,
// discovery and the device-code polling loop (whose pace a test can shorten). JWTs are read with
// github.com/golang-jwt/jwt/v5.
package oauth
