package workspace

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/resource"
)

// A resource's network settings come back from its file as they were saved, paths as written; a resource
// without any writes no network section, so the files saved before there were network settings stay as they are.
func TestNetworkRoundTrip(t *testing.T) {
	for name, n := range map[string]resource.Network{
		"none":     {},
		"system":   {Proxy: resource.ProxySystem},
		"no proxy": {Proxy: resource.ProxyNone, CACert: "/etc/ssl/corp.pem"},
		"proxy url": {Proxy: resource.ProxyURL, ProxyURL: "http://proxy.corp.example:3128",
			NoProxy: []string{"localhost", ".corp.example", "10.0.0.0/8"}},
		"socks and a client certificate": {Proxy: resource.ProxyURL, ProxyURL: "socks5://127.0.0.1:1080",
			CACert: "certs/root.pem", ClientCert: "certs/me.crt", ClientKey: "certs/me.key"},
		"pkcs12 insecure": {ClientCert: "me.p12", Insecure: true},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			w := mustOpen(t, dir)
			r := &resource.Resource{Name: "Corp", BaseURL: "https://api.corp.example", Network: n}
			if err := w.SaveResource(t.Context(), r, nil, nil); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, "resources", "corp.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(string(data), "network:"); has != !n.IsZero() {
				t.Errorf("network section written: %v, want %v:\n%s", has, !n.IsZero(), data)
			}
			if n.Insecure && !strings.Contains(string(data), "insecure: true # the server's TLS certificate is not checked") {
				t.Errorf("insecure is not written with its warning:\n%s", data)
			}
			back, problems := mustLoad(t, dir)
			if len(problems) > 0 {
				t.Fatalf("problems: %v\n%s", problems, data)
			}
			got, err := back.ResourceByID(r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Network, n) {
				t.Errorf("network came back as %+v, want %+v\n%s", got.Network, n, data)
			}
		})
	}
}

// A network section written by hand: a proxy_url alone is a proxy URL, no_proxy may be NO_PROXY's one line.
// Problems are told at their line.
func TestNetworkWrittenByHand(t *testing.T) {
	const head = "version: 1\nid: abc\nname: Corp\nbase_url: https://api.corp.example\nauth:\n  kind: none\n"
	w, problems := loadOne(t, head+"network:\n  proxy_url: http://proxy:3128\n  no_proxy: localhost, .corp.example\n")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	r, _ := w.ResourceByID("abc")
	want := resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy:3128", NoProxy: []string{"localhost", ".corp.example"}}
	if !reflect.DeepEqual(r.Network, want) {
		t.Fatalf("read %+v, want %+v", r.Network, want)
	}

	for name, tc := range map[string]struct {
		section string
		line    int
		want    string
	}{
		"password in the proxy": {"network:\n  proxy: url\n  proxy_url: http://ann:hunter2@proxy:3128\n", 9, "Proxy URL holds a username or password"},
		"unknown field":         {"network:\n  proxy: url\n  proxy_url: http://proxy:3128\n  passphrase: x\n", 10, `"passphrase" does not belong in a workspace file`},
		"bad no_proxy entry":    {"network:\n  proxy: url\n  proxy_url: http://p:1\n  no_proxy:\n    - ok.example\n    - http://bad.example\n", 12, "is a URL: give only its host"},
		"unknown proxy":         {"network:\n  proxy: pac\n", 8, `Unknown proxy setting "pac"`},
		"insecure not a bool":   {"network:\n  insecure: maybe\n", 8, "insecure must be true or false"},
	} {
		t.Run(name, func(t *testing.T) {
			_, problems := loadOne(t, head+tc.section)
			if len(problems) != 1 || problems[0].Line != tc.line || !strings.Contains(problems[0].Msg, tc.want) {
				t.Fatalf("problems %+v, want one at line %d saying %q", problems, tc.line, tc.want)
			}
			if strings.Contains(problems[0].Msg, "hunter2") {
				t.Fatal("the problem shows the password")
			}
		})
	}
}

func loadOne(t *testing.T, content string) (*Workspace, []Problem) {
	t.Helper()
	dir := t.TempDir()
	writeRaw(t, dir, "resources/corp.yaml", content)
	return mustLoad(t, dir)
}

