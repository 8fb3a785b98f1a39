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
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/.well-known/openid-configuration" {
			json.NewEncoder(w).Encode(map[string]any{
				"issuer": "https://someone-else.example", "authorization_endpoint": "https://x.example/auth",
				"token_endpoint": "https://x.example/token", "code_challenge_methods_supported": []string{"plain"},
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
	if len(w) != 2 || !strings.Contains(w[0], "someone-else") || !strings.Contains(w[1], "S256") || o.DisablePKCE {
		t.Errorf("warnings = %q, DisablePKCE = %v", w, o.DisablePKCE)
	}

	_, err = Discover(t.Context(), srv.Client(), srv.URL+"/nothing/here")
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "no OAuth metadata found") {
		t.Errorf("err = %v", err)
	}
}
