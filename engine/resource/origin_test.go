package resource

import (
	"errors"
	"testing"
)

func TestOriginOf(t *testing.T) {
	for raw, want := range map[string]string{
		"https://API.example.com/v1?x=1":     "https://api.example.com",
		"HTTPS://api.example.com:443":        "https://api.example.com",
		"http://api.example.com:80/":         "http://api.example.com",
		"http://127.0.0.1:8080/a":            "http://127.0.0.1:8080",
		"https://user:pw@api.example.com/x":  "https://api.example.com",
		"https://{{tenant}}.example.com/api": "https://{{tenant}}.example.com",
		" https://api.example.com#frag ":     "https://api.example.com",
		"ftp://files.example.com":            "",
		"api.example.com":                    "",
		"https:///path":                      "",
		"https://[::1]:8443/x":               "https://[::1]:8443",
	} {
		if got := OriginOf(raw); got != want {
			t.Errorf("OriginOf(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestCheckOrigin(t *testing.T) {
	r := &Resource{ID: "id1", Name: "CRM"}
	for _, tt := range []struct {
		was, now string
		changed  bool
	}{
		{"https://a.example", "https://a.example", false},
		{"", "https://b.example", false},                 // nothing recorded yet
		{"https://a.example", "", false},                 // cannot be sent anyway
		{"http://a.example", "https://a.example", false}, // upgraded
		{"https://a.example", "http://a.example", true},  // downgraded
		{"https://a.example", "https://b.example", true},
		{"https://a.example", "https://a.example:8443", true},
		{"https://a.example", "https://sub.a.example", true},
	} {
		err := CheckOrigin(r, tt.was, tt.now, true)
		if changed := errors.Is(err, ErrOriginChanged); changed != tt.changed {
			t.Errorf("%s → %s: err = %v, want changed %v", tt.was, tt.now, err, tt.changed)
		}
		var oce *OriginChangedError
		if tt.changed && (!errors.As(err, &oce) || oce.Resource != "CRM" || oce.ID != "id1" || !oce.Token || oce.Trusted() != (Origins{Token: tt.now})) {
			t.Errorf("%s → %s: %#v", tt.was, tt.now, oce)
		}
	}
}