// The settings file's network section is the default of every resource; paths come back absolute, relative
// ones under the workspace folder.
func TestWorkspaceNetworkDefault(t *testing.T) {
	dir := t.TempDir()
	writeRaw(t, dir, SettingsFile, "network:\n  proxy: url\n  proxy_url: http://proxy.corp.example:3128\n  no_proxy: [localhost]\n  ca_cert: certs/root.pem\n")
	writeRaw(t, dir, "resources/a.yaml", "version: 1\nid: a\nname: A\nbase_url: https://a.example\n")
	writeRaw(t, dir, "resources/b.yaml", "version: 1\nid: b\nname: B\nbase_url: https://b.example\nnetwork:\n  proxy: none\n  client_cert: /keys/b.p12\n")
	w, problems := mustLoad(t, dir)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	a, _ := w.ResourceByID("a")
	b, _ := w.ResourceByID("b")
	root := filepath.Join(dir, "certs", "root.pem")
	if got, want := w.Network(a), (resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy.corp.example:3128", NoProxy: []string{"localhost"}, CACert: root}); !reflect.DeepEqual(got, want) {
		t.Errorf("A uses %+v, want %+v", got, want)
	}
	if got, want := w.Network(b), (resource.Network{Proxy: resource.ProxyNone, CACert: root, ClientCert: "/keys/b.p12"}); !reflect.DeepEqual(got, want) {
		t.Errorf("B uses %+v, want %+v", got, want)
	}

	writeRaw(t, dir, SettingsFile, "network:\n  proxy: url\n  proxy_url: http://u:p@proxy:1\n")
	if _, problems = mustLoad(t, dir); len(problems) != 1 || problems[0].File != SettingsFile || problems[0].Line != 3 || !strings.Contains(problems[0].Msg, "Proxy URL holds a username") {
		t.Fatalf("problems %v", problems)
	}
}

func TestPaths(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir)
	home, _ := os.UserHomeDir()
	for in, want := range map[string]string{
		"":                "",
		"certs/a.pem":     filepath.Join(dir, "certs", "a.pem"),
		"/etc/ssl/a.pem":  "/etc/ssl/a.pem",
		"~/keys/me.p12":   filepath.Join(home, "keys", "me.p12"),
		"certs/../b.pem":  filepath.Join(dir, "b.pem"),
		"./certs//c.pem":  filepath.Join(dir, "certs", "c.pem"),
		"/etc/../tmp/x.y": "/tmp/x.y",
	} {
		if got := w.Path(in); got != want {
			t.Errorf("Path(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		filepath.Join(dir, "certs", "a.pem"): "certs/a.pem",
		"/etc/ssl/a.pem":                     "/etc/ssl/a.pem",
		filepath.Join(dir, "..", "x.pem"):    filepath.Join(filepath.Dir(dir), "x.pem"),
	} {
		if got := w.StoredPath(in); got != want {
			t.Errorf("StoredPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Saving a resource keeps the secrets of its network settings, and removes them once the settings no longer
// use them.
func TestSaveKeepsNetworkSecrets(t *testing.T) {
	w, dir, keys, _ := setup(t)
	ctx := t.Context()
	r := basic("Corp")
	r.Network = resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy:3128", ClientCert: "me.p12"}
	if err := w.SaveResource(ctx, r, keys, typed("password", "pw-1", "proxy-auth", "ann:px-1", "key-passphrase", "kp-1")); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[resource.SecretKind]string{resource.SecretPassword: "pw-1", resource.SecretProxyAuth: "ann:px-1", resource.SecretKeyPassphrase: "kp-1"} {
		if got := secretOf(t, keys, r.ID, k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if o, err := keys.Origins(ctx, r.ID); err != nil || o.Proxy != "http://proxy:3128" {
		t.Errorf("the proxy's origin was recorded as %+v (%v)", o, err)
	}
	r.Auth = resource.Auth{Kind: resource.AuthDigest, Username: "ann"} // the same password
	if err := w.SaveResource(ctx, r, keys, nil); err != nil || secretOf(t, keys, r.ID, resource.SecretPassword) != "pw-1" {
		t.Fatalf("switching to Digest: %v, password %q", err, secretOf(t, keys, r.ID, resource.SecretPassword))
	}
	r.Network = resource.Network{Proxy: resource.ProxySystem}
	if err := w.SaveResource(ctx, r, keys, nil); err != nil {
		t.Fatal(err)
	}
	if secretOf(t, keys, r.ID, resource.SecretProxyAuth) != "" || secretOf(t, keys, r.ID, resource.SecretKeyPassphrase) != "" {
		t.Error("the network secrets outlived their settings")
	}
	if err := w.SaveResource(ctx, r, keys, typed("proxy-auth", "ann:px-2")); err == nil || err.Error() != `save the resource "Corp": a resource without a proxy URL keeps no proxy username and password` {
		t.Errorf("a proxy password without a proxy URL: %v", err)
	}
	for _, text := range files(t, dir) {
		for _, s := range []string{"pw-1", "px-1", "kp-1"} {
			if strings.Contains(text, s) {
				t.Errorf("a file holds a secret:\n%s", text)
			}
		}
	}
}

func TestSettingsEqual(t *testing.T) {
	a := Settings{Mode: ModeRun, Network: resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://p:1", NoProxy: []string{"x"}}}
	b := a
	b.Network.NoProxy = []string{"x"}
	if !a.Equal(b) {
		t.Error("the same settings differ")
	}
	b.Network.NoProxy = []string{"y"}
	if a.Equal(b) {
		t.Error("a changed no-proxy list is no change")
	}
}
