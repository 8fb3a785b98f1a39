package resource

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"apidesk/engine/kv"
)

func valid() Resource {
	return Resource{ID: NewID(), Name: "GitHub", BaseURL: "https://api.github.com"}
}

func TestValidateMessages(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(r *Resource)
		field string
		msg   string
	}{
		{"no name", func(r *Resource) { r.Name = " " }, "name", "Name is required"},
		{"no base url", func(r *Resource) { r.BaseURL = "" }, "base_url", "Base URL is required, for example https://api.example.com"},
		{"ftp", func(r *Resource) { r.BaseURL = "ftp://x" }, "base_url", "Base URL must start with http:// or https://"},
		{"bare host", func(r *Resource) { r.BaseURL = "api.github.com" }, "base_url", "Base URL must start with http:// or https://"},
		{"space", func(r *Resource) { r.BaseURL = "https://api.x.com/a b" }, "base_url", "Base URL may not contain spaces: encode a space as %20"},
		{"no host", func(r *Resource) { r.BaseURL = "https:///x" }, "base_url", "Base URL needs a host name after https://, for example https://api.example.com"},
		{"password in the base url", func(r *Resource) { r.BaseURL = "https://svc:hunter2@api.x.com/v1" }, "base_url",
			"Base URL holds a password (user:password@), and workspace files may be shared: take it out of the URL and choose Basic (username and password) authentication, which keeps the password in your keychain"},
		{"password in the token url", func(r *Resource) {
			r.Auth = Auth{Kind: AuthOAuth2, OAuth2: OAuth2{Grant: GrantClientCredentials, TokenURL: "https://app:s%40cret@x/t", ClientID: "id"}}
		}, "auth.oauth2.token_url", "Token URL holds a password (user:password@), and workspace files may be shared: take it out of the URL and set it in the resource's authentication, which keeps it in your keychain"},
		{"header space", func(r *Resource) { r.Headers = kv.List{kv.On("X Key", "1")} }, "headers[0].key", "Header name may not contain spaces"},
		{"header crlf", func(r *Resource) { r.Headers = kv.List{kv.On("X", "1\r\nEvil: 1")} }, "headers[0].value", "Header value may not contain a line break"},
		{"cookie semicolon", func(r *Resource) { r.Cookies = kv.List{kv.On("a", "1;b=2")} }, "cookies[0].value", "Cookie value may not contain ';' or a line break"},
		{"negative timeout", func(r *Resource) { r.Timeout = -time.Second }, "timeout", "Timeout may not be negative"},
		{"basic no user", func(r *Resource) { r.Auth = Auth{Kind: AuthBasic} }, "auth.username", "Username is required for Basic authentication"},
		{"apikey where", func(r *Resource) { r.Auth = Auth{Kind: AuthAPIKey, KeyName: "k"} }, "auth.key_in", "Choose where to send the API key: header or query"},
		{"oauth token url", func(r *Resource) {
			r.Auth = Auth{Kind: AuthOAuth2, OAuth2: OAuth2{AuthURL: "https://x/auth", ClientID: "id"}}
		}, "auth.oauth2.token_url", "Token URL is required (your provider's documentation names it)"},
		{"oauth port", func(r *Resource) {
			r.Auth = Auth{Kind: AuthOAuth2, OAuth2: OAuth2{Grant: GrantClientCredentials, TokenURL: "https://x/t", ClientID: "id", RedirectPort: 70000}}
		}, "auth.oauth2.redirect_port", "Redirect port must be between 1 and 65535, or empty for any free port"},
		{"oauth extra param", func(r *Resource) {
			r.Auth = Auth{Kind: AuthOAuth2, OAuth2: OAuth2{Grant: GrantClientCredentials, TokenURL: "https://x/t", ClientID: "id", TokenParams: kv.List{kv.On("", "x")}}}
		}, "auth.oauth2.token_params[0].key", "Parameter name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid()
			tt.edit(&r)
			es := r.Validate()
			if got := es.For(tt.field); got != tt.msg {
				t.Fatalf("message for %s = %q, want %q (all: %v)", tt.field, got, tt.msg, es)
			}
			if !errors.Is(es.OrNil(), ErrInvalid) {
				t.Fatal("Errors should match ErrInvalid")
			}
		})
	}
}

