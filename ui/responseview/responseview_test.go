package responseview

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/uitest"
)

// bigServer answers with a JSON array of n objects, and a cookie.
func bigServer(t *testing.T, n int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "abc-123")
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", HttpOnly: true, Secure: true})
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"id": 1, "text": "` + strings.Repeat("x", 80) + `"}`)
		}
		b.WriteString("]")
		_, _ = w.Write([]byte(b.String()))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func fetch(t *testing.T, r *runner.Runner, url string) *runner.Response {
	t.Helper()
	res := &resource.Resource{ID: "r", Name: "Big", BaseURL: url}
	resp, err := r.Do(context.Background(), res, &query.Query{Path: "/"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func labels(o fyne.CanvasObject) string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && l.Visible() && l.Text != "" {
			out = append(out, l.Text)
		}
		if r, ok := x.(*widget.RichText); ok && r.Visible() && r.String() != "" {
			out = append(out, r.String())
		}
	}
	return strings.Join(out, "|")
}

func TestALongBodyIsShownInPartAndSavedWhole(t *testing.T) {
	a := uitest.NewApp(t)
	win := a.NewWindow("response")
	t.Cleanup(win.Close)
	v := New(win, Options{})
	win.SetContent(v.Content())
	win.Resize(fyne.NewSize(1000, 700))
	r := uitest.Runner(t, uitest.Keychain(t))
	r.MemCap = 4 << 10
	resp := fetch(t, r, bigServer(t, 500).URL)
	if !resp.Truncated {
		t.Fatal("the test body fits in memory; raise n")
	}
	v.SetResponse(resp)
	a.Wait(t, v.Tasks())

	shown := labels(v.Content())
	if !strings.Contains(shown, "Showing the first 4.1 kB of "+runner.FormatSize(resp.Size)) {
		t.Errorf("no note that the body is cut short; labels: %s", shown)
	}
	if v.Status() != "200 OK" {
		t.Errorf("status %q", v.Status())
	}
	if tb := v.Table().Table(); tb == nil || tb.Rows() == 0 || tb.Rows() >= 500 {
		t.Errorf("table of the part in memory: %v", tb)
	}

	dst := filepath.Join(t.TempDir(), "whole.json")
	v.saveTo(resp, dst)
	a.Wait(t, v.Tasks())
	fi, err := os.Stat(dst)
	if err != nil || fi.Size() != resp.Size {
		t.Errorf("saved %v bytes (%v); want the whole %d", fi, err, resp.Size)
	}
	if v.Problem().Visible() {
		t.Errorf("save problem: %s", v.Problem().Message())
	}

	// Headers and cookies are listed.
	v.SelectTab("Headers")
	if rows := headerRows(resp.Header); len(rows) == 0 || !containsRow(rows, "X-Request-Id", "abc-123") {
		t.Errorf("header rows %v", rows)
	}
	if len(v.cookieRows) != 1 || v.cookieRows[0][0] != "session" || !strings.Contains(v.cookieRows[0][5], "HttpOnly") {
		t.Errorf("cookie rows %v", v.cookieRows)
	}

	// A new response replaces the old one and removes its temp file.
	v.Clear()
	if _, err := resp.Open(); err == nil {
		t.Error("the replaced response's temp file is still there")
	}
}

func containsRow(rows [][2]string, k, val string) bool {
	for _, r := range rows {
		if r[0] == k && r[1] == val {
			return true
		}
	}
	return false
}

func TestStatusColours(t *testing.T) {
	for code, want := range map[int]widget.Importance{
		200: widget.SuccessImportance, 204: widget.SuccessImportance, 301: widget.HighImportance,
		404: widget.WarningImportance, 500: widget.DangerImportance, 101: widget.MediumImportance,
	} {
		if got := statusImportance(code); got != want {
			t.Errorf("%d: %v, want %v", code, got, want)
		}
	}
}

func TestSuggestedName(t *testing.T) {
	for _, tc := range []struct{ url, ctype, want string }{
		{"https://x.example/api/users", "application/json; charset=utf-8", "users.json"},
		{"https://x.example/", "text/html", "response.html"},
		{"https://x.example/report.csv", "text/csv", "report.csv"},
		{"https://x.example/blob", "application/octet-stream", "blob.bin"},
	} {
		resp := &runner.Response{URL: tc.url, Header: http.Header{"Content-Type": {tc.ctype}}}
		if got := suggestedName(resp); got != tc.want {
			t.Errorf("%s (%s): %q, want %q", tc.url, tc.ctype, got, tc.want)
		}
	}
}

// The Timing tab says the protocol and TLS version of the answer; an answer whose server's certificate was not
// verified says so beside its status, and the next answer that was verified does not.
func TestTLSIsShownInTheStatusLineAndTiming(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"proto": "` + r.Proto + `"}`))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	plain := bigServer(t, 1)

	a := uitest.NewApp(t)
	win := a.NewWindow("response")
	t.Cleanup(win.Close)
	v := New(win, Options{})
	t.Cleanup(v.Close)
	win.SetContent(v.Content())
	win.Resize(fyne.NewSize(1000, 700))
	r := uitest.Runner(t, uitest.Keychain(t))
	r.Client = srv.Client() // trusts the test server's certificate, and speaks HTTP/2 with it

	resp := fetch(t, r, srv.URL)
	// The runner's transport reports these from the connection once the resource's network settings are
	// applied to it; the view shows what the answer says.
	resp.TLSVersion, resp.Insecure = "TLS 1.3", true
	v.SetResponse(resp)
	a.Wait(t, v.Tasks())
	if got := v.TLSWarning(); got != "TLS not verified" {
		t.Errorf("beside the status of an unverified answer: %q", got)
	}
	if got := strings.Join(uitest.Texts(v.summary), "|"); !strings.Contains(got, "200 OK|TLS not verified") {
		t.Errorf("the status line reads %q", got)
	}
	v.SelectTab("Timing")
	timing := strings.Join(uitest.Texts(v.timing), "|")
	for _, want := range []string{"Protocol|HTTP/2.0", "TLS version|TLS 1.3, the server's certificate not verified"} {
		if !strings.Contains(timing, want) {
			t.Errorf("the Timing tab lacks %q: %s", want, timing)
		}
	}

	r.Client = runner.NewClient()
	v.SetResponse(fetch(t, r, plain.URL))
	a.Wait(t, v.Tasks())
	if got := v.TLSWarning(); got != "" {
		t.Errorf("a plain http answer warns %q", got)
	}
	if got := strings.Join(uitest.Texts(v.summary), "|"); strings.Contains(got, "TLS") {
		t.Errorf("the status line of a plain http answer reads %q", got)
	}
	timing = strings.Join(uitest.Texts(v.timing), "|")
	for _, want := range []string{"Protocol|HTTP/1.1", "TLS version|none (plain http)"} {
		if !strings.Contains(timing, want) {
			t.Errorf("the Timing tab lacks %q: %s", want, timing)
		}
	}
}
