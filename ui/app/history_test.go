package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/history"
)

// Settings limits the history of runs (remembered for the next start) and Clear history empties it.
func TestSettingsLimitAndClearTheHistory(t *testing.T) {
	fx := newFixture(t, nil)
	store := history.Open(t.TempDir(), fx.w.deps.Workspace.Dir())
	fx.w.deps.History = store
	for _, id := range []string{"q1", "q2"} {
		if _, err := store.Add(id, history.Entry{At: time.Now(), Status: "200 OK"}, []byte("{}"), nil); err != nil {
			t.Fatal(err)
		}
	}
	fx.mainMenuAction(t, "File", "Settings…")()
	var keep *widget.Select
	for _, o := range test.LaidOutObjects(fx.w.win.Canvas().Overlays().Top()) {
		if s, ok := o.(*widget.Select); ok {
			keep = s
		}
	}
	if keep == nil || keep.Selected != history.Choices[0].Label {
		t.Fatalf("history choice: %+v", keep)
	}
	keep.SetSelected("None: keep no record")
	if got := fx.app.Preferences().String(prefHistory); got != "off" || !store.Policy().Off {
		t.Errorf("remembered %q, policy %+v", got, store.Policy())
	}
	keep.SetSelected("The runs of the last 7 days")
	New(fx.app, fx.w.deps).win.Close() // the next start
	if p := store.Policy(); p.Off || p.MaxAge != 7*24*time.Hour || p.Keep != 0 {
		t.Errorf("policy at the next start: %+v", p)
	}

	test.Tap(fx.dialogButton(t, "Clear history"))
	test.Tap(fx.dialogButton(t, "Yes"))
	fx.app.Wait(t, fx.w.Tasks())
	for _, id := range []string{"q1", "q2"} {
		if es, _ := store.List(id); len(es) != 0 {
			t.Errorf("%s keeps %d runs", id, len(es))
		}
	}
}