func TestValidResources(t *testing.T) {
	for name, r := range map[string]Resource{
		"plain":                 valid(),
		"variable":              {Name: "x", BaseURL: "https://{{host}}/v1"},
		"disabled bad row kept": {Name: "x", BaseURL: "http://localhost:8080", Headers: kv.List{{Key: "", Value: "draft", Enabled: false}}},
		"bearer":                {Name: "x", BaseURL: "https://a.b", Auth: Auth{Kind: AuthBearer}},
		"user without password": {Name: "x", BaseURL: "https://ada@a.b"},
		"password variable":     {Name: "x", BaseURL: "https://ada:{{pw}}@a.b/v1"},
		"@ in the path":         {Name: "x", BaseURL: "https://a.b/users/@me:x"},
		"apikey":                {Name: "x", BaseURL: "https://a.b", Auth: Auth{Kind: AuthAPIKey, KeyName: "X-API-Key", KeyIn: KeyInHeader}},
		"apikey query":          {Name: "x", BaseURL: "https://a.b", Auth: Auth{Kind: AuthAPIKey, KeyName: "api key", KeyIn: KeyInQuery}},
		"oauth code": {Name: "x", BaseURL: "https://a.b", Auth: Auth{Kind: AuthOAuth2, OAuth2: OAuth2{
			AuthURL: "https://a.b/auth?client_id={{client_id}}&prompt=consent", TokenURL: "https://a.b/token", TokenMethod: "get",
			ClientID: "id", Scopes: []string{"read", "write"}, RedirectPort: 8765}}},
	} {
		t.Run(name, func(t *testing.T) {
			if es := r.Validate(); len(es) != 0 {
				t.Fatalf("unexpected problems: %v", es)
			}
		})
	}
}

func TestNewIDUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if len(id) != 16 || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestPort(t *testing.T) {
	for raw, want := range map[string]string{
		"https://api.example.com/x": "443", "HTTPS://api.example.com": "443", "http://api.example.com": "80",
		"http://api.example.com:8080": "8080", "https://[::1]:8443/": "8443",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Port(u); got != want {
			t.Errorf("Port(%s) = %s, want %s", raw, got, want)
		}
	}
}

// A resource is saved without its OAuth 2.0 client ID (an import knows everything else; a person may save what
// they typed so far), but signing in asks for it: OAuth2.Validate still names it.
func TestValidateSavesWithoutClientID(t *testing.T) {
	r := valid()
	r.Auth = Auth{Kind: AuthOAuth2, OAuth2: OAuth2{Grant: GrantAuthorizationCode, AuthURL: "https://id.example/authorize", TokenURL: "https://id.example/token"}}
	if es := r.Validate(); len(es) != 0 {
		t.Errorf("a resource without its client ID: %v", es)
	}
	es := r.Auth.OAuth2.Validate()
	if len(es) != 1 || es[0].Field != "auth.oauth2.client_id" {
		t.Errorf("sign-in's check: %v", es)
	}
	r.Auth.OAuth2.TokenURL = ""
	if es := r.Validate(); len(es) != 1 || es[0].Field != "auth.oauth2.token_url" {
		t.Errorf("without its token URL: %v", es)
	}
}

// A name's length is counted in characters, as its message says, not in bytes.
func TestValidateNameCountsCharacters(t *testing.T) {
	if err := ValidateName(strings.Repeat("名", 100)); err != nil {
		t.Errorf("100 characters: %v", err)
	}
	if err := ValidateName(strings.Repeat("名", 101)); err == nil || err.Error() != "Name is too long: keep it under 100 characters" {
		t.Errorf("101 characters: %v", err)
	}
}
