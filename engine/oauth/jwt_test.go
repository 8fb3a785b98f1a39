package oauth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func makeJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(map[string]any{"alg": "RS256", "typ": "JWT", "kid": "k1"})
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(c) + "." + enc([]byte("not-a-real-signature"))
}

func TestDecodeJWT(t *testing.T) {
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tok := makeJWT(t, map[string]any{
		"iss": "https://login.example.com/", "sub": "user-1", "aud": []string{"api", "web"},
		"exp": exp.Unix(), "iat": exp.Add(-time.Hour).Unix(), "scope": "read write", "tid": "contoso",
	})
	j, err := DecodeJWT(tok)
	if err != nil {
		t.Fatal(err)
	}
	if j.Issuer != "https://login.example.com/" || j.Subject != "user-1" || !slices.Equal(j.Audience, []string{"api", "web"}) {
		t.Errorf("decoded = %+v", j)
	}
	if !j.Expires.Equal(exp) || !j.IssuedAt.Equal(exp.Add(-time.Hour)) || !j.NotBefore.IsZero() {
		t.Errorf("times = %v %v %v", j.Expires, j.IssuedAt, j.NotBefore)
	}
	if !slices.Equal(j.Scopes, []string{"read", "write"}) || j.Header["kid"] != "k1" {
		t.Errorf("scopes %q header %v", j.Scopes, j.Header)
	}
	lines := strings.Join(j.Lines(exp.Add(-52*time.Minute)), "\n")
	for _, want := range []string{"issuer: https://login.example.com/", "subject: user-1", "audience: api, web", "(in 52 min)", "scopes: read write", `tid: "contoso"`} {
		if !strings.Contains(lines, want) {
			t.Errorf("Lines lack %q:\n%s", want, lines)
		}
	}

	// scp as a list (Entra, Okta) and a single audience.
	j, err = DecodeJWT(makeJWT(t, map[string]any{"scp": []string{"User.Read"}, "aud": "api"}))
	if err != nil || !slices.Equal(j.Scopes, []string{"User.Read"}) || !slices.Equal(j.Audience, []string{"api"}) {
		t.Errorf("scp/aud: %+v, %v", j, err)
	}

	// An algorithm golang-jwt cannot verify is still shown (a viewer verifies nothing), and a registered
	// claim of the wrong type is listed as it stands rather than dropped.
	enc := base64.RawURLEncoding.EncodeToString
	j, err = DecodeJWT(enc([]byte(`{"alg":"ES256K"}`)) + "." + enc([]byte(`{"sub":"ann","iss":12,"exp":"soon"}`)) + ".sig")
	if err != nil || j.Subject != "ann" || j.Issuer != "" || !j.Expires.IsZero() {
		t.Fatalf("unknown alg: %+v, %v", j, err)
	}
	if lines := strings.Join(j.Lines(exp), "\n"); !strings.Contains(lines, "iss: 12") || !strings.Contains(lines, `exp: "soon"`) {
		t.Errorf("Lines drop the claims they could not read:\n%s", lines)
	}
}

func TestDecodeJWTNotAJWT(t *testing.T) {
	for _, tok := range []string{
		"", "gho_16C7e42F292c6912E7710c838347Ae178B4a", "ya29.a0AfH6SMBx.opaque", "a.b.c",
		base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT"}`)) + ".e30.sig", // no alg
		"eyJhbGciOiJSU0EtT0FFUCJ9.key.iv.cipher.tag",                               // JWE
	} {
		j, err := DecodeJWT(tok)
		if !errors.Is(err, ErrNotJWT) || j != nil {
			t.Errorf("DecodeJWT(%q) = %v, %v; want ErrNotJWT", tok, j, err)
			continue
		}
		if tok != "" && strings.Contains(err.Error(), tok) {
			t.Errorf("error repeats the token: %v", err)
		}
	}
	if _, err := DecodeJWT("gho_x"); err.Error() != "not a JWT (opaque token)" {
		t.Errorf("message = %q", err)
	}
}
