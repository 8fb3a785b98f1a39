//go:build linux

package keychaintest

import (
	"context"
	"errors"
	"testing"
	"time"

	"apidesk/engine/environment"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
)

// TestRealEnvironmentSecrets keeps an environment's secret values and a resource's token per environment in the real
// Secret Service, and deletes them with the environment and the resource.
func TestRealEnvironmentSecrets(t *testing.T) {
	requireKeyring(t)
	t.Setenv(workspace.EnvLocal, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := &refusing{Backend: secret.KeyringBackend()}
	s := secret.New(b, secret.Options{})
	cleanUp(t, s, b)
	ws := openWorkspace(t)
	staging := &environment.Environment{Name: "Staging", Variables: []environment.Variable{{Name: "base", Value: "https://staging.example.com"}, {Name: "sig", Secret: true}}}
	prod := &environment.Environment{Name: "Production", Protected: true, Variables: []environment.Variable{{Name: "base", Value: "https://api.example.com"}, {Name: "sig", Secret: true}}}
	for _, e := range []*environment.Environment{staging, prod} {
		if err := ws.SaveEnvironment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	res := &resource.Resource{Name: "CRM", BaseURL: "{{base}}", Auth: resource.Auth{Kind: resource.AuthBearer}}
	if err := ws.SaveResource(ctx, res, s, nil); err != nil {
		t.Fatal(err)
	}
	if err := environment.SetSecret(ctx, s, staging, "sig", "sig-s"); err != nil {
		t.Fatal(err)
	}
	if err := environment.SetSecret(ctx, s, prod, "sig", "sig-p"); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*environment.Environment{staging, prod} {
		sc, err := ws.Scope(ctx, s, e, res)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Set(ctx, sc.Bind(res).ID, resource.SecretBearerToken, "tok-"+e.Name); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		e         *environment.Environment
		sig, base string
	}{{staging, "sig-s", "https://staging.example.com"}, {prod, "sig-p", "https://api.example.com"}} {
		sc, err := ws.Scope(ctx, s, c.e, res)
		if err != nil {
			t.Fatal(err)
		}
		vals := sc.Values(nil, nil)
		if vals["sig"] != c.sig {
			t.Errorf("%s: sig = %q, want %q", c.e.Name, vals["sig"], c.sig)
		}
		bound := sc.Bind(res)
		if bound.BaseURL != c.base {
			t.Errorf("%s: base URL %q", c.e.Name, bound.BaseURL)
		}
		if tok, err := s.Get(ctx, bound.ID, resource.SecretBearerToken); err != nil || tok != "tok-"+c.e.Name {
			t.Errorf("%s: token %q, %v", c.e.Name, tok, err)
		}
	}
	if err := ws.DeleteEnvironment(ctx, staging.ID, s); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, environment.KeyID(res.ID, staging), resource.SecretBearerToken); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("Staging's token after Staging was deleted: %v", err)
	}
	if vals, err := environment.SecretValues(ctx, s, staging); err != nil || len(vals) != 0 {
		t.Errorf("Staging's secret values after it was deleted: %v %v", vals, err)
	}
	if err := ws.DeleteResource(ctx, res.ID, s); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, environment.KeyID(res.ID, prod), resource.SecretBearerToken); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("Production's token after the resource was deleted: %v", err)
	}
	if vals, _ := environment.SecretValues(ctx, s, prod); vals["sig"] != "sig-p" {
		t.Errorf("Production's own secret went with the resource: %v", vals)
	}
	_ = environment.DeleteSecrets(ctx, s, prod, nil)
}
