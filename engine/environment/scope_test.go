package environment

import (
	"errors"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

func staging() *Environment {
	return &Environment{ID: "e5", Name: "Staging", Variables: []Variable{
		{Name: "base", Value: "https://staging.example.com"},
		{Name: "region", Value: "env-region"},
		{Name: "token", Secret: true},
		{Name: "only_env", Value: "from-env"},
	}}
}

// The documented order: given → query default → the person's own → keychain → file → resource → globals.
func TestResolveOrder(t *testing.T) {
	q := &query.Query{Variables: []query.Variable{{Name: "region", Default: "query-region"}, {Name: "page", Default: "1"}}}
	s := &Scope{
		Env:      staging(),
		Local:    map[string]string{"only_env": "mine", "token": "on-disk"},
		Secrets:  map[string]string{"token": "from-keychain"},
		Resource: map[string]string{"base": "https://resource.example.com", "limit": "50", "only_env": "resource"},
		Globals:  map[string]string{"limit": "10", "lang": "en"},
	}
	got := s.Resolve(q, map[string]string{"page": "7"})
	want := map[string]Value{
		"page":     {"7", SourceGiven},
		"region":   {"query-region", SourceQuery},
		"only_env": {"mine", SourceLocal},
		"token":    {"from-keychain", SourceKeychain}, // a local value for a secret is never used
		"base":     {"https://staging.example.com", SourceEnv},
		"limit":    {"50", SourceResource},
		"lang":     {"en", SourceGlobal},
	}
	if len(got) != len(want) {
		t.Errorf("Resolve = %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %+v, want %+v", k, got[k], w)
		}
	}
	if w := s.Where(SourceLocal); w != "your own value for Staging (not shared)" {
		t.Errorf("Where(local) = %q", w)
	}
	if w := s.Where(SourceEnv); w != "the environment Staging" {
		t.Errorf("Where(env) = %q", w)
	}
	var none *Scope
	if v := none.Values(q, nil); v["page"] != "1" || len(v) != 2 {
		t.Errorf("nil scope: %v", v)
	}
}

// Bind gives the resource the environment's keychain name and fills its base URL and authentication.
func TestBind(t *testing.T) {
	res := &resource.Resource{ID: "r1", Name: "CRM", BaseURL: "{{base}}/v2", Headers: nil,
		Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
			AuthURL: "{{auth}}/authorize?client_id={{client_id}}", TokenURL: "{{auth}}/token", ClientID: "{{cid}}",
			Scopes: []string{"{{scopes}}", "openid"}, LoginTestURL: "{{base}}/me",
		}}}
	s := &Scope{Env: staging(), Globals: map[string]string{"auth": "https://login.example.com", "cid": "abc", "scopes": "read write"}}
	b := s.Bind(res)
	if b.ID != "r1.e5" {
		t.Errorf("ID = %q", b.ID)
	}
	if b.BaseURL != "https://staging.example.com/v2" || b.Auth.OAuth2.LoginTestURL != "https://staging.example.com/me" {
		t.Errorf("base = %q, login test = %q", b.BaseURL, b.Auth.OAuth2.LoginTestURL)
	}
	o := b.Auth.OAuth2
	if o.AuthURL != "https://login.example.com/authorize?client_id={{client_id}}" || o.TokenURL != "https://login.example.com/token" || o.ClientID != "abc" {
		t.Errorf("oauth = %+v", o)
	}
	if strings.Join(o.Scopes, " ") != "read write openid" {
		t.Errorf("scopes = %q", o.Scopes)
	}
	if res.BaseURL != "{{base}}/v2" || res.ID != "r1" || res.Auth.OAuth2.Scopes[0] != "{{scopes}}" {
		t.Errorf("Bind changed the resource: %+v", res)
	}
	if got := (&Scope{}).Bind(res).ID; got != "r1" {
		t.Errorf("no environment: ID = %q, want the resource's own", got)
	}
	if KeyID("r1", &Environment{ID: "e6"}) == b.ID {
		t.Error("two environments share a keychain name")
	}
	if r, e := SplitKeyID(b.ID); r != "r1" || e != "e5" {
		t.Errorf("SplitKeyID(%q) = %q, %q", b.ID, r, e)
	}
	if r, e := SplitKeyID("r1"); r != "r1" || e != "" {
		t.Errorf("SplitKeyID(r1) = %q, %q", r, e)
	}
}

