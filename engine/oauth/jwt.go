package oauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrNotJWT: the token is opaque; only the server that issued it knows what it says.
var ErrNotJWT = errors.New("not a JWT (opaque token)")

// JWT is what a JSON Web Token says about itself, read without verifying its signature: good for showing,
// never for trusting. It holds no signature and is never sent anywhere.
type JWT struct {
	Header map[string]any // alg, typ, kid…
	Claims map[string]any // every claim, as decoded from JSON (numbers as json.Number)

	Issuer    string
	Subject   string
	Audience  []string
	Expires   time.Time // zero when there is no exp claim
	IssuedAt  time.Time
	NotBefore time.Time
	Scopes    []string // from scope (space-separated) or scp (a list or a string)
}

// viewer reads a token's segments as they are: numbers stay json.Number, and "=" padding (which some
// servers leave in) is accepted.
var viewer = jwt.NewParser(jwt.WithJSONNumber(), jwt.WithPaddingAllowed())

// DecodeJWT reads a JWT's header and claims (RFC 7519) without verifying it. For anything else it returns
// ErrNotJWT; no error contains the token.
func DecodeJWT(token string) (*JWT, error) {
	token = strings.TrimSpace(token)
	if strings.Count(token, ".") == 4 {
		return nil, fmt.Errorf("%w: it is an encrypted JWT (JWE), so its claims cannot be read", ErrNotJWT)
	}
	claims := jwt.MapClaims{}
	// A viewer shows what the token says, so an algorithm the library cannot verify (ErrTokenUnverifiable)
	// or a signature that is not base64 does not matter; no error of the library is passed on, since its
	// messages may quote the token.
	tok, _, err := viewer.ParseUnverified(token, claims)
	if tok == nil || tok.Header["alg"] == nil {
		return nil, ErrNotJWT // not three segments, a header that is not JSON, or one with no algorithm
	}
	if err != nil && tok.Method == nil && !errors.Is(err, jwt.ErrTokenUnverifiable) {
		return nil, fmt.Errorf("%w: its header is a JWT's but its claims are not JSON", ErrNotJWT)
	}
	j := JWT{Header: tok.Header, Claims: claims}
	j.Issuer, _ = claims.GetIssuer()
	j.Subject, _ = claims.GetSubject()
	j.Audience, _ = claims.GetAudience()
	j.Expires = claimTime(claims.GetExpirationTime)
	j.IssuedAt = claimTime(claims.GetIssuedAt)
	j.NotBefore = claimTime(claims.GetNotBefore)
	switch scp := claims["scp"].(type) {
	case string:
		j.Scopes = strings.Fields(scp)
	case []any:
		for _, s := range scp {
			if s, ok := s.(string); ok && s != "" {
				j.Scopes = append(j.Scopes, s)
			}
		}
	}
	if s, ok := claims["scope"].(string); ok && j.Scopes == nil {
		j.Scopes = strings.Fields(s)
	}
	return &j, nil
}

// claimTime reads a NumericDate claim; zero when it is missing or is no time a token could mean.
func claimTime(get func() (*jwt.NumericDate, error)) time.Time {
	d, err := get()
	if err != nil || d == nil || d.Unix() <= 0 || d.Year() > 9999 {
		return time.Time{}
	}
	return d.Time
}

// Lines lists what the token says, one "name: value" a line, the well-known claims first, for showing
// under a token. Times are in local time with how far away they are from now.
func (j *JWT) Lines(now time.Time) []string {
	var out []string
	add := func(k, v string) {
		if v != "" {
			out = append(out, k+": "+v)
		}
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		d := t.Sub(now)
		rel := "in " + humanDuration(d)
		if d < 0 {
			rel = humanDuration(-d) + " ago"
		}
		return t.Local().Format("2006-01-02 15:04:05 MST") + " (" + rel + ")"
	}
	add("issuer", j.Issuer)
	add("subject", j.Subject)
	add("audience", strings.Join(j.Audience, ", "))
	add("expires", when(j.Expires))
	add("issued", when(j.IssuedAt))
	add("not before", when(j.NotBefore))
	add("scopes", strings.Join(j.Scopes, " "))
	// A claim read above is not listed again; one that could not be read (an issuer that is a number, an
	// expiry that is a string) is listed as it stands.
	known := map[string]bool{
		"iss": j.Issuer != "", "sub": j.Subject != "", "aud": j.Audience != nil, "exp": !j.Expires.IsZero(),
		"iat": !j.IssuedAt.IsZero(), "nbf": !j.NotBefore.IsZero(), "scp": j.Scopes != nil, "scope": j.Scopes != nil,
	}
	var rest []string
	for k := range j.Claims {
		if !known[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		b, _ := json.Marshal(j.Claims[k])
		add(k, clip(string(b), 200))
	}
	return out
}
