package runner

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"slices"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
)

// answerDigest answers the Digest challenge of a's 401 (RFC 7616, and RFC 2069's older form without qop) with
// the plan's user name and password, and sends the request again with its answer. The body goes again as the
// plan made it: a plan's body is made anew for each request. A 401 that asks for no Digest is the answer: a
// comes back as it is. It returns the attempt and the plan that was sent last.
func (r *Runner) answerDigest(ctx context.Context, res *resource.Resource, p *Plan, nc *netClient, a *attempt) (*attempt, *Plan, error) {
	final := a.resp.Request
	if a.redirects > 0 && final.Method != p.Method {
		return a, p, nil // a redirect turned the request into another one: there is nothing to answer for it
	}
	ch, err := pickDigest(a.resp.Header.Values("WWW-Authenticate"))
	if ch == nil && err == nil {
		return a, p, nil
	}
	if err == nil {
		err = ch.pickQop(p.File != "" || len(p.Parts) > 0)
	}
	if err != nil {
		a.discard()
		return nil, nil, fmt.Errorf("%s asks for Digest authentication in a way apidesk cannot answer: %w", res.Name, err)
	}
	a.discard()
	q := *p
	if a.redirects > 0 {
		q.URL = final.URL.String() // answered for where the request ended, on the same origin
	}
	auth := ch.authorization(p.user, p.password, final.Method, final.URL.RequestURI(), p.Body, newCnonce())
	q.Header = append(slices.Clip(p.Header), kv.On("Authorization", auth))
	next, err := r.send(ctx, res, &q, nc)
	if err != nil {
		return nil, nil, err
	}
	return next, &q, nil
}

// challenge is one challenge of a WWW-Authenticate header: its scheme, lower case, and its parameters, by
// lower-case name.
type challenge struct {
	scheme string
	params map[string]string
}

// parseChallenges reads the challenges of WWW-Authenticate header values (RFC 9110 §11.6.1): a value may hold
// several, each a scheme followed by name=value parameters (a token or a quoted string) separated by commas.
// What it cannot read it skips: a server's header never makes it fail.
func parseChallenges(values []string) []challenge {
	var out []challenge
	for _, v := range values {
		cur := -1
		for i := 0; i < len(v); {
			for i < len(v) && (v[i] == ' ' || v[i] == '\t' || v[i] == ',') {
				i++
			}
			start := i
			for i < len(v) && isTokenByte(v[i]) {
				i++
			}
			tok := v[start:i]
			if tok == "" {
				if i < len(v) {
					i++ // a byte that starts nothing: skip it
				}
				continue
			}
			j := i
			for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
				j++
			}
			if cur >= 0 && j < len(v) && v[j] == '=' && (j+1 >= len(v) || v[j+1] != '=') {
				j++
				for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
					j++
				}
				val, n := readParam(v[j:])
				out[cur].params[strings.ToLower(tok)] = val
				i = j + n
				continue
			}
			out = append(out, challenge{scheme: strings.ToLower(tok), params: map[string]string{}})
			cur = len(out) - 1
			i = skipToken68(v, j)
		}
	}
	return out
}

// skipToken68 returns where the challenge's parameters start in v after its scheme, at i: past a token68
// (Negotiate abc==), which is no name=value.
func skipToken68(v string, i int) int {
	e := i
	for e < len(v) && (isTokenByte(v[e]) || v[e] == '/') {
		e++
	}
	eqs := 0
	for e+eqs < len(v) && v[e+eqs] == '=' {
		eqs++
	}
	after := e + eqs
	ends := after >= len(v) || v[after] == ',' || v[after] == ' ' || v[after] == '\t'
	if e > i && (eqs >= 2 || ends && (eqs == 1 || after >= len(v) || v[after] == ',')) {
		return after
	}
	return i
}

