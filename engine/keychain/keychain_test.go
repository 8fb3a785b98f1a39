package keychain

import (
	"context"
	"errors"
	"testing"

	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

func TestAdapters(t *testing.T) {
	ctx := context.Background()
	s := secret.New(secret.MockBackend(), secret.Options{})
	o := OAuth{Store: s}
	if _, err := o.Get(ctx, "r1", resource.SecretClientSecret); !errors.Is(err, oauth.ErrSecretNotFound) {
		t.Fatalf("missing secret: %v", err)
	}
	if err := o.Set(ctx, "r1", resource.SecretClientSecret, "cs"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(ctx, "r1", resource.SecretClientSecret); err != nil || v != "cs" {
		t.Fatalf("stored %q, %v", v, err)
	}
	rs := RunnerSecrets(s)
	if v, err := rs.Secret(ctx, "r1", resource.SecretPassword); err != nil || v != "" {
		t.Fatalf("missing runner secret = %q, %v; want empty, nil", v, err)
	}
	if err := s.Set(ctx, "r1", resource.SecretPassword, "pw"); err != nil {
		t.Fatal(err)
	}
	if v, err := rs.Secret(ctx, "r1", resource.SecretPassword); err != nil || v != "pw" {
		t.Fatalf("runner secret = %q, %v", v, err)
	}
	if err := o.Delete(ctx, "r1", resource.SecretClientSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Get(ctx, "r1", resource.SecretClientSecret); !errors.Is(err, oauth.ErrSecretNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