// The sign-in's extra params take the environment's values too (an audience per environment, as Auth0 has);
// the {{variables}} package oauth fills in, and those without a value, stay as written.
func TestBindOAuthParams(t *testing.T) {
	res := &resource.Resource{ID: "r1", Name: "CRM", BaseURL: "{{base}}",
		Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
			AuthURL: "{{base}}/authorize", TokenURL: "{{base}}/token", ClientID: "c",
			AuthParams:  kv.List{kv.On("audience", "{{base}}/api"), kv.On("login_hint", "{{who}}"), kv.On("x", "{{client_id}}")},
			TokenParams: kv.List{kv.On("resource", "{{base}}/api"), {Key: "region", Value: "{{region}}"}},
		}}}
	b := (&Scope{Env: staging()}).Bind(res)
	o := b.Auth.OAuth2
	if got := o.AuthParams; got[0].Value != "https://staging.example.com/api" || got[1].Value != "{{who}}" || got[2].Value != "{{client_id}}" {
		t.Errorf("auth params = %+v", got)
	}
	if got := o.TokenParams; got[0].Value != "https://staging.example.com/api" || got[1].Value != "env-region" || got[1].Enabled {
		t.Errorf("token params = %+v", got)
	}
	if res.Auth.OAuth2.AuthParams[0].Value != "{{base}}/api" || res.Auth.OAuth2.TokenParams[0].Value != "{{base}}/api" {
		t.Errorf("Bind changed the resource's params: %+v", res.Auth.OAuth2)
	}
}

// An environment's secret variables are run as secret: masked, kept out of history.
func TestQueryMarksSecrets(t *testing.T) {
	s := &Scope{Env: staging()}
	q := &query.Query{Variables: []query.Variable{{Name: "token", Default: "leak"}}}
	rq := s.Query(q)
	if !rq.Variables[0].Secret() || rq.Variables[0].Default != "" {
		t.Errorf("token = %+v", rq.Variables[0])
	}
	if q.Variables[0].Secret() {
		t.Error("the saved query was changed")
	}
	if vals := rq.WithoutSecrets(map[string]string{"token": "t0p", "base": "b"}); vals["token"] != "" || vals["base"] != "b" {
		t.Errorf("WithoutSecrets = %v", vals)
	}
	if got := s.Query(nil); len(got.Variables) != 1 || got.Variables[0].Name != "token" {
		t.Errorf("Query(nil) = %+v", got.Variables)
	}
}

func TestMissingSaysWhere(t *testing.T) {
	s := &Scope{Env: staging()}
	_, err := template.Expand("{{token}} {{nope}}", s.Values(nil, nil))
	err = s.Missing(err)
	if !errors.Is(err, template.ErrMissing) {
		t.Fatalf("not a missing error: %v", err)
	}
	for _, w := range []string{"{{token}}", "{{nope}}", "the environment Staging", "the workspace's variables", "token is secret in Staging: enter your value"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q lacks %q", err, w)
		}
	}
	if e := errors.New("other"); s.Missing(e) != e {
		t.Error("another error was changed")
	}
	if m := (*Scope)(nil).Missing(&template.MissingError{Names: []string{"x"}}).Error(); !strings.Contains(m, "no environment (none is chosen)") {
		t.Errorf("no scope: %q", m)
	}
}

func TestValidate(t *testing.T) {
	e := &Environment{Name: "Prod", Variables: []Variable{{Name: "a b"}, {Name: "x", Value: "1"}, {Name: "x"}, {Name: "k", Secret: true, Value: "s3cret"}, {Name: ""}}}
	es := e.Validate()
	msgs := es.Error()
	for _, w := range []string{`"a b" may use only`, "x is listed twice", "k is secret", "has no name"} {
		if !strings.Contains(msgs, w) {
			t.Errorf("%q lacks %q", msgs, w)
		}
	}
	if strings.Contains(msgs, "s3cret") {
		t.Error("a message repeats the secret")
	}
	if es := (&Environment{}).Validate(); es.For("name") == "" {
		t.Error("no name accepted")
	}
}
