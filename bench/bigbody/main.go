// Command bigbody measures what a person waits for when a big JSON response arrives in the apidesk window: the
// real response viewer (ui/responseview) in a real window, fed by the real runner from a local server. It prints
// one line of figures; bench/bigbody.sh runs it under Xvfb several times and takes the medians.
//
//	first_lines_ms  from the last byte of the body to its first formatted lines being in the window
//	max_stall_ms    the longest the UI goroutine did not answer (a fyne.Do posted every 5 ms), from the request
//	                until the end of scrolling through the body (search jumps to five places in it)
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"apidesk/bench/uimeter"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/responseview"
)

func main() {
	mb := flag.Int("mb", 50, "size of the JSON body in MB")
	flag.Parse()
	body := makeBody(*mb << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	defer srv.Close()

	a := app.NewWithID("io.apidesk.bench.bigbody")
	w := a.NewWindow("apidesk bigbody bench")
	view := responseview.New(w, responseview.Options{})
	w.SetContent(view.Content())
	w.Resize(fyne.NewSize(1200, 800))

	var m uimeter.Meter
	go func() {
		time.Sleep(time.Second) // the window is up and idle
		stop := m.Start()
		res := &resource.Resource{ID: "bench", Name: "bench", BaseURL: srv.URL}
		resp, err := runner.New(nil, nil).Do(context.Background(), res, &query.Query{Method: "GET"}, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bigbody:", err)
			os.Exit(1)
		}
		lastByte := time.Now()
		download := m.Phase()
		fyne.Do(func() { view.SetResponse(resp) })
		shown := waitUI(func() bool { return view.Body().Doc() != nil && view.Body().Doc().Lines() > 0 })
		display := m.Phase()
		waitUI(func() bool { return !view.Busy() })
		table := m.Phase()
		for _, q := range []string{`"id": 1000`, `"id": 100000`, `"id": 300000`, `"id": 10`, `"id": 200000`} {
			q := q
			fyne.Do(func() { view.Body().SetSearch(q) })
			time.Sleep(150 * time.Millisecond)
		}
		waitUI(func() bool { return !view.Busy() })
		search := m.Phase()
		maxStall := stop()
		fmt.Printf("body_mb=%d first_lines_ms=%.0f max_stall_ms=%.0f (download %.0f, first lines %.0f, table %.0f, search %.0f)\n",
			*mb, ms(shown.Sub(lastByte)), ms(maxStall), ms(download), ms(display), ms(table), ms(search))
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
}

// waitUI polls cond on the UI goroutine until it holds and returns when it first did.
func waitUI(cond func() bool) time.Time {
	for {
		ch := make(chan time.Time, 1)
		fyne.Do(func() {
			if cond() {
				ch <- time.Now()
			} else {
				ch <- time.Time{}
			}
		})
		if t := <-ch; !t.IsZero() {
			return t
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// makeBody is a compact JSON array of objects of about n bytes, like a list endpoint's answer.
func makeBody(n int) []byte {
	var b bytes.Buffer
	b.Grow(n + 256)
	b.WriteByte('[')
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"customer %d","email":"c%d@example.com","active":%t,"balance":%d.%02d,"tags":["a","b"],"address":{"city":"Town %d","zip":"%05d"}}`,
			i, i, i, i%3 == 0, i*7%10000, i%100, i%500, i%100000)
	}
	b.WriteByte(']')
	return b.Bytes()
}
