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
