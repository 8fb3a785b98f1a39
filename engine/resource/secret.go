package resource

import (
	"errors"
	"slices"
)

// SecretKind names one of the secrets a resource keeps in the keychain, keyed by its ID: a resource holds at most
// one secret of each kind. The runner, package oauth and the keychain (package secret) all name secrets this way.
type SecretKind string

// The secrets a resource may keep.
const (
	SecretPassword     SecretKind = "password"      // AuthBasic's password
	SecretBearerToken  SecretKind = "bearer-token"  // AuthBearer's token
	SecretAPIKey       SecretKind = "api-key"       // AuthAPIKey's value
	SecretClientSecret SecretKind = "client-secret" // AuthOAuth2's client secret, typed in by the person
	SecretOAuthToken   SecretKind = "oauth-token"   // AuthOAuth2's tokens, left by a sign-in as one JSON value

	// Network secrets, kept whatever the auth kind (see NetworkSecrets).
	SecretProxyAuth     SecretKind = "proxy-auth"     // the proxy's "username:password" (Network.ProxyURL)
	SecretKeyPassphrase SecretKind = "key-passphrase" // the passphrase of Network.ClientCert's (or ClientKey's) key
)

// SecretKinds lists every kind of secret.
var SecretKinds = []SecretKind{SecretPassword, SecretBearerToken, SecretAPIKey, SecretClientSecret, SecretOAuthToken, SecretProxyAuth, SecretKeyPassphrase}

// NetworkSecrets are the kinds of secret a resource's network settings may keep: never left over from an
// earlier authentication.
var NetworkSecrets = []SecretKind{SecretProxyAuth, SecretKeyPassphrase}

// Words names the kind in a sentence, as in "the bearer token of CRM" or "no API key saved": lower case but for
// what is always written in capitals.
func (k SecretKind) Words() string {
	switch k {
	case SecretPassword:
		return "password"
	case SecretBearerToken:
		return "bearer token"
	case SecretAPIKey:
		return "API key"
	case SecretClientSecret:
		return "client secret"
	case SecretOAuthToken:
		return "sign-in"
	case SecretProxyAuth:
		return "proxy username and password"
	case SecretKeyPassphrase:
		return "client key passphrase"
	}
	return string(k)
}

// Secrets are the kinds of secret a resource authenticating this way keeps in the keychain; those of every other
// kind are left over from an earlier authentication. The first is the one the person types in (the OAuth 2.0
// tokens come from signing in). None for AuthNone.
func (k AuthKind) Secrets() []SecretKind {
	switch k {
	case AuthBearer:
		return []SecretKind{SecretBearerToken}
	case AuthBasic, AuthDigest:
		return []SecretKind{SecretPassword}
	case AuthAPIKey:
		return []SecretKind{SecretAPIKey}
	case AuthOAuth2:
		return []SecretKind{SecretClientSecret, SecretOAuthToken}
	}
	return nil
}

// ErrNotSignedIn is matched by errors.Is when a request needs an OAuth 2.0 access token and there is none to be
// had: the person must sign in (again). The runner returns it when it has no way to get a token; package oauth's
// errors wrap it when the keychain holds no usable token.
var ErrNotSignedIn = errors.New("not signed in")

// Keeps reports whether the resource, as it is set up, keeps a secret of kind k: one of its auth kind's, the
// proxy's credentials when it names a proxy, a key's passphrase when it names a client certificate.
func (r *Resource) Keeps(k SecretKind) bool {
	switch k {
	case SecretProxyAuth:
		return r.Network.Proxy == ProxyURL
	case SecretKeyPassphrase:
		return r.Network.ClientCert != ""
	}
	return slices.Contains(r.Auth.Kind.Secrets(), k)
}
