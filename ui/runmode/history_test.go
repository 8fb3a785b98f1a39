package runmode

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"apidesk/engine/history"
	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

func newHistoryView(t *testing.T) (*uitest.App, *View, *history.Store) {
	a := uitest.NewApp(t)
	win := a.NewWindow("run")
	t.Cleanup(win.Close)
	store := history.Open(t.TempDir(), "ws")
	v := New(Deps{Runner: uitest.Runner(t, uitest.Keychain(t)), History: store}, win)
	t.Cleanup(v.Response().Close)
	win.SetContent(v.Content())
	win.Resize(fyne.NewSize(1000, 800))
	return a, v, store
}

// Each run is listed under Recent runs with its status and inputs, never the secret's; choosing one shows its
// result again; Clear history empties the list.
func TestRecentRunsReopenAResult(t *testing.T) {
	srv, _ := countingServer(t)
	a, v, store := newHistoryView(t)
	res := &resource.Resource{ID: "r1", Name: "Billing", BaseURL: srv.URL}
	v.Open(writeQuery(), res)
	for _, order := range []string{"1001", "1002"} {
		v.SetValue("order_id", order)
		v.SetValue("amount", "5")
		v.SetValue("pin", "pin-4321")
		v.Run()
		v.Answer(true)
		a.Wait(t, v.Tasks())
	}
	if !strings.Contains(string(v.Response().Body().Doc().Bytes()), "1002") {
		t.Fatal("the last run is not shown")
	}

	v.ShowRecent()
	a.Wait(t, v.Tasks())
	runs := v.RecentRuns()
	if len(runs) != 2 || !strings.Contains(runs[0], "200 OK") || !strings.Contains(runs[0], "order_id 1002") ||
		!strings.Contains(runs[1], "order_id 1001") || !strings.Contains(runs[0], "amount 5") {
		t.Fatalf("Recent runs: %q", runs)
	}
	v.ChooseRecent(1)
	a.Wait(t, v.Tasks())
	if v.hist.dlg != nil {
		t.Error("Recent runs stays open")
	}
	if body := string(v.Response().Body().Doc().Bytes()); !strings.Contains(body, "/orders/1001/refund") || v.Response().Status() != "200 OK" {
		t.Errorf("reopened %q: %s", v.Response().Status(), body)
	}
	if !v.hist.note.Visible() || !strings.Contains(v.hist.note.Text, "order_id 1001") {
		t.Errorf("note %q", v.hist.note.Text)
	}
	// Its values are back in the fields; the secret, which was not kept, is as it was.
	got := map[string]string{}
	for _, in := range v.inputs {
		got[in.name] = in.text()
	}
	if got["order_id"] != "1001" || got["amount"] != "5" || got["pin"] != "pin-4321" {
		t.Errorf("fields after reopening: %v", got)
	}

	// The secret typed, and echoed by the server, is in no file.
	_ = filepath.WalkDir(filepath.Dir(store.Dir()), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("pin-4321")) {
				t.Errorf("%s holds the secret:\n%s", p, b)
			}
		}
		return err
	})

	v.ShowRecent()
	a.Wait(t, v.Tasks())
	v.ClearHistory()
	a.Wait(t, v.Tasks())
	if runs := v.RecentRuns(); len(runs) != 0 || !v.hist.empty.Visible() {
		t.Errorf("after Clear history: %q", runs)
	}
	if es, _ := store.List("refund"); len(es) != 0 {
		t.Errorf("the store keeps %d", len(es))
	}
}

// Without a history, there is no Recent runs.
func TestNoHistoryNoRecentRuns(t *testing.T) {
	_, v := newView(t)
	if v.hist.button.Visible() {
		t.Error("Recent runs shown without a history")
	}
}

// Recent runs leaves run mode narrow enough for a 640 px window beside the sidebar.
func TestRecentRunsFitsASmallWindow(t *testing.T) {
	_, v, _ := newHistoryView(t)
	v.Open(writeQuery(), &resource.Resource{ID: "r1", Name: "Billing", BaseURL: "http://127.0.0.1:1"})
	if w := v.Content().MinSize().Width; w > 480 {
		t.Errorf("run mode asks for %v px", w)
	}
}
