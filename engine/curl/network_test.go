package curl

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// TestParseNetwork: the proxy, TLS and authentication options become the request's network settings and its
// Digest flag, with the secrets apart.
func TestParseNetwork(t *testing.T) {
	dir := workDir(t, map[string]string{"ca.pem": "-", "client.pem": "-", "client.key": "-", "id.p12": "-"})
	in := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name       string
		cmd        string
		network    resource.Network
		proxyAuth  string
		passphrase string
		digest     bool
		note       string
	}{
		{"-x with credentials, default port", "curl -x 'http://u%40x:p%3Aw@proxy.local' https://api.example.com/",
			resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy.local:1080"}, "u@x:p:w", "", false, ""},
		{"-x without a scheme, -U, --noproxy", "curl -x proxy.local:3128 -U 'ann:s3cret' --noproxy 'localhost, .internal,10.0.0.0/8' https://api.example.com/",
			resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy.local:3128", NoProxy: []string{"localhost", ".internal", "10.0.0.0/8"}}, "ann:s3cret", "", false, ""},
		{"an https proxy on its default port", "curl --proxy https://[::1] https://api.example.com/",
			resource.Network{Proxy: resource.ProxyURL, ProxyURL: "https://[::1]:443"}, "", "", false, ""},
		{"socks5h is socks5", "curl -x socks5h://s.local:9050 https://api.example.com/",
			resource.Network{Proxy: resource.ProxyURL, ProxyURL: "socks5://s.local:9050"}, "", "", false, ""},
		{"--socks5-hostname", "curl --socks5-hostname s.local https://api.example.com/",
			resource.Network{Proxy: resource.ProxyURL, ProxyURL: "socks5://s.local:1080"}, "", "", false, ""},
		{"-x '' is no proxy", "curl -x '' https://api.example.com/", resource.Network{Proxy: resource.ProxyNone}, "", "", false, ""},
		{"--noproxy '*' wins over -x", "curl -x u:p@proxy.local:3128 --noproxy '*' https://api.example.com/", resource.Network{Proxy: resource.ProxyNone}, "", "", false, ""},
		{"--noproxy without a proxy is left out", "curl --noproxy example.com https://api.example.com/", resource.Network{}, "", "", false, "names no proxy"},
		{"-U without a proxy is left out", "curl -U a:b https://api.example.com/", resource.Network{}, "", "", false, "no proxy to sign in to"},
		{"--cacert, --cert with a passphrase, --key, -k", "curl --cacert ca.pem --cert client.pem:pa:ss --key client.key -k https://api.example.com/",
			resource.Network{CACert: in("ca.pem"), ClientCert: in("client.pem"), ClientKey: in("client.key"), Insecure: true}, "", "pa:ss", false, ""},
		{"--pass, and -E with an escaped colon", `curl -E 'c\:1.pem' --pass pp https://api.example.com/`,
			resource.Network{ClientCert: in("c:1.pem")}, "", "pp", false, "c:1.pem is not there now"},
		{"a Windows drive letter", `curl --cert 'C:\certs\a.pem:pw' https://api.example.com/`,
			resource.Network{ClientCert: in(`C:\certs\a.pem`)}, "", "pw", false, ""},
		{"PKCS#12", "curl --cert id.p12:pw --cert-type P12 https://api.example.com/",
			resource.Network{ClientCert: in("id.p12")}, "", "pw", false, ""},
		{"--key without --cert is left out", "curl --key client.key https://api.example.com/", resource.Network{}, "", "", false, "names no client certificate"},
		{"--insecure then --no-insecure", "curl --insecure --no-insecure https://api.example.com/", resource.Network{}, "", "", false, ""},
		{"--capath is left out with a note", "curl --capath /etc/ssl/certs https://api.example.com/", resource.Network{}, "", "", false, "folder of CA certificates"},
		{"--digest with -u", "curl -u ada:pw --digest https://api.example.com/", resource.Network{}, "", "", true, ""},
		{"--basic after --digest", "curl --digest -u ada:pw --basic https://api.example.com/", resource.Network{}, "", "", false, ""},
		{"--digest without a user sends no Digest", "curl --digest https://api.example.com/", resource.Network{}, "", "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Options{Dir: dir}.Parse(tc.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Network, tc.network) || r.ProxyAuth != tc.proxyAuth || r.KeyPassphrase != tc.passphrase || r.Digest != tc.digest {
				t.Errorf("got %+v, proxy auth %q, passphrase %q, digest %v\nwant %+v, %q, %q, %v", r.Network, r.ProxyAuth, r.KeyPassphrase, r.Digest, tc.network, tc.proxyAuth, tc.passphrase, tc.digest)
			}
			if tc.note != "" && !hasNote(r.Notes, tc.note) {
				t.Errorf("notes %q do not say %q", r.Notes, tc.note)
			}
			for _, n := range r.Notes {
				if r.ProxyAuth != "" && strings.Contains(n, r.ProxyAuth) || r.KeyPassphrase != "" && strings.Contains(n, r.KeyPassphrase) {
					t.Errorf("note %q holds a secret", n)
				}
			}
			cmd := r.Command()
			back, err := Options{Dir: dir}.Parse(cmd)
			if err != nil {
				t.Fatalf("Parse(Command()) = %v\n%s", err, cmd)
			}
			r.Notes, back.Notes = nil, nil
			if !reflect.DeepEqual(back, r) {
				t.Errorf("Command → Parse changed the request:\n%s\n got  %#v\n want %#v", cmd, back, r)
			}
		})
	}
}

