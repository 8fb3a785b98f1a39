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
	owners := map[SecretKind]AuthKind{}
	for _, a := range AuthKinds {
		got := a.Secrets()
		if !slices.Equal(got, want[a]) {
			t.Errorf("%s.Secrets() = %v, want %v", a, got, want[a])
		}
		for _, k := range got {
			// A save removes the secrets its authentication does not use: a kind two of them shared would be
			// removed from under the other.
			if other, ok := owners[k]; ok && !(k == SecretPassword && a == AuthDigest) {
				t.Errorf("%s is used by both %s and %s", k, other, a)
			}
			owners[k] = a
		}
	}
	for _, k := range SecretKinds {
		if _, ok := owners[k]; !ok && !slices.Contains(NetworkSecrets, k) {
			t.Errorf("no authentication uses %s: a save would always remove it", k)
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
}

func TestSecretWords(t *testing.T) {
	for k, want := range map[SecretKind]string{
		SecretPassword:     "password",
		SecretBearerToken:  "bearer token",
		SecretAPIKey:       "API key",
		SecretClientSecret: "client secret",
		SecretOAuthToken:   "sign-in",
		"custom-kind":      "custom-kind",
	} {
		if got := k.Words(); got != want {
			t.Errorf("%s.Words() = %q, want %q", k, got, want)
		}
	}
}
