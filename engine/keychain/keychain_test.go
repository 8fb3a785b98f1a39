package keychain

import (
	"context"
	"errors"
	"testing"

	"apidesk/engine/oauth"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
)

func TestKindsMatch(t *testing.T) {
	// The runner and oauth name their kinds as strings; they must be the secret store's names.
	for got, want := range map[string]secret.Kind{
		runner.SecretPassword:          secret.Password,
		runner.SecretBearerToken:       secret.BearerToken,
		runner.SecretAPIKey:            secret.APIKey,
		string(oauth.KindClientSecret): secret.ClientSecret,
		string(oauth.KindOAuthToken):   secret.OAuthToken,
	} {
		if got != string(want) {
			t.Errorf("kind %q is %q in the secret store", got, want)
		}
	}
}

func TestAdapters(t *testing.T) {
	ctx := context.Background()
	s := secret.New(secret.MockBackend(), secret.Options{})
	o := OAuth{Store: s}
	if _, err := o.Get(ctx, "r1", oauth.KindClientSecret); !errors.Is(err, oauth.ErrSecretNotFound) {
		t.Fatalf("missing secret: %v", err)
	}
	if err := o.Set(ctx, "r1", oauth.KindClientSecret, "cs"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(ctx, "r1", secret.ClientSecret); err != nil || v != "cs" {
		t.Fatalf("stored %q, %v", v, err)
	}
	rs := RunnerSecrets(s)
	if v, err := rs.Secret(ctx, "r1", runner.SecretPassword); err != nil || v != "" {
		t.Fatalf("missing runner secret = %q, %v; want empty, nil", v, err)
	}
	if err := s.Set(ctx, "r1", secret.Password, "pw"); err != nil {
		t.Fatal(err)
	}
	if v, err := rs.Secret(ctx, "r1", runner.SecretPassword); err != nil || v != "pw" {
		t.Fatalf("runner secret = %q, %v", v, err)
	}
	if err := o.Delete(ctx, "r1", oauth.KindClientSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Get(ctx, "r1", oauth.KindClientSecret); !errors.Is(err, oauth.ErrSecretNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
