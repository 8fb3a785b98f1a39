package oauth

import (
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestBrowserCommands(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("';' separates $BROWSER commands on Windows")
	}
	u := "https://example.com/a?b=c"
	got := BrowserCommands("firefox --new-tab:w3m:chrome --app=%s", u)
	want := [][]string{{"firefox", "--new-tab", u}, {"w3m", u}, {"chrome", "--app=" + u}}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("command %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestSystemBrowserRunsBROWSER(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses shell scripts")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "opened")
	failing := filepath.Join(dir, "failing")
	opener := filepath.Join(dir, "opener")
	os.WriteFile(failing, []byte("#!/bin/sh\nexit 3\n"), 0o755)
	os.WriteFile(opener, []byte("#!/bin/sh\nprintf '%s %s' \"$1\" \"$2\" > "+out+"\n"), 0o755)
	env := map[string]string{"BROWSER": failing + ":" + opener + " --flag %s"}
	open := SystemBrowser(func(k string) string { return env[k] })
	u, _ := url.Parse("https://example.com/authorize?state=x&client_id=y")
	if err := open(u); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil || string(b) != "--flag "+u.String() {
		t.Errorf("opener got %q, %v", b, err)
	}

	env["BROWSER"] = failing
	if err := open(u); err == nil || !strings.Contains(err.Error(), "no command in $BROWSER") {
		t.Errorf("all failing: err = %v", err)
	}
	if err := open(&url.URL{Scheme: "file", Path: "/etc/passwd"}); err == nil {
		t.Errorf("a file URL was opened")
	}
}
