package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"apidesk/engine/environment"
	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

func TestEnvironmentFiles(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir)
	ctx := t.Context()
	e := &environment.Environment{Name: "Staging", Protected: true, Variables: []environment.Variable{
		{Name: "base", Value: "https://staging.example.com", Description: "where it runs"},
		{Name: "api_token", Secret: true},
	}}
	if err := w.SaveEnvironment(ctx, e); err != nil {
		t.Fatal(err)
	}
	if e.ID == "" {
		t.Fatal("no ID set")
	}
	data, err := os.ReadFile(filepath.Join(dir, "environments", "staging.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name: Staging", "protected: true", "{name: base, value: 'https://staging.example.com', description: where it runs}", "{name: api_token, secret: true}"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("file lacks %q:\n%s", want, data)
		}
	}
	w2 := mustOpen(t, dir)
	if ps, err := w2.Load(ctx); err != nil || len(ps) > 0 {
		t.Fatalf("Load: %v %v", ps, err)
	}
	got, err := w2.EnvironmentByName("staging")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != e.ID || !got.Protected || len(got.Variables) != 2 || got.Variables[0].Description != "where it runs" || !got.Variables[1].Secret {
		t.Errorf("read back %+v", got)
	}
	// A second one with the same name is refused; a rename moves the file and keeps the ID.
	if err := w2.SaveEnvironment(ctx, &environment.Environment{Name: "STAGING"}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("same name: %v", err)
	}
	got.Name = "Pre-production"
	if err := w2.SaveEnvironment(ctx, got); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "environments", "staging.yaml")); !os.IsNotExist(err) {
		t.Errorf("old file still there: %v", err)
	}
	if _, err := w2.EnvironmentByName("nope"); err == nil || !strings.Contains(err.Error(), "choose one of Pre-production") {
		t.Errorf("unknown: %v", err)
	}
}

// A value typed into a secret variable's line, by hand, does not load: the file may be shared.
func TestEnvironmentFileWithASecretValue(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "environments", "prod.yaml"), "version: 1\nid: abc123\nname: Production\nvariables:\n  - {name: base, value: https://x.example.com}\n  - {name: token, secret: true, value: hunter22}\n  - {name: bad name, value: x}\n")
	w := mustOpen(t, dir)
	ps, err := w.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, p := range ps {
		msgs = append(msgs, p.Error())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "environments/prod.yaml line 6: The variable token is secret") || !strings.Contains(all, "line 7:") {
		t.Errorf("problems:\n%s", all)
	}
	if strings.Contains(all, "hunter22") {
		t.Error("a problem repeats the secret")
	}
	mustWrite(t, filepath.Join(dir, "environments", "x.yaml"), "version: 1\nid: x1\nname: X\nvariables:\n  - {name: a, valu: b}\n")
	ps, _ = w.Load(t.Context())
	if !strings.Contains(problemText(ps), `environments/x.yaml line 5`) {
		t.Errorf("unknown field: %s", problemText(ps))
	}
}

func problemText(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Error() + "\n")
	}
	return b.String()
}

func mustWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Scope gathers the layers: the person's own values, the keychain's secrets, the file, the resource, the globals.
func TestScope(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvLocal, t.TempDir())
	mustWrite(t, filepath.Join(dir, SettingsFile), "variables:\n  - {name: lang, value: en}\n  - {name: base, value: https://global.example.com}\n")
	w := mustOpen(t, dir)
	ctx := t.Context()
	if ps, _ := w.Load(ctx); len(ps) > 0 {
		t.Fatal(ps)
	}
	keys := secret.New(secret.MockBackend(), secret.Options{})
	env := &environment.Environment{Name: "Dev", Variables: []environment.Variable{{Name: "base", Value: "https://dev.example.com"}, {Name: "token", Secret: true}, {Name: "user", Value: "shared"}}}
	if err := w.SaveEnvironment(ctx, env); err != nil {
		t.Fatal(err)
	}
	res := &resource.Resource{Name: "API", BaseURL: "{{base}}/v1", Auth: resource.Auth{Kind: resource.AuthBearer}, Variables: kv.List{kv.On("limit", "5")}}
	if err := w.SaveResource(ctx, res, keys, nil); err != nil {
		t.Fatalf("a base URL that is a variable: %v", err)
	}
	if err := environment.SetSecret(ctx, keys, env, "token", "tok-dev"); err != nil {
		t.Fatal(err)
	}
	if err := environment.SetSecret(ctx, keys, env, "user", "x"); err == nil {
		t.Error("SetSecret of a variable that is not secret")
	}
	if err := w.SetLocalValue(env, "user", "mine"); err != nil {
		t.Fatal(err)
	}
	if err := w.SetLocalValue(env, "token", "on-disk"); err == nil {
		t.Error("a local value for a secret was kept")
	}
	s, err := w.Scope(ctx, keys, env, res)
	if err != nil {
		t.Fatal(err)
	}
	vals := s.Values(nil, nil)
	want := map[string]string{"base": "https://dev.example.com", "token": "tok-dev", "user": "mine", "limit": "5", "lang": "en"}
	for k, v := range want {
		if vals[k] != v {
			t.Errorf("%s = %q, want %q", k, vals[k], v)
		}
	}
	if none, err := w.Scope(ctx, keys, nil, res); err != nil || none.Values(nil, nil)["base"] != "https://global.example.com" {
		t.Errorf("without an environment: %v %v", none, err)
	}
	file, _ := w.LocalFile(env)
	if data, err := os.ReadFile(file); err != nil || !strings.Contains(string(data), "{name: user, value: mine}") || strings.HasPrefix(file, dir) {
		t.Errorf("local file %s: %s %v", file, data, err)
	}
	// A secret typed into the local file by hand is not used, and said so.
	mustWrite(t, file, "variables:\n  - {name: token, value: on-disk}\n  - {name: user, value: mine}\n")
	s, err = w.Scope(ctx, keys, env, res)
	if err == nil || !strings.Contains(err.Error(), "token, which is secret") || s == nil || s.Values(nil, nil)["token"] != "tok-dev" {
		t.Errorf("secret in the local file: %v", err)
	}
	// The resource round-trips its defaults.
	w2 := mustOpen(t, dir)
	if _, err := w2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if r2, _ := w2.ResourceByName("API"); r2 == nil || len(r2.Variables) != 1 || r2.Variables[0].Value != "5" {
		t.Errorf("resource variables: %+v", r2)
	}
}

