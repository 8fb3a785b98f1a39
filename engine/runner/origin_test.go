package runner

import (
	"net/url"
	"testing"
)

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://api.example.com/a", "https://api.example.com/b?x=1", true},
		{"https://api.example.com", "https://API.example.com:443/", true},
		{"http://api.example.com", "https://api.example.com", true},  // upgrade on the default ports
		{"https://api.example.com", "http://api.example.com", false}, // downgrade
		{"https://api.example.com", "https://api.example.com:8443", false},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8081", false},
		{"http://127.0.0.1:8080", "https://127.0.0.1:8080", false}, // a scheme change off the default ports
		{"https://api.example.com", "https://evil.example.com", false},
		{"https://example.com", "https://sub.example.com", false}, // Go's client would keep credentials here
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := sameOrigin(a, b); got != tt.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDropAndMaskParams(t *testing.T) {
	names := map[string]string{"api_key": "{-api_key-}", "access token": "{-oauth_access_token-}"}
	raw := "a=1&api_key=s3cret&access+token=t0k&api_keyx=2&b"
	if got, want := dropParams(raw, names), "a=1&api_keyx=2&b"; got != want {
		t.Errorf("dropParams = %q, want %q", got, want)
	}
	if got, want := maskParams(raw, names), "a=1&api_key={-api_key-}&access+token={-oauth_access_token-}&api_keyx=2&b"; got != want {
		t.Errorf("maskParams = %q, want %q", got, want)
	}
}
