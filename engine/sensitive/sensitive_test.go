package sensitive

import "testing"

func TestNames(t *testing.T) {
	type rule struct {
		name string
		is   func(string) bool
	}
	header, apiKeyHeader := rule{"Header", Header}, rule{"APIKeyHeader", APIKeyHeader}
	param, apiKeyParam, cookie := rule{"Param", Param}, rule{"APIKeyParam", APIKeyParam}, rule{"Cookie", Cookie}
	for _, tc := range []struct {
		r    rule
		name string
		want bool
	}{
		{header, "Authorization", true},
		{header, "Proxy-Authorization", true},
		{header, "X-API-Key", true},
		{header, "Ocp-Apim-Subscription-Key", true},
		{header, "X-Functions-Key", true},
		{header, "X-Key", true},
		{header, "X-Auth-Token", true},
		{header, "X-CSRF-Token", true},
		{header, "X-Session-Id", true},
		{header, "X-Client-Secret", true},
		{header, "Accept", false},
		{header, "X-Trace", false},
		{header, "X-Request-Id", false},
		{header, "Keep-Alive", false},
		{apiKeyHeader, "Ocp-Apim-Subscription-Key", true},
		{apiKeyHeader, "x_api_key", true},
		{apiKeyHeader, "X-CSRF-Token", false},
		{param, "api_key", true},
		{param, "apiKey", true},
		{param, "access_token", true},
		{param, "token", true},
		{param, "password", true},
		{param, "client_secret", true},
		{param, "secret", true},
		{param, "subscription-key", true},
		{param, "key", true},
		{param, "pageToken", false},
		{param, "page", false},
		{param, "monkey", false},
		{apiKeyParam, "access_token", true},
		{apiKeyParam, "password", false},
		{cookie, "sessionid", true},
		{cookie, "PHPSESSID", true},
		{cookie, "connect.sid", true},
		{cookie, "remember_me", true},
		{cookie, "theme", false},
		{cookie, "_ga", false},
	} {
		if got := tc.r.is(tc.name); got != tc.want {
			t.Errorf("%s(%q) = %v, want %v", tc.r.name, tc.name, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		in     string
		values []string
		want   string
	}{
		{`failed to parse Location header "http://x/cb?api_key=k1&page=2&access_token=a%2Fb#f": bad`, nil,
			`failed to parse Location header "http://x/cb?api_key=***&page=2&access_token=***#f": bad`},
		{"Get https://svc:hunter2@api.example.com/v1?q=1: EOF", nil, "Get https://svc:***@api.example.com/v1?q=1: EOF"},
		{"the token tok-123456 is revoked; next=tok-123456", []string{"tok-123456"}, "the token *** is revoked; next=***"},
		{"escaped a b&c in a URL: x?n=a+b%26c", []string{"a b&c"}, "escaped *** in a URL: x?n=***"},
		{"short values are left: id=abc", []string{"abc"}, "short values are left: id=abc"},
		{"pageToken=p-1 client_secret=s-1 password=", nil, "pageToken=p-1 client_secret=*** password="},
		{"nothing secret here: 2 + 2 = 4", nil, "nothing secret here: 2 + 2 = 4"},
	} {
		if got := Mask(tc.in, tc.values...); got != tc.want {
			t.Errorf("Mask(%q, %q)\n = %q\nwant %q", tc.in, tc.values, got, tc.want)
		}
	}
}

// A shared variable's value is a secret by its name as a header's or parameter's would be, unless it is an address.
func TestVariableValue(t *testing.T) {
	for _, c := range []struct {
		name, value string
		want        bool
	}{
		{"api_token", "abc123", true},
		{"password", "hunter2", true},
		{"client_secret", "s3", true},
		{"token_url", "https://login.example.com/token", false},
		{"auth_url", "https://login.example.com/authorize", false},
		{"auth", "https://idp.example.com", false},
		{"login_hint", "ada@example.com", false},
		{"session_proxy", "https://ada:pw@proxy.example.com", true},
		{"api_token", "", false},
		{"region", "eu", false},
	} {
		if got := VariableValue(c.name, c.value); got != c.want {
			t.Errorf("VariableValue(%q, %q) = %v, want %v", c.name, c.value, got, c.want)
		}
	}
}
