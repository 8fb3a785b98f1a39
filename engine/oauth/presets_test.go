package oauth

import (
	"net/url"
	"strings"
	"testing"

	"apidesk/engine/resource"
)

func TestEveryPresetAppliesAndValidates(t *testing.T) {
	ps := Presets()
	ids := map[string]bool{}
	for _, want := range []string{"google", "github", "microsoft", "slack", "salesforce", "gitlab", "auth0", "okta"} {
		ids[want] = false
	}
	for _, p := range ps {
		t.Run(p.ID, func(t *testing.T) {
			if _, dup := ids[p.ID]; dup && ids[p.ID] {
				t.Fatalf("preset %q appears twice", p.ID)
			}
			ids[p.ID] = true
			if p.Name == "" || p.Notes == "" || !strings.HasPrefix(p.RegisterURL, "https://") {
				t.Errorf("preset lacks a name, notes or register URL: %+v", p)
			}
			vars := map[string]string{}
			for _, v := range p.Vars {
				if v.Default == "" {
					vars[v.Name] = "https://" + v.Example + "/" // pasted the way people do
				}
			}
			o := resource.OAuth2{ClientID: "client-123", RedirectPort: 8765, Grant: resource.GrantDevice}
			if err := p.Apply(&o, vars); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if o.Preset != p.ID || o.ClientID != "client-123" || o.RedirectPort != 8765 || o.Grant != resource.GrantDevice {
				t.Errorf("Apply changed what it should keep: %+v", o)
			}
			for name, u := range map[string]string{"auth": o.AuthURL, "token": o.TokenURL, "device": o.DeviceURL, "revoke": o.RevokeURL, "login test": o.LoginTestURL, "issuer": o.Issuer} {
				if u == "" {
					continue
				}
				pu, err := url.Parse(u)
				if err != nil || pu.Scheme != "https" || pu.Host == "" || strings.Contains(u, "{{") || strings.Contains(pu.Host, "/") {
					t.Errorf("%s URL %q is not a concrete https URL", name, u)
				}
			}
			if o.AuthURL == "" || o.TokenURL == "" || len(o.Scopes) == 0 {
				t.Errorf("preset lacks auth URL, token URL or scopes: %+v", o)
			}
			o.Grant = resource.GrantAuthorizationCode
			if es := o.Validate(); len(es) != 0 {
				t.Errorf("applied preset does not validate: %v", es)
			}
			if o.DeviceURL != "" {
				o.Grant = resource.GrantDevice
				if es := o.Validate(); len(es) != 0 {
					t.Errorf("device grant does not validate: %v", es)
				}
			}
		})
	}
	for id, seen := range ids {
		if !seen {
			t.Errorf("no %s preset", id)
		}
	}
}

func TestPresetVars(t *testing.T) {
	okta, err := LookupPreset("OKTA")
	if err != nil {
		t.Fatal(err)
	}
	var o resource.OAuth2
	if err := okta.Apply(&o, nil); err == nil || !strings.Contains(err.Error(), "okta domain (for example dev-123456.okta.com)") {
		t.Errorf("missing domain: err = %v", err)
	}
	if err := okta.Apply(&o, map[string]string{"domain": "dev-1.okta.com/oauth2"}); err == nil {
		t.Errorf("a domain with a path was accepted")
	}
	if err := okta.Apply(&o, map[string]string{"domain": " HTTPS://dev-1.okta.com/ "}); err != nil {
		t.Fatal(err)
	}
	if o.TokenURL != "https://dev-1.okta.com/oauth2/default/v1/token" {
		t.Errorf("token URL = %q", o.TokenURL)
	}
	ms, _ := LookupPreset("microsoft")
	if err := ms.Apply(&o, map[string]string{"tenant": "contoso.onmicrosoft.com"}); err != nil {
		t.Fatal(err)
	}
	if o.AuthURL != "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize" || o.RevokeURL != "" {
		t.Errorf("microsoft: %+v", o)
	}
	if err := ms.Apply(&o, map[string]string{"tenant": "a/b"}); err == nil {
		t.Errorf("a tenant with a slash was accepted")
	}
	if _, err := LookupPreset("nope"); err == nil || !strings.Contains(err.Error(), "google") {
		t.Errorf("unknown preset: %v", err)
	}
	g, _ := LookupPreset("google")
	g.Apply(&o, nil)
	if v, _ := o.AuthParams.Get("access_type", false); v != "offline" || o.ClientAuth != resource.ClientAuthBody {
		t.Errorf("google: %+v", o)
	}
}