// Deleting an environment removes its secrets and every resource's sign-in in it; deleting a resource removes its
// secrets in every environment.
func TestDeleteEnvironmentAndResourceSecrets(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvLocal, t.TempDir())
	w := mustOpen(t, dir)
	ctx := t.Context()
	keys := secret.New(secret.MockBackend(), secret.Options{})
	a := &environment.Environment{Name: "A", Variables: []environment.Variable{{Name: "s", Secret: true}}}
	b := &environment.Environment{Name: "B"}
	for _, e := range []*environment.Environment{a, b} {
		if err := w.SaveEnvironment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	res := &resource.Resource{Name: "R", BaseURL: "https://r.example.com", Auth: resource.Auth{Kind: resource.AuthBearer}}
	if err := w.SaveResource(ctx, res, keys, map[resource.SecretKind]string{resource.SecretBearerToken: "bare"}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*environment.Environment{a, b} {
		if err := keys.Set(ctx, environment.KeyID(res.ID, e), resource.SecretBearerToken, "tok-"+e.Name); err != nil {
			t.Fatal(err)
		}
	}
	if err := environment.SetSecret(ctx, keys, a, "s", "v"); err != nil {
		t.Fatal(err)
	}
	if err := w.SetLocalValue(a, "x", "y"); err != nil {
		t.Fatal(err)
	}
	local, _ := w.LocalFile(a)
	if err := w.DeleteEnvironment(ctx, a.ID, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Get(ctx, environment.KeyID(res.ID, a), resource.SecretBearerToken); err == nil {
		t.Error("the resource's token in A survived A")
	}
	if vals, err := environment.SecretValues(ctx, keys, a); err != nil || len(vals) != 0 {
		t.Errorf("A's secret values survived: %v %v", vals, err)
	}
	if _, err := os.Stat(local); !os.IsNotExist(err) {
		t.Errorf("A's local file survived: %v", err)
	}
	if v, _ := keys.Get(ctx, environment.KeyID(res.ID, b), resource.SecretBearerToken); v != "tok-B" {
		t.Errorf("B's token = %q", v)
	}
	if err := w.DeleteResource(ctx, res.ID, keys); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{res.ID, environment.KeyID(res.ID, b)} {
		if _, err := keys.Get(ctx, id, resource.SecretBearerToken); err == nil {
			t.Errorf("%s survived the resource", id)
		}
	}
}

// SaveResourceIn keeps the secrets typed for the environment given, bound to the address the resource has there;
// without one, as SaveResource does.
func TestSaveResourceIn(t *testing.T) {
	w := mustOpen(t, t.TempDir())
	t.Setenv(EnvLocal, t.TempDir())
	ctx := t.Context()
	keys := secret.New(secret.MockBackend(), secret.Options{})
	env := &environment.Environment{Name: "Staging", Variables: []environment.Variable{{Name: "base", Value: "https://staging.example.com"}}}
	if err := w.SaveEnvironment(ctx, env); err != nil {
		t.Fatal(err)
	}
	res := &resource.Resource{Name: "API", BaseURL: "{{base}}/v1", Auth: resource.Auth{Kind: resource.AuthBearer}}
	if err := w.SaveResourceIn(ctx, res, keys, map[resource.SecretKind]string{resource.SecretBearerToken: "tok-s"}, env); err != nil {
		t.Fatal(err)
	}
	if v, _ := keys.Get(ctx, environment.KeyID(res.ID, env), resource.SecretBearerToken); v != "tok-s" {
		t.Errorf("Staging's token = %q", v)
	}
	if _, err := keys.Get(ctx, res.ID, resource.SecretBearerToken); err == nil {
		t.Error("the token went to the resource's own key too")
	}
	if o, _ := keys.Origins(ctx, environment.KeyID(res.ID, env)); o.API != "https://staging.example.com" {
		t.Errorf("bound to %q", o.API)
	}
	if err := w.SaveResourceIn(ctx, res, keys, map[resource.SecretKind]string{resource.SecretBearerToken: "tok-own"}, nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := keys.Get(ctx, res.ID, resource.SecretBearerToken); v != "tok-own" {
		t.Errorf("without an environment: %q", v)
	}
	res.Auth = resource.Auth{Kind: resource.AuthNone}
	if err := w.SaveResourceIn(ctx, res, keys, nil, env); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Get(ctx, environment.KeyID(res.ID, env), resource.SecretBearerToken); err == nil {
		t.Error("a token the resource no longer uses stayed in Staging")
	}
	if err := w.SaveResourceIn(ctx, res, keys, map[resource.SecretKind]string{resource.SecretBearerToken: "x"}, env); err == nil {
		t.Error("a secret its authentication does not keep was saved")
	}
}