// readParam reads a parameter's value at the start of s, a quoted string or a token, and says how many
// bytes it took.
func readParam(s string) (string, int) {
	if s == "" || s[0] != '"' {
		i := 0
		for i < len(s) && s[i] != ',' && s[i] != ' ' && s[i] != '\t' {
			i++
		}
		return s[:i], i
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), i + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(s) // no closing quote: the rest
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// digestChallenge is the Digest challenge chosen to answer.
type digestChallenge struct {
	realm, nonce, opaque string
	algorithm            string // as the server wrote it; "" when it named none (MD5)
	newHash              func() hash.Hash
	sess                 bool     // -sess: the first hash takes the nonces in too
	qops                 []string // what the server offers; empty for RFC 2069
	qop                  string   // the one chosen (pickQop)
	userhash             bool
}

// digestAlgorithms are the algorithms of RFC 7616 §6.1, the strongest first.
var digestAlgorithms = []struct {
	name    string
	newHash func() hash.Hash
}{
	{"SHA-512-256", sha512.New512_256},
	{"SHA-256", sha256.New},
	{"MD5", md5.New},
}

// pickDigest chooses, among the challenges, the Digest one of the strongest algorithm apidesk knows. It is nil
// with a nil error when none asks for Digest, and an error when every Digest challenge is one apidesk cannot
// answer.
func pickDigest(values []string) (*digestChallenge, error) {
	var best *digestChallenge
	bestRank := len(digestAlgorithms)
	var unknown []string
	for _, c := range parseChallenges(values) {
		if c.scheme != "digest" || c.params["nonce"] == "" {
			continue
		}
		algo := c.params["algorithm"]
		name, sess := strings.CutSuffix(strings.ToUpper(algo), "-SESS")
		if name == "" {
			name = "MD5"
		}
		rank := slices.IndexFunc(digestAlgorithms, func(a struct {
			name    string
			newHash func() hash.Hash
		}) bool {
			return a.name == name
		})
		if rank < 0 {
			unknown = append(unknown, algo)
			continue
		}
		if best != nil && rank >= bestRank {
			continue
		}
		d := &digestChallenge{realm: c.params["realm"], nonce: c.params["nonce"], opaque: c.params["opaque"], algorithm: algo,
			newHash: digestAlgorithms[rank].newHash, sess: sess, userhash: strings.EqualFold(c.params["userhash"], "true")}
		for _, q := range strings.Split(c.params["qop"], ",") {
			if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
				d.qops = append(d.qops, q)
			}
		}
		best, bestRank = d, rank
	}
	if best == nil && len(unknown) > 0 {
		return nil, fmt.Errorf("it wants the algorithm %s, which apidesk does not know (it knows MD5, SHA-256 and SHA-512-256)", strings.Join(unknown, " or "))
	}
	return best, nil
}

// pickQop chooses the quality of protection: auth when offered, auth-int (which hashes the body) for a body in
// memory, none for a server of RFC 2069.
func (d *digestChallenge) pickQop(streamed bool) error {
	switch {
	case len(d.qops) == 0:
		d.qop = ""
	case slices.Contains(d.qops, "auth"):
		d.qop = "auth"
	case slices.Contains(d.qops, "auth-int") && !streamed:
		d.qop = "auth-int"
	case slices.Contains(d.qops, "auth-int"):
		return fmt.Errorf("it wants the body hashed (qop=auth-int), which apidesk does not do for a body sent from a file")
	default:
		return fmt.Errorf("it wants qop=%s, which apidesk does not know", strings.Join(d.qops, ","))
	}
	return nil
}

func (d *digestChallenge) h(parts ...string) string {
	hh := d.newHash()
	hh.Write([]byte(strings.Join(parts, ":")))
	return hex.EncodeToString(hh.Sum(nil))
}

// authorization is the Authorization header answering d for a request of method to uri (its request
// target), with body hashed for auth-int.
func (d *digestChallenge) authorization(user, password, method, uri string, body []byte, cnonce string) string {
	const nc = "00000001" // a new challenge answered once
	ha1 := d.h(user, d.realm, password)
	if d.sess {
		ha1 = d.h(ha1, d.nonce, cnonce)
	}
	ha2 := d.h(method, uri)
	if d.qop == "auth-int" {
		hh := d.newHash()
		hh.Write(body)
		ha2 = d.h(method, uri, hex.EncodeToString(hh.Sum(nil)))
	}
	response := d.h(ha1, d.nonce, ha2)
	if d.qop != "" {
		response = d.h(ha1, d.nonce, nc, cnonce, d.qop, ha2)
	}
	var b strings.Builder
	b.WriteString("Digest ")
	switch {
	case d.userhash:
		b.WriteString("username=" + quoted(d.h(user, d.realm)))
	case isPlainASCII(user):
		b.WriteString("username=" + quoted(user))
	default: // RFC 7616 §3.4.4: a name that is not ASCII goes as username* (RFC 8187)
		b.WriteString("username*=UTF-8''" + url.PathEscape(user))
	}
	b.WriteString(", realm=" + quoted(d.realm))
	b.WriteString(", nonce=" + quoted(d.nonce))
	b.WriteString(", uri=" + quoted(uri))
	if d.algorithm != "" {
		b.WriteString(", algorithm=" + d.algorithm)
	}
	b.WriteString(", response=" + quoted(response))
	if d.opaque != "" {
		b.WriteString(", opaque=" + quoted(d.opaque))
	}
	if d.qop != "" {
		b.WriteString(", qop=" + d.qop + ", nc=" + nc + ", cnonce=" + quoted(cnonce))
	}
	if d.userhash {
		b.WriteString(", userhash=true")
	}
	return b.String()
}

func quoted(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func newCnonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}
