package oauth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
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

// DecodeJWT reads a JWT's header and claims (RFC 7519) without verifying it. For anything else it returns
// ErrNotJWT; no error contains the token.
func DecodeJWT(token string) (*JWT, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, ErrNotJWT
	}
	parts := strings.Split(token, ".")
	switch len(parts) {
	case 3:
	case 5:
		return nil, fmt.Errorf("%w: it is an encrypted JWT (JWE), so its claims cannot be read", ErrNotJWT)
	default:
		return nil, ErrNotJWT
	}
	var j JWT
	if err := decodeSegment(parts[0], &j.Header); err != nil {
		return nil, ErrNotJWT
	}
	if _, ok := j.Header["alg"]; !ok {
		return nil, ErrNotJWT
	}
	if err := decodeSegment(parts[1], &j.Claims); err != nil {
		return nil, fmt.Errorf("%w: its header is a JWT's but its claims are not JSON", ErrNotJWT)
	}
	j.Issuer = claimString(j.Claims["iss"])
	j.Subject = claimString(j.Claims["sub"])
	switch aud := j.Claims["aud"].(type) {
	case string:
		j.Audience = []string{aud}
	case []any:
		for _, a := range aud {
			if s := claimString(a); s != "" {
				j.Audience = append(j.Audience, s)
			}
		}
	}
	j.Expires = claimTime(j.Claims["exp"])
	j.IssuedAt = claimTime(j.Claims["iat"])
	j.NotBefore = claimTime(j.Claims["nbf"])
	switch scp := j.Claims["scp"].(type) {
	case string:
		j.Scopes = strings.Fields(scp)
	case []any:
		for _, s := range scp {
			if s := claimString(s); s != "" {
				j.Scopes = append(j.Scopes, s)
			}
		}
	}
	if s, ok := j.Claims["scope"].(string); ok && j.Scopes == nil {
		j.Scopes = strings.Fields(s)
	}
	return &j, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

func claimString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

func claimTime(v any) time.Time {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}
	}
	f, err := n.Float64()
	if err != nil || f <= 0 || f > math.MaxInt32*100 {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9))
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
	known := map[string]bool{"iss": true, "sub": true, "aud": true, "exp": true, "iat": true, "nbf": true, "scp": true, "scope": true}
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
