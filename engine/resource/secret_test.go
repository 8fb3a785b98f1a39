package resource

import (
	"slices"
	"testing"
)

func TestSecretsOfEachAuthKind(t *testing.T) {
	want := map[AuthKind][]SecretKind{
		AuthNone:   nil,
		AuthBearer: {SecretBearerToken},
		AuthBasic:  {SecretPassword},
		AuthDigest: {SecretPassword}, // the same password: switching between the two keeps it
		AuthAPIKey: {SecretAPIKey},
		AuthOAuth2: {SecretClientSecret, SecretOAuthToken},
	}
	for _, a := range AuthKinds {
		if got := a.Secrets(); !slices.Equal(got, want[a]) {
			t.Errorf("%s.Secrets() = %v, want %v", a, got, want[a])
		}
	}
	// A save removes the secrets the resource does not keep (Keeps): each kind must be kept by some setup, or
	// a save would always remove it.
	setups := []Resource{{Network: Network{Proxy: ProxyURL, ProxyURL: "http://proxy:3128", ClientCert: "me.p12"}}}
	for _, a := range AuthKinds {
		setups = append(setups, Resource{Auth: Auth{Kind: a}})
	}
	for _, k := range SecretKinds {
		if !slices.ContainsFunc(setups, func(r Resource) bool { return r.Keeps(k) }) {
			t.Errorf("no resource keeps %s: a save would always remove it", k)
		}
	}
	// The network's secrets are kept while the network settings use them, whatever the authentication.
	r := &Resource{Auth: Auth{Kind: AuthBearer}}
	if r.Keeps(SecretProxyAuth) || r.Keeps(SecretKeyPassphrase) || !r.Keeps(SecretBearerToken) || r.Keeps(SecretPassword) {
		t.Error("a bearer resource without a proxy or client certificate keeps the wrong secrets")
	}
	r.Network = Network{Proxy: ProxyURL, ProxyURL: "http://proxy:3128", ClientCert: "me.p12"}
	if !r.Keeps(SecretProxyAuth) || !r.Keeps(SecretKeyPassphrase) {
		t.Error("a resource with a proxy and a client certificate does not keep their secrets")
	}
	if got := AuthKind("").Secrets(); got != nil {
		t.Errorf(`"".Secrets() = %v, want none (it means AuthNone)`, got)
	}
	r.Network = Network{Proxy: ProxySystem}
	if r.Keeps(SecretProxyAuth) || r.Keeps(SecretKeyPassphrase) || !r.Keeps(SecretBearerToken) {
		t.Error("a system proxy and no client certificate keep no network secret")
	}
}

func TestSecretWords(t *testing.T) {
	for k, want := range map[SecretKind]string{
		SecretPassword:      "password",
		SecretBearerToken:   "bearer token",
		SecretAPIKey:        "API key",
		SecretClientSecret:  "client secret",
		SecretOAuthToken:    "sign-in",
		SecretProxyAuth:     "proxy username and password",
		SecretKeyPassphrase: "client key passphrase",
		"custom-kind":       "custom-kind",
	} {
		if got := k.Words(); got != want {
			t.Errorf("%s.Words() = %q, want %q", k, got, want)
		}
	}
}
