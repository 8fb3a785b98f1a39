// Command listrun measures whether the apidesk window stays responsive while run mode's Run for a list sends a
// query for every row of a CSV: the real run view (ui/runmode) in a real window, the real runner, a local
// server that answers at once (the hardest case for the window: a progress report a fraction of a millisecond),
// and each answer a list of two records, so the results table has twice the list's rows. It prints one line;
// bench/listrun.sh runs it under Xvfb several times and takes the medians.
//
//	max_stall_ms  the longest the UI goroutine did not answer (a fyne.Do posted every 5 ms), from pressing Run
//	              until the results table is shown
//	rows_per_s    rows of the list answered a second, the window drawing its progress all the while
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"apidesk/bench/uimeter"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/runmode"
)

func main() {
	rows := flag.Int("rows", 5000, "rows of the CSV list")
	flag.Parse()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/customers/")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `[{"id":%q,"name":"Customer %s","plan":"gold"},{"id":"%s-b","name":"Partner of %s","plan":"free"}]`, id, id, id, id)
	}))
	defer srv.Close()
	var csv bytes.Buffer
	csv.WriteString("id,ticket\n")
	for i := range *rows {
		fmt.Fprintf(&csv, "%d,T-%d\n", i+1, i+1)
	}

	a := app.NewWithID("io.apidesk.bench.listrun")
	w := a.NewWindow("apidesk listrun bench")
	v := runmode.New(runmode.Deps{Runner: runner.New(nil, nil)}, w)
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1200, 800))
	res := &resource.Resource{ID: "bench", Name: "CRM", BaseURL: srv.URL}
	v.Open(&query.Query{ID: "q", Name: "Customer", ResourceID: "bench", Method: "GET", Path: "/customers/{{id}}"}, res)

	var m uimeter.Meter
	go func() {
		time.Sleep(time.Second) // the window is up and idle
		opened := make(chan error, 1)
		fyne.Do(func() { opened <- v.OpenList("rows.csv", bytes.NewReader(csv.Bytes())) })
		if err := <-opened; err != nil {
			fmt.Fprintln(os.Stderr, "listrun:", err)
			os.Exit(1)
		}
		time.Sleep(300 * time.Millisecond) // the dialog is drawn
		done := make(chan string, 1)
		stop := m.Start()
		start := time.Now()
		fyne.Do(func() { v.RunOpenList(func(s string) { done <- s }) })
		summary := <-done
		took := time.Since(start)
		time.Sleep(200 * time.Millisecond) // the results table is drawn
		maxStall := stop()
		fmt.Printf("rows=%d max_stall_ms=%.0f rows_per_s=%.0f (%s)\n", *rows, ms(maxStall), float64(*rows)/took.Seconds(), summary)
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
