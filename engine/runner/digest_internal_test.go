package runner

import (
	"strings"
	"testing"
)

// The examples of RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
func TestDigestRFC7616Example(t *testing.T) {
	header := `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ` +
		`nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`
	md5 := `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ` +
		`nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`
	const cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
	for _, tt := range []struct {
		name    string
		headers []string
		want    string
	}{
		{"SHA-256 chosen over MD5", []string{md5, header}, `response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"`},
		{"MD5", []string{md5}, `response="8ca523f5e9506fed4657c9700eebdbec"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := pickDigest(tt.headers)
			if err != nil || d == nil {
				t.Fatalf("pickDigest: %v %v", d, err)
			}
			if err := d.pickQop(false); err != nil || d.qop != "auth" {
				t.Fatalf("qop %q: %v", d.qop, err)
			}
			got := d.authorization("Mufasa", "Circle of Life", "GET", "/dir/index.html", nil, cnonce)
			if !strings.Contains(got, tt.want) || !strings.Contains(got, `uri="/dir/index.html"`) || !strings.Contains(got, "nc=00000001") ||
				!strings.Contains(got, `opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`) {
				t.Fatalf("got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParseChallenges(t *testing.T) {
	got := parseChallenges([]string{`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple", Negotiate abc==, Digest nonce=x,realm=r`})
	want := []challenge{
		{"newauth", map[string]string{"realm": "apps", "type": "1", "title": `Login to "apps"`}},
		{"basic", map[string]string{"realm": "simple"}},
		{"negotiate", map[string]string{}},
		{"digest", map[string]string{"nonce": "x", "realm": "r"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].scheme != want[i].scheme || len(got[i].params) != len(want[i].params) {
			t.Fatalf("challenge %d: got %v, want %v", i, got[i], want[i])
		}
		for k, v := range want[i].params {
			if got[i].params[k] != v {
				t.Fatalf("challenge %d param %s: got %q, want %q", i, k, got[i].params[k], v)
			}
		}
	}
}

func FuzzParseChallenges(f *testing.F) {
	f.Add(`Digest realm="a", nonce="b", qop="auth"`)
	f.Add(`Basic, Digest nonce="unterminated`)
	f.Add(`=,=="\`)
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range parseChallenges([]string{s}) {
			if c.scheme == "" {
				t.Fatalf("a challenge without a scheme from %q", s)
			}
		}
		_, _ = pickDigest([]string{s})
	})
}
