package history

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"apidesk/engine/sensitive"
)

func TestAddAndList(t *testing.T) {
	s := Open(t.TempDir(), "/work/support")
	at := time.Now().Add(-time.Hour).UTC()
	for i, status := range []string{"200 OK", "404 Not Found"} {
		e, err := s.Add("q1", Entry{At: at.Add(time.Duration(i) * time.Minute), Inputs: map[string]string{"order_id": "1234"},
			StatusCode: 200, Status: status, Duration: 120 * time.Millisecond, ContentType: "application/json"},
			[]byte(`{"n": `+string(rune('0'+i))+`}`), nil)
		if err != nil || e.ID == "" {
			t.Fatalf("Add: %v, %+v", err, e)
		}
	}
	got, err := s.List("q1")
	if err != nil || len(got) != 2 {
		t.Fatalf("List: %v, %+v", err, got)
	}
	if got[0].Status != "404 Not Found" || got[1].Status != "200 OK" || got[0].Inputs["order_id"] != "1234" || got[0].Duration != 120*time.Millisecond {
		t.Errorf("newest first, as added: %+v", got)
	}
	if body, err := s.Body("q1", got[0]); err != nil || string(body) != `{"n": 1}` {
		t.Errorf("Body: %q, %v", body, err)
	}
	if other, _ := s.List("q2"); len(other) != 0 {
		t.Errorf("another query's history: %+v", other)
	}
	// Another workspace has its own history.
	if other, _ := Open(filepath.Dir(s.Dir()), "/work/other").List("q1"); len(other) != 0 {
		t.Errorf("another workspace's history: %+v", other)
	}
}

func TestTheBodyIsCutToTheCap(t *testing.T) {
	s := Open(t.TempDir(), "ws")
	s.SetCap(10)
	body := []byte("0123456789abcdef")
	e, err := s.Add("q", Entry{At: time.Now()}, body, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Body("q", e)
	if string(got) != "0123456789" || e.Size != 16 || e.Kept != 10 || !e.Truncated() {
		t.Errorf("kept %q, entry %+v", got, e)
	}
	// Never in the middle of a character.
	e, _ = s.Add("q", Entry{At: time.Now()}, []byte("012345678é"), nil)
	if got, _ := s.Body("q", e); string(got) != "012345678" {
		t.Errorf("cut a character: %q", got)
	}
	// The default: 1 MB.
	s = Open(t.TempDir(), "ws")
	e, _ = s.Add("q", Entry{At: time.Now()}, bytes.Repeat([]byte("x"), DefaultCap+5), nil)
	if e.Kept != DefaultCap || e.Size != DefaultCap+5 {
		t.Errorf("default cap: %+v", e)
	}
	if e, _ = s.Add("q", Entry{At: time.Now()}, []byte("small"), nil); e.Truncated() {
		t.Errorf("a small body is truncated: %+v", e)
	}
}

func TestFilesAreTheOwnersOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no permission bits")
	}
	root := filepath.Join(t.TempDir(), "history")
	s := Open(root, "ws")
	if _, err := s.Add("q", Entry{At: time.Now()}, []byte("{}"), nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, _ := d.Info()
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: %v, want %v", p, info.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if err != nil || n < 5 { // root, the workspace's folder, the query's, its two files
		t.Errorf("walked %d: %v", n, err)
	}
}

// The secrets a run carried are never written: not the inputs saved as secret or named so, not where the
// server echoed them in the body, the URL or the error.
func TestSecretsAreNeverWritten(t *testing.T) {
	root := t.TempDir()
	s := Open(root, "ws")
	secrets := []string{"pin-4321", "tok en/9"}
	mask := func(s string) string { return sensitive.Mask(s, secrets...) }
	_, err := s.Add("q", Entry{At: time.Now(),
		Inputs: map[string]string{"order_id": "1234", "pin": "pin-4321", "api_token": "unsaved-but-named", "note": "my pin is pin-4321"},
		URL:    "https://x.example/echo?t=tok+en%2F9", Error: "refused pin-4321"},
		[]byte(`{"echo": "pin-4321", "q": "t=tok+en%2F9", "raw": "tok en/9"}`), mask)
	if err != nil {
		t.Fatal(err)
	}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, secret := range append(secrets, "tok+en%2F9", "unsaved-but-named") {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %q:\n%s", filepath.Base(p), secret, b)
			}
		}
		return nil
	})
	got, _ := s.List("q")
	if len(got) != 1 || got[0].Inputs["order_id"] != "1234" || len(got[0].Inputs) != 2 || !strings.Contains(got[0].Inputs["note"], "my pin is") {
		t.Errorf("inputs kept: %+v", got)
	}
}

func TestRetention(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	s := Open(t.TempDir(), "ws")
	s.now = func() time.Time { return now }
	add := func(q string, age time.Duration) {
		t.Helper()
		if _, err := s.Add(q, Entry{At: now.Add(-age), Status: age.String()}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	statuses := func(q string) string {
		es, err := s.List(q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Status)
		}
		return strings.Join(out, ",")
	}

	s.SetPolicy(Policy{Keep: 3})
	for i := 5; i >= 1; i-- {
		add("count", time.Duration(i)*time.Hour)
	}
	if got := statuses("count"); got != "1h0m0s,2h0m0s,3h0m0s" {
		t.Errorf("keep 3: %s", got)
	}
	if files, _ := os.ReadDir(s.queryDir("count")); len(files) != 6 {
		t.Errorf("the entries dropped stay on disk: %d files", len(files))
	}

	s.SetPolicy(Policy{MaxAge: 7 * 24 * time.Hour})
	add("days", 10*24*time.Hour)
	add("days", 2*24*time.Hour)
	if got := statuses("days"); got != "48h0m0s" {
		t.Errorf("7 days: %s", got)
	}

	s.SetPolicy(Policy{Off: true})
	add("off", time.Minute)
	if got := statuses("off"); got != "" {
		t.Errorf("off records: %s", got)
	}

	s.SetPolicy(Policy{})
	if err := s.Clear("count"); err != nil {
		t.Fatal(err)
	}
	if got := statuses("count"); got != "" || statuses("days") == "" {
		t.Errorf("Clear: count %q, days %q", got, statuses("days"))
	}
	if err := s.ClearAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Dir()); !os.IsNotExist(err) || statuses("days") != "" {
		t.Errorf("ClearAll left %v", err)
	}
}
