package runmode

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/history"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
	"apidesk/ui/task"
)

// runHistory is run mode's part of the history (engine/history): what the run on its way is recorded as, the
// Recent runs button and its list, and the note that says a past result is shown.
type runHistory struct {
	button *widget.Button
	note   *widget.Label // "Showing the run of …", or why a run could not be recorded

	sending *sending // the run on its way, to record when it is done

	dlg     dialog.Dialog // Recent runs, while open
	list    *widget.List
	empty   *widget.Label
	entries []history.Entry
	queryID string // whose entries are listed
}

// sending is what a run is recorded with once its answer came.
type sending struct {
	q      *query.Query
	inputs map[string]string
	hidden []string // the values of the secret variables it carried
	at     time.Time
}

func (v *View) newHistory() {
	h := &v.hist
	h.button = &widget.Button{Text: "Recent runs", Icon: theme.HistoryIcon(), Importance: widget.LowImportance, OnTapped: v.ShowRecent}
	h.note = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	h.note.Hide()
	if v.deps.History == nil {
		h.button.Hide()
	}
	v.sender.OnDone = v.record
}

// startRecord remembers what the run about to be sent is recorded with: the inputs of q on res, without the
// secrets' values.
func (v *View) startRecord(q *query.Query, res *resource.Resource, vals map[string]string) {
	v.hist.note.Hide()
	if v.deps.History == nil {
		return
	}
	s := &sending{q: q, inputs: map[string]string{}, at: time.Now()}
	for _, in := range q.Inputs(res) {
		val, ok := vals[in.Name]
		switch {
		case !ok:
		case q.Hidden(in.Name):
			s.hidden = append(s.hidden, val)
		default:
			s.inputs[in.Name] = val
		}
	}
	s.inputs = q.WithoutSecrets(s.inputs)
	v.hist.sending = s
}

// record adds the run that finished to the history, in the background. A run that was not sent (it needs a
// sign-in, a value, or the person's word on a changed address) is not recorded.
func (v *View) record(resp *runner.Response, err error) {
	s := v.hist.sending
	v.hist.sending = nil
	store := v.deps.History
	var moved *resource.OriginChangedError
	if s == nil || store == nil || errors.Is(err, resource.ErrNotSignedIn) || errors.Is(err, template.ErrMissing) || errors.As(err, &moved) {
		return
	}
	e := history.Entry{At: s.at, Inputs: s.inputs, Duration: time.Since(s.at)}
	mask := func(text string) string { return sensitive.Mask(text, s.hidden...) }
	var body []byte
	if err != nil {
		e.Error = err.Error()
	} else {
		e.StatusCode, e.Status, e.URL = resp.StatusCode, resp.Status, resp.URL
		e.ContentType, e.Size, e.Duration = resp.Header.Get("Content-Type"), resp.Size, resp.Timing.Total
		body = resp.Body
		mask = func(text string) string { return resp.Mask(sensitive.Mask(text, s.hidden...)) }
	}
	id := s.q.ID
	task.Start(&v.tasks, func(context.Context) (history.Entry, error) {
		return store.Add(id, e, body, mask)
	}, func(_ history.Entry, err error) {
		if err != nil {
			v.hist.note.SetText("This run could not be added to Recent runs: " + err.Error())
			v.hist.note.Show()
		}
		if v.hist.dlg != nil && v.hist.queryID == id {
			v.loadRecent()
		}
	})
}

// ShowRecent opens Recent runs: the runs of the query open, newest first, each with its time, status and
// inputs; choosing one shows its result. Clear history empties the query's history.
func (v *View) ShowRecent() {
	if v.q == nil || v.deps.History == nil {
		return
	}
	h := &v.hist
	h.queryID = v.q.ID
	h.entries = nil
	h.empty = &widget.Label{Text: "Loading…", Wrapping: fyne.TextWrapWord}
	h.list = &widget.List{
		Length:     func() int { return len(h.entries) },
		CreateItem: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateItem: func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(h.entries) {
				o.(*widget.Label).SetText(entryText(h.entries[id], time.Now()))
			}
		},
		OnSelected: func(id widget.ListItemID) { v.reopen(id) },
	}
	clearBtn := &widget.Button{Text: "Clear history", Icon: theme.DeleteIcon(), Importance: widget.DangerImportance, OnTapped: v.ClearHistory}
	body := container.NewBorder(h.empty, nil, nil, nil, h.list)
	d := dialog.NewCustom("Recent runs of "+v.q.Name, "Close", body, v.win)
	d.SetButtons([]fyne.CanvasObject{clearBtn, &widget.Button{Text: "Close", OnTapped: d.Hide}})
	d.SetOnClosed(func() {
		if h.dlg == d {
			h.dlg = nil
		}
	})
	h.dlg = d
	d.Resize(fyne.NewSize(620, 420))
	d.Show()
	v.loadRecent()
}

