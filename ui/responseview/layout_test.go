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
				if tb := v.Table().Table(); tb != nil && tb.Rows() > 0 {
					v.SelectTab("Table")
					v.Table().SelectCell(min(tb.Rows()-1, 5), 0)
					fits("a cell selected")
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

// answerArea is the part of a 1024×600 window the answer has under the editor, as a walk of the window measured.
var answerArea = fyne.NewSize(750, 300)

// In the answer area of a 1024×600 window, a selected cell's detail leaves the table its rows and the view its
// minimum size (it grew the window by 7 pixels and left one row), and an error answer's advice leaves the body at
// least half of the area (it left three lines).
func TestTheAnswerAreaOfA1024x600Window(t *testing.T) {
	var rows strings.Builder
	rows.WriteString("[")
	for i := range 20 {
		if i > 0 {
			rows.WriteString(",")
		}
		fmt.Fprintf(&rows, `{"id":%d,"email":"u%d@example.com","note":"%s"}`, i, i, strings.Repeat("a long note ", 30))
	}
	rows.WriteString("]")
	show := func(t *testing.T, ans answer) (*View, fyne.Window) {
		a := uitest.NewApp(t)
		win := a.NewWindow("response")
		t.Cleanup(win.Close)
		v := New(win, Options{})
		t.Cleanup(v.Close)
		win.SetContent(v.Content())
		win.Resize(answerArea)
		v.SetResponse(fetch(t, uitest.Runner(t, uitest.Keychain(t)), answerServer(t, ans).URL))
		a.Wait(t, v.Tasks())
		v.content.(*fyne.Container).Refresh() // as the window lays itself out again when a minimum size changed
		return v, win
	}

	t.Run("selected cell", func(t *testing.T) {
		v, win := show(t, answer{ctype: "application/json", status: 200, body: rows.String()})
		v.SelectTab("Table")
		before := win.Content().MinSize()
		gridH := v.Table().Size().Height
		v.Table().SelectCell(4, 2)
		if m := win.Content().MinSize(); m.Height > before.Height || m.Height > answerArea.Height {
			t.Errorf("selecting a cell raised the view's minimum height from %v to %v", before.Height, m.Height)
		}
		v.content.(*fyne.Container).Refresh()
		if h := v.Table().Size().Height; h != gridH {
			t.Errorf("the table tab went from %v to %v high", gridH, h)
		}
		texts := strings.Join(uitest.Texts(v.Table()), "|")
		if !strings.Contains(texts, "u4@example.com") || !strings.Contains(texts, "u3@example.com") {
			t.Errorf("the selected row and the one above it are not both in sight: %s", texts)
		}
	})

	t.Run("advice", func(t *testing.T) {
		v, _ := show(t, answer{ctype: "text/html", status: 404, body: "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Error</title></head>\n<body><h1>File not found</h1></body>\n</html>\n"})
		if v.Advice().Headline() == "" {
			t.Fatal("no advice for a 404")
		}
		area := v.content.Size().Height
		if h := v.Body().Size().Height; h < area/2 {
			t.Errorf("with the advice shown the body has %v of the answer's %v", h, area)
		}
		if h := v.Advice().Size().Height; h > area/5 {
			t.Errorf("the advice takes %v of the answer's %v", h, area)
		}
	})
}