func TestParseNetworkErrors(t *testing.T) {
	tests := []struct {
		name, cmd string
		is        error
		says      string
	}{
		{"socks4", "curl -x socks4://s:1 https://api.example.com/", ErrUnsupported, "SOCKS4"},
		{"curl's socks:// is SOCKS4", "curl -x socks://s:1 https://api.example.com/", ErrUnsupported, "SOCKS4"},
		{"--socks4", "curl --socks4 s:1 https://api.example.com/", ErrUnsupported, "SOCKS4"},
		{"another proxy scheme", "curl -x ftp://p:1 https://api.example.com/", ErrUnsupported, "http://, https:// or socks5://"},
		{"a proxy without a host keeps its password out", "curl -x 'http://u:s3cr3t@' https://api.example.com/", ErrBadRequest, "not valid"},
		{"a proxy that needs NTLM", "curl --proxy-ntlm -x p:1 https://api.example.com/", ErrUnsupported, "NTLM"},
		{"NTLM", "curl --ntlm -u a:b https://api.example.com/", ErrUnsupported, "NTLM"},
		{"a DER certificate", "curl --cert c.der --cert-type DER https://api.example.com/", ErrUnsupported, "PEM"},
		{"a DER key", "curl --cert c.pem --key k.der --key-type der https://api.example.com/", ErrUnsupported, "PEM"},
		{"an engine key", "curl --cert c.pem --key-type ENG https://api.example.com/", ErrUnsupported, "engine"},
		{"a PKCS#11 certificate", "curl --cert 'pkcs11:token=x;object=y' https://api.example.com/", ErrUnsupported, "security token"},
		{"a Unix socket", "curl --unix-socket /run/docker.sock http://localhost/info", ErrUnsupported, "Unix socket"},
		{"a line break in the proxy password", `curl -x p:1 -U $'a:b\nc' https://api.example.com/`, ErrBadRequest, "line break"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.cmd)
			if err == nil {
				t.Fatalf("Parse accepted it: %#v", r)
			}
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q, want %v saying %q", err, tc.is, tc.says)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
}

// TestImportNetworkAndDigest: the settings are offered apart from the query, their secrets apart from the
// settings; -u with --digest is a Digest credential.
func TestImportNetworkAndDigest(t *testing.T) {
	dir := workDir(t, map[string]string{"ca.pem": "-", "client.pem": "-"})
	cmd := "curl https://api.example.com/v1/x -u ada:lovelace --digest -x http://u:pxpw@proxy.local:3128 --cacert ca.pem --cert client.pem:keypw"
	im, err := Options{Dir: dir}.Import(cmd, resNone)
	if err != nil {
		t.Fatal(err)
	}
	wantCred := []Credential{{From: "-u", Auth: resource.Auth{Kind: resource.AuthDigest, Username: "ada"}, Secret: "lovelace"}}
	if !reflect.DeepEqual(im.Credentials, wantCred) {
		t.Errorf("credentials %#v", im.Credentials)
	}
	want := &Network{
		Settings:  resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy.local:3128", CACert: filepath.Join(dir, "ca.pem"), ClientCert: filepath.Join(dir, "client.pem")},
		ProxyAuth: "u:pxpw", KeyPassphrase: "keypw",
	}
	if !reflect.DeepEqual(im.Network, want) {
		t.Errorf("network %#v\nwant %#v", im.Network, want)
	}
	for _, s := range []string{im.Network.String(), fmt.Sprintf("%v %+v %#v", *im.Network, *im.Network, im.Network), fmt.Sprint(im.Credentials)} {
		if strings.Contains(s, "pxpw") || strings.Contains(s, "keypw") || strings.Contains(s, "lovelace") {
			t.Errorf("%q holds a secret", s)
		}
	}
	if s := im.Network.String(); !strings.Contains(s, "proxy.local:3128") || !strings.Contains(s, "a proxy user name and password") {
		t.Errorf("String() = %q", s)
	}
	q := im.Query
	if len(q.Headers) != 0 || q.Body.Kind != query.BodyNone {
		t.Errorf("query %+v", q)
	}

	// A resource set up this way: the settings match, and the secrets exported as nothing are no news.
	res := newResource("https://api.example.com/v1", resource.Auth{Kind: resource.AuthDigest, Username: "ada"})
	res.Network = want.Settings
	exported, err := Export(q, res, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"-u 'ada:{-password-}' \\\n  --digest", "--proxy 'http://proxy.local:3128'", "--cacert '" + want.Settings.CACert + "'", "--cert '" + certWord(want.Settings.ClientCert) + "'"} {
		if !strings.Contains(exported, w) {
			t.Errorf("export does not hold %q:\n%s", w, exported)
		}
	}
	if strings.Contains(exported, "pxpw") || strings.Contains(exported, "keypw") || strings.Contains(exported, "--proxy-user") {
		t.Errorf("export holds the proxy's or the key's secret:\n%s", exported)
	}
	again, err := Options{Dir: dir}.Import(exported, res)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Credentials) != 0 || again.Network == nil || !again.Network.Matches || again.Network.ProxyAuth != "" {
		t.Errorf("re-import: credentials %v, network %#v", again.Credentials, again.Network)
	}
}

