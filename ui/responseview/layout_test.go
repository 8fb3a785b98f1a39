package responseview

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"apidesk/ui/uitest"
)

// answer is one kind of answer a server gives.
type answer struct {
	name, ctype string
	status      int
	header      map[string]string
	body        string
	memCap      int64 // the runner's in-memory cap, when set: the body is shown in part
}

func layoutAnswers() []answer {
	var big strings.Builder
	big.WriteString(`{"data":[`)
	for i := 0; big.Len() < 3<<20; i++ {
		if i > 0 {
			big.WriteString(",")
		}
		fmt.Fprintf(&big, `{"id":%d,"name":"user %d","note":"%s","tags":["a","b"]}`, i, i, strings.Repeat("n", 40))
	}
	big.WriteString("]}")
	return []answer{
		{name: "JSON object", ctype: "application/json", status: 401, body: `{"error":"invalid_token","error_description":"The access token expired"}`},
		{name: "single record", ctype: "application/json", status: 200, body: `{"id":7,"name":"Ada","email":"ada@example.com","address":{"city":"London"}}`},
		{name: "JSON array", ctype: "application/json", status: 200, body: `[{"id":1,"name":"Ada"},{"id":2,"name":"Bob"}]`},
		{name: "nested arrays", ctype: "application/json", status: 200, body: `{"data":[{"id":1,"items":[[1,2],[3,[4,5]]]},{"id":2,"items":[]}],"meta":{"pages":[1,2,3]}}`},
		{name: "plain text", ctype: "text/plain", status: 503, body: "Service Unavailable: the upstream server is down for maintenance, try again in a few minutes."},
		{name: "HTML error page", ctype: "text/html", status: 502, body: "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>" + strings.Repeat("<p>padding to look like a real error page</p>", 40) + "</body></html>"},
		{name: "empty body", ctype: "", status: 204, body: ""},
		{name: "one long line", ctype: "text/plain", status: 200, body: strings.Repeat("word ", 20000)},
		{name: "long header", ctype: "application/json", status: 200, header: map[string]string{"Content-Security-Policy": strings.Repeat("default-src 'self' https://cdn.example.com; ", 120)}, body: `{"ok":true}`},
		{name: "invalid JSON", ctype: "application/json", status: 500, body: `{"error": "boom", "detail": ` + strings.Repeat(`"x", `, 300)},
		{name: "cut short", ctype: "application/json", status: 200, memCap: 4 << 10, body: `[` + strings.Repeat(`{"id":1,"text":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},`, 400) + `{"id":2}]`},
		{name: "large body", ctype: "application/json", status: 200, body: big.String()},
	}
}

func answerServer(t *testing.T, a answer) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.ctype != "" {
			w.Header().Set("Content-Type", a.ctype)
		}
		for k, val := range a.header {
			w.Header().Set(k, val)
		}
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The response view never asks for more room than the window it is given, whatever the answer and whichever
// tab is shown (Fyne's tabs ask for the largest of all their tabs), and its body and table keep a usable height.
func TestNoAnswerGrowsTheWindow(t *testing.T) {
	window := fyne.NewSize(1000, 700)
	for _, opts := range []Options{{}, {Compact: true}} {
		for _, ans := range layoutAnswers() {
			t.Run(fmt.Sprintf("%s/compact=%v", ans.name, opts.Compact), func(t *testing.T) {
				a := uitest.NewApp(t)
				win := a.NewWindow("response")
				t.Cleanup(win.Close)
				v := New(win, opts)
				t.Cleanup(v.Close)
				win.SetContent(v.Content())
				win.Resize(window)
				r := uitest.Runner(t, uitest.Keychain(t))
				if ans.memCap > 0 {
					r.MemCap = ans.memCap
				}
				v.SetResponse(fetch(t, r, answerServer(t, ans).URL))
				a.Wait(t, v.Tasks())

				fits := func(when string) {
					t.Helper()
					if m := win.Content().MinSize(); m.Width > window.Width || m.Height > window.Height {
						t.Errorf("%s: the view asks for %v in a %v window", when, m, window)
					}
				}
				fits("answer shown")
				for _, tab := range v.tabs.Items {
					v.SelectTab(tab.Text)
					fits(tab.Text + " tab")
				}
				if !opts.Compact {
					v.SelectTab("Headers")
					for row := range v.headerRows {
						v.headers.Select(widget.TableCellID{Row: row, Col: 1})
						fits("header " + v.headerRows[row][0] + " selected")
					}
				}
				win.Resize(window) // as the window would lay itself out again
				v.SelectTab("Body")
				if h := v.Body().Size().Height; h < window.Height/2 {
					t.Errorf("the body has %v of the %v window's height", h, window.Height)
				}
				v.SelectTab("Table")
				if h := v.Table().Size().Height; h < window.Height/2 {
					t.Errorf("the table has %v of the %v window's height", h, window.Height)
				}

				v.SetWaiting("Waiting for the answer…")
				fits("waiting")
				v.SetError(errors.New("the server could not be reached: " + strings.Repeat("connection refused ", 50)))
				fits("error shown")
			})
		}
	}
}