// loadRecent reads the list of Recent runs in the background.
func (v *View) loadRecent() {
	h := &v.hist
	id, store := h.queryID, v.deps.History
	task.Start(&v.tasks, func(context.Context) ([]history.Entry, error) {
		return store.List(id)
	}, func(es []history.Entry, err error) {
		if h.dlg == nil || h.queryID != id {
			return
		}
		h.entries = es
		h.list.UnselectAll()
		h.list.Refresh()
		switch {
		case err != nil:
			h.empty.SetText("The history could not be read: " + err.Error())
			h.empty.Show()
		case len(es) == 0:
			h.empty.SetText("No runs yet. Each run of this query is listed here, without the secrets you type.")
			h.empty.Show()
		default:
			h.empty.Hide()
		}
	})
}

// RecentRuns is what Recent runs lists, a line a run, while it is open.
func (v *View) RecentRuns() []string {
	if v.hist.dlg == nil {
		return nil
	}
	out := make([]string, len(v.hist.entries))
	for i, e := range v.hist.entries {
		out[i] = entryText(e, time.Now())
	}
	return out
}

// ChooseRecent chooses the i-th run listed in Recent runs (0 is the newest), as a tap on it does.
func (v *View) ChooseRecent(i int) {
	if v.hist.dlg != nil && i < len(v.hist.entries) {
		v.hist.list.Select(i)
	}
}

// reopen shows the result of the i-th run listed, read in the background, and closes Recent runs.
func (v *View) reopen(i int) {
	h := &v.hist
	if i < 0 || i >= len(h.entries) {
		return
	}
	e, id, store := h.entries[i], h.queryID, v.deps.History
	if h.dlg != nil {
		h.dlg.Hide()
	}
	task.Start(&v.tasks, func(context.Context) ([]byte, error) {
		if e.Error != "" {
			return nil, nil
		}
		return store.Body(id, e)
	}, func(body []byte, err error) {
		if v.q == nil || v.q.ID != id || v.Running() {
			return
		}
		v.showPast(e, body, err)
	})
}

// showPast shows a past run's result where a run's result is shown, and says which run it is.
func (v *View) showPast(e history.Entry, body []byte, err error) {
	switch {
	case err != nil:
		v.response.SetError(err)
	case e.Error != "":
		v.response.SetError(errors.New(e.Error))
	default:
		resp := &runner.Response{StatusCode: e.StatusCode, Status: e.Status, Header: http.Header{}, URL: e.URL,
			Size: e.Size, Body: body, Truncated: e.Truncated(), Timing: runner.Timing{Total: e.Duration}}
		if e.ContentType != "" {
			resp.Header.Set("Content-Type", e.ContentType)
		}
		v.response.SetResponseFrom(v.res, resp)
	}
	text := "Showing the run of " + when(e.At, time.Now())
	if in := inputsText(e.Inputs); in != "" {
		text += " (" + in + "); its values are filled in above, to run it again"
	}
	for name, val := range e.Inputs { // a secret is not kept: its field stays as it is
		v.SetValue(name, val)
	}
	if e.Truncated() {
		text += fmt.Sprintf(": only its first %s was kept", runner.FormatSize(e.Kept))
	}
	v.hist.note.SetText(text)
	v.hist.note.Show()
}

// ClearHistory empties the history of the query open.
func (v *View) ClearHistory() {
	if v.q == nil || v.deps.History == nil {
		return
	}
	id, store := v.q.ID, v.deps.History
	task.Run(&v.tasks, func(context.Context) error { return store.Clear(id) }, func(err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("the history could not be cleared: %w", err), v.win)
		}
		if v.hist.dlg != nil {
			v.loadRecent()
		}
	})
}

// entryText is a run as Recent runs lists it: "Today 14:03 · 200 OK · 0.2 s · order_id 1234".
func entryText(e history.Entry, now time.Time) string {
	status := e.Status
	if status == "" {
		status = "Failed: " + e.Error
	}
	parts := []string{when(e.At, now), status}
	if e.Error == "" {
		parts = append(parts, e.Duration.Round(time.Millisecond).String())
	}
	if in := inputsText(e.Inputs); in != "" {
		parts = append(parts, in)
	}
	return strings.Join(parts, " · ")
}

// when says when a run was: "today 14:03:12", "Mar 3 14:03", "Mar 3 2025 14:03".
func when(at, now time.Time) string {
	at = at.Local()
	now = now.Local()
	switch {
	case at.YearDay() == now.YearDay() && at.Year() == now.Year():
		return "today " + at.Format("15:04:05")
	case at.Year() == now.Year():
		return at.Format("Jan 2 15:04")
	}
	return at.Format("Jan 2 2006 15:04")
}

// inputsText is a run's inputs on one line, in the order of their names: "amount 10.00, order_id 1234".
func inputsText(inputs map[string]string) string {
	names := make([]string, 0, len(inputs))
	for k := range inputs {
		names = append(names, k)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, k := range names {
		val := strings.Join(strings.Fields(inputs[k]), " ")
		if r := []rune(val); len(r) > 40 {
			val = string(r[:39]) + "…"
		}
		parts[i] = k + " " + val
	}
	return strings.Join(parts, ", ")
}