// TestExportStreamedBodies: a plan's multipart form and file body (as the runner builds them) become -F and
// --data-binary @file, the resource's network settings and Digest authentication their options; the command
// imports back into the same query.
func TestExportStreamedBodies(t *testing.T) {
	dir := workDir(t, map[string]string{"photo.png": "png", "body.json": "{}"})
	photo, body := filepath.Join(dir, "photo.png"), filepath.Join(dir, "body.json")
	res := newResource("https://api.example.com/v1", resource.Auth{Kind: resource.AuthDigest, Username: "ada"})
	res.Network = resource.Network{Proxy: resource.ProxyURL, ProxyURL: "socks5://127.0.0.1:1080", NoProxy: []string{"localhost"}, CACert: "/etc/ca.pem", ClientCert: "/etc/id.p12", Insecure: true}
	tests := []struct {
		name  string
		plan  runner.Plan
		q     query.Query // what the command imports back to
		lines []string    // lines the command has
	}{
		{"a multipart form", runner.Plan{
			Method: "POST", URL: "https://api.example.com/v1/upload",
			Header: rows("Content-Type", "multipart/form-data; boundary=abc", "X-A", "1"),
			Parts: []query.Part{
				{Name: "title", Value: "it's; \"fine\""}, {Name: "password", Value: "hunter2"},
				{Name: "meta", Value: `{"a":1}`, ContentType: "application/json"},
				{Name: "photo", File: photo, Filename: "me, too.png", ContentType: "image/png"},
			},
			ContentType: "multipart/form-data; boundary=abc",
		}, query.Query{Method: "POST", Path: "/upload", Headers: rows("X-A", "1"), Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
			textPart("title", `it's; "fine"`), textPart("password", SecretPlaceholder),
			{Name: "meta", Value: `{"a":1}`, ContentType: "application/json", Enabled: true},
			filePart("photo", photo, "me, too.png", "image/png"),
		}}}, []string{
			`--form-string 'title=it'\''s; "fine"'`, "--form-string 'password={-secret-}'", `-F 'meta="{\"a\":1}";type=application/json'`,
			`-F 'photo=@` + photo + `;type=image/png;filename="me, too.png"'`,
		}},
		{"a file body", runner.Plan{
			Method: "PUT", URL: "https://api.example.com/v1/doc", Header: rows("Content-Type", "application/json"), File: body, ContentType: "application/json",
		}, query.Query{Method: "PUT", Path: "/doc", Body: query.Body{Kind: query.BodyFile, File: body, ContentType: "application/json"}}, []string{
			"-X PUT", "-H 'Content-Type: application/json'", "--data-binary '@" + body + "'",
		}},
		{"a file body whose type is not among the headers", runner.Plan{
			Method: "POST", URL: "https://api.example.com/v1/doc", File: photo, ContentType: "image/png",
		}, query.Query{Method: "POST", Path: "/doc", Body: query.Body{Kind: query.BodyFile, File: photo, ContentType: "image/png"}}, []string{
			"-H 'Content-Type: image/png'", "--data-binary '@" + photo + "'",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := fromPlan(&tc.plan, res).Command()
			for _, l := range append(tc.lines, "-u 'ada:{-password-}' \\\n  --digest", "--proxy 'socks5://127.0.0.1:1080'", "--noproxy 'localhost'",
				"--cacert '/etc/ca.pem'", "--cert '/etc/id.p12' \\\n  --cert-type P12", "--insecure") {
				if !strings.Contains(cmd, l) {
					t.Errorf("the command does not hold %q:\n%s", l, cmd)
				}
			}
			if strings.Contains(cmd, "hunter2") || strings.Contains(cmd, "boundary") {
				t.Errorf("the command holds a secret or the plan's boundary:\n%s", cmd)
			}
			im, err := Import(cmd, res)
			if err != nil {
				t.Fatalf("Import: %v\n%s", err, cmd)
			}
			got := im.Query
			if got.Method != tc.q.Method || got.Path != tc.q.Path || !reflect.DeepEqual(got.Headers, tc.q.Headers) || !reflect.DeepEqual(got.Body, tc.q.Body) {
				t.Errorf("imported\n got  %+v\n want %+v\n%s", *got, tc.q, cmd)
			}
			if len(im.Credentials) != 0 || im.Network == nil || !im.Network.Matches {
				t.Errorf("credentials %v, network %#v", im.Credentials, im.Network)
			}
		})
	}
}

// TestExportImportStreamedRoundTrip: a query with a multipart or file body, exported through the runner's
// plan and imported again, is the same query. It runs once the runner's plan holds these bodies.
func TestExportImportStreamedRoundTrip(t *testing.T) {
	dir := workDir(t, map[string]string{"photo.png": "png", "body.json": "{}"})
	for _, q := range []query.Query{
		{Method: "POST", Path: "/upload", Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
			textPart("title", "a;b"), filePart("photo", filepath.Join(dir, "photo.png"), "x.png", "image/png"),
		}}},
		{Method: "PUT", Path: "/doc", Body: query.Body{Kind: query.BodyFile, File: filepath.Join(dir, "body.json"), ContentType: "application/json"}},
	} {
		cmd, err := Export(&q, resNone, nil)
		if err != nil {
			t.Fatal(err)
		}
		im, err := Import(cmd, resNone)
		if err != nil {
			t.Fatalf("Import: %v\n%s", err, cmd)
		}
		if !reflect.DeepEqual(im.Query.Body, q.Body) || im.Query.Method != q.Method {
			t.Errorf("round trip:\n got  %+v\n want %+v\n%s", im.Query.Body, q.Body, cmd)
		}
	}
}
