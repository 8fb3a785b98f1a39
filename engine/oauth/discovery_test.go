package oauth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"apidesk/engine/resource"
)

func TestDiscoveryURLs(t *testing.T) {
	tests := []struct {
		issuer string
		want   []string
	}{
		{"https://accounts.google.com", []string{
			"https://accounts.google.com/.well-known/openid-configuration",
			"https://accounts.google.com/.well-known/oauth-authorization-server",
		}},
		{"https://login.example.com/tenant1/v2.0/", []string{
			"https://login.example.com/tenant1/v2.0/.well-known/openid-configuration",
			"https://login.example.com/.well-known/oauth-authorization-server/tenant1/v2.0",
			"https://login.example.com/.well-known/openid-configuration/tenant1/v2.0",
		}},
		{"https://as.example.com/.well-known/openid-configuration", []string{"https://as.example.com/.well-known/openid-configuration"}},
	}
	for _, tt := range tests {
		got, err := DiscoveryURLs(tt.issuer)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("DiscoveryURLs(%q) = %q, %v; want %q", tt.issuer, got, err, tt.want)
		}
	}
	if _, err := DiscoveryURLs("accounts.google.com"); err == nil {
		t.Errorf("an issuer without https:// was accepted")
	}
}

// A server that publishes RFC 8414 metadata only, for an issuer with a path.
func TestDiscoverPathIssuer(t *testing.T) {
	var srv *httptest.Server
	var asked []string
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		if r.URL.Path != "/.well-known/oauth-authorization-server/realms/acme" {
			http.NotFound(w, r)
			return
		}
		iss := srv.URL + "/realms/acme"
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": iss, "authorization_endpoint": iss + "/auth", "token_endpoint": iss + "/token",
			"revocation_endpoint": iss + "/revoke", "device_authorization_endpoint": iss + "/device",
			"scopes_supported": []string{"openid", "profile"}, "code_challenge_methods_supported": []string{"plain", "S256"},
		})
	}))
	defer srv.Close()

	md, err := Discover(t.Context(), srv.Client(), srv.URL+"/realms/acme")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(asked, []string{"/realms/acme/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/realms/acme"}) {
		t.Errorf("asked %q", asked)
	}
	o := resource.OAuth2{ClientID: "cid"}
	if warnings := md.Apply(&o, srv.URL+"/realms/acme"); len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
	iss := srv.URL + "/realms/acme"
	if o.AuthURL != iss+"/auth" || o.TokenURL != iss+"/token" || o.RevokeURL != iss+"/revoke" || o.DeviceURL != iss+"/device" || o.Issuer != iss {
		t.Errorf("applied: %+v", o)
	}
	if !slices.Equal(md.ScopesSupported, []string{"openid", "profile"}) {
		t.Errorf("scopes = %q", md.ScopesSupported)
	}
	if es := o.Validate(); len(es) != 0 {
		t.Errorf("discovered config does not validate: %v", es)
	}
}

func TestDiscoverWarningsAndFailure(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/.well-known/openid-configuration" {
			json.NewEncoder(w).Encode(map[string]any{
				"issuer": srv.URL, "authorization_endpoint": srv.URL + "/auth",
				"token_endpoint": srv.URL + "/token", "code_challenge_methods_supported": []string{"plain"},
			})
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	md, err := Discover(t.Context(), srv.Client(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	o := resource.OAuth2{}
	w := md.Apply(&o, srv.URL)
	if len(w) != 1 || !strings.Contains(w[0], "S256") || o.DisablePKCE {
		t.Errorf("warnings = %q, DisablePKCE = %v", w, o.DisablePKCE)
	}

	_, err = Discover(t.Context(), srv.Client(), srv.URL+"/nothing/here")
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "no OAuth metadata found") {
		t.Errorf("err = %v", err)
	}
}

// RFC 8414 §3.3: a document naming another issuer is not used; nor one that sends the sign-in over plain http
// to another computer.
func TestDiscoverRefusesForeignOrUnencryptedDocuments(t *testing.T) {
	var doc map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/.well-known/") {
			json.NewEncoder(w).Encode(doc)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	endpoints := func(issuer, base string) map[string]any {
		return map[string]any{"issuer": issuer, "authorization_endpoint": base + "/auth", "token_endpoint": base + "/token"}
	}
	tests := []struct {
		name   string
		doc    map[string]any
		asked  string
		refuse string // "" when the document is used
	}{
		{"other issuer", endpoints("https://evil.example", "https://evil.example"), srv.URL, "are for https://evil.example, not " + srv.URL},
		{"no issuer", endpoints("", srv.URL), srv.URL, "are for no provider at all"},
		{"trailing slash", endpoints(srv.URL+"/", srv.URL), srv.URL, ""},
		{"document pasted", endpoints(srv.URL+"/tenant", srv.URL), srv.URL + "/tenant/.well-known/openid-configuration", ""},
		{"RFC 8414 document pasted", endpoints(srv.URL+"/tenant", srv.URL), srv.URL + "/.well-known/oauth-authorization-server/tenant", ""},
		{"pasted document of another issuer", endpoints(srv.URL+"/other", srv.URL), srv.URL + "/tenant/.well-known/openid-configuration", "not " + srv.URL + "/tenant"},
		{"multi-tenant placeholder", endpoints(srv.URL+"/{tenantid}/v2.0", srv.URL), srv.URL + "/common/v2.0", ""},
		{"plain http token URL", endpoints(srv.URL, "http://as.example.com"), srv.URL, "URL starts with http://, which would send your sign-in unencrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc = tt.doc
			md, err := Discover(t.Context(), srv.Client(), tt.asked)
			if tt.refuse == "" {
				if err != nil || md == nil {
					t.Errorf("Discover = %v, want the document used", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.refuse) {
				t.Errorf("err = %v, want it to say %q", err, tt.refuse)
			}
		})
	}
}

func TestServerURLsMustBeEncrypted(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://as.example.com/token", true},
		{"http://127.0.0.1:8080/token", true},
		{"http://localhost/token", true},
		{"http://[::1]:9000/token", true},
		{"http://as.example.com/token", false},
		{"http://{{host}}/token", false},
		{"HTTP://10.0.0.5/token", false},
	} {
		o := resource.OAuth2{ClientID: "cid", AuthURL: "https://as.example.com/auth", TokenURL: tc.url}
		es := o.Validate()
		if (len(es) == 0) != tc.ok {
			t.Errorf("Token URL %s: errors %v, want ok=%v", tc.url, es, tc.ok)
		}
		if !tc.ok && (len(es) == 0 || !strings.Contains(es.Error(), "use https://")) {
			t.Errorf("Token URL %s: the message does not say how to fix it: %v", tc.url, es)
		}
	}
}
