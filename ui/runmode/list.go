package runmode

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/advice"
	"apidesk/engine/batch"
	"apidesk/engine/query"
	"apidesk/ui/environ"
	"apidesk/ui/task"
)

// listRun is "Run for a list…": the query open, run once for every row of a CSV file, with its progress and
// its results. It lives in a dialog over the run view.
type listRun struct {
	v       *View
	name    string
	l       *batch.List
	results *batch.Results
	job     *task.Job
	stop    context.CancelFunc // Cancel: stops the run, keeping the rows answered

	about       *widget.Label
	concurrency *widget.Select
	pause       *widget.Select
	bar         *widget.ProgressBar
	counts      *widget.Label
	runBtn      *widget.Button
	cancelBtn   *widget.Button
	saveBtn     *widget.Button
	table       *widget.Table
	columns     []string
	rows        [][]string
	content     fyne.CanvasObject
	dlg         *dialog.CustomDialog
	onDone      func(summary string) // see RunOpenList
}

// pauses are the choices of a pause between requests.
var pauses = []string{"No pause", "0.5 s", "1 s", "2 s", "5 s"}

// onRunList asks for a CSV file and opens the list run on it.
func (v *View) onRunList() {
	if v.q == nil {
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		defer rc.Close()
		if err := v.OpenList(rc.URI().Name(), rc); err != nil {
			dialog.ShowError(err, v.win)
		}
	}, v.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV"}))
	d.Show()
}

// OpenList opens Run for a list on the CSV file name read from r, as choosing it in the file dialog does: a list
// that cannot be run is an error in words, with its line, and opens nothing.
func (v *View) OpenList(name string, r io.Reader) error {
	lr, err := v.openList(name, r)
	if err != nil {
		return err
	}
	lr.dlg = dialog.NewCustomWithoutButtons("Run for a list", lr.content, v.win)
	lr.dlg.Resize(fyne.NewSize(760, 560))
	lr.dlg.Show()
	v.list = lr
	return nil
}

// RunOpenList presses Run in the Run for a list dialog open, if any; done is then called on the UI goroutine
// with the line the dialog shows when the run has ended ("1000 of 1000 rows succeeded"). For the list bench.
func (v *View) RunOpenList(done func(summary string)) {
	lr := v.list
	if lr == nil {
		return
	}
	lr.onDone = done
	lr.onRun()
}

// openList reads a list for the query open and builds its page; a list that cannot be run is an error in words,
// with its line.
func (v *View) openList(name string, r io.Reader) (*listRun, error) {
	l, err := batch.Read(r)
	if err == nil {
		given := v.q.Values(nil)
		for _, n := range v.deps.Env.Provided(v.res) { // the environment's need no column
			if _, ok := given[n]; !ok {
				given[n] = ""
			}
		}
		err = l.Check(v.q.VariableNames(v.res), given)
	}
	if err != nil {
		return nil, fmt.Errorf("%s cannot be run: %w", name, err)
	}
	lr := &listRun{v: v, name: name, l: l}
	lr.about = &widget.Label{Text: lr.describe(), Wrapping: fyne.TextWrapWord}
	lr.concurrency = &widget.Select{Options: []string{"1", "2", "4", "8"}, Selected: "1"}
	lr.pause = &widget.Select{Options: pauses, Selected: pauses[0]}
	lr.bar = &widget.ProgressBar{Max: float64(len(l.Rows))}
	lr.counts = &widget.Label{Text: fmt.Sprintf("%d rows to run", len(l.Rows))}
	lr.runBtn = &widget.Button{Text: lr.runText(), Icon: theme.MediaPlayIcon(), Importance: widget.HighImportance, OnTapped: lr.onRun}
	lr.cancelBtn = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: lr.onCancel}
	lr.cancelBtn.Disable()
	lr.saveBtn = &widget.Button{Text: "Save as CSV…", Icon: theme.DocumentSaveIcon(), OnTapped: lr.onSave}
	lr.saveBtn.Disable()
	closeBtn := &widget.Button{Text: "Close", OnTapped: lr.onClose}
	lr.table = widget.NewTableWithHeaders(lr.size, func() fyne.CanvasObject { return widget.NewLabel("") }, lr.cell)
	lr.table.CreateHeader = func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} }
	lr.table.UpdateHeader = lr.header
	lr.table.ShowHeaderColumn = false
	settings := container.NewHBox(widget.NewLabel("At once:"), lr.concurrency, widget.NewLabel("Pause between requests:"), lr.pause)
	buttons := container.NewHBox(lr.runBtn, lr.cancelBtn, lr.saveBtn, closeBtn)
	top := container.NewVBox(lr.about, settings, buttons, lr.bar, lr.counts)
	lr.content = container.NewBorder(top, nil, nil, nil, lr.table)
	lr.columns, lr.rows = lr.preview()
	return lr, nil
}

// describe says what the list holds and, for a query that changes something, what running it will do.
func (lr *listRun) describe() string {
	q, res := lr.v.q, lr.v.res
	inputs := q.VariableNames(res)
	var fills, kept []string
	for _, h := range lr.l.Header {
		if slices.Contains(inputs, h) {
			fills = append(fills, q.Variable(h).Title())
		} else {
			kept = append(kept, h)
		}
	}
	s := fmt.Sprintf("%s: %d rows. Its columns fill in %s", lr.name, len(lr.l.Rows), strings.Join(fills, ", "))
	if len(kept) > 0 {
		s += "; the others (" + strings.Join(kept, ", ") + ") are kept in the results"
	}
	s += ". The first rows are below."
	if e := lr.v.deps.Env.Env(); e != nil {
		s += " It runs in " + e.Name + "."
	}
	switch q.EffectiveMethod() {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		s += fmt.Sprintf(" This will %s to %s: %s once for each of the %d rows.", q.EffectiveMethod(), res.Name, q.Name, len(lr.l.Rows))
	}
	return s
}

func (lr *listRun) runText() string { return fmt.Sprintf("Run %d times", len(lr.l.Rows)) }

// preview is the table before a run: the list's first rows.
func (lr *listRun) preview() ([]string, [][]string) {
	rows := make([][]string, 0, 5)
	for _, r := range lr.l.Rows[:min(5, len(lr.l.Rows))] {
		rows = append(rows, r.Values)
	}
	return lr.l.Header, rows
}

func (lr *listRun) size() (int, int) { return len(lr.rows), len(lr.columns) }

func (lr *listRun) cell(id widget.TableCellID, o fyne.CanvasObject) {
	text := ""
	if id.Row < len(lr.rows) && id.Col < len(lr.rows[id.Row]) {
		text = lr.rows[id.Row][id.Col]
	}
	o.(*widget.Label).SetText(text)
}

func (lr *listRun) header(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Col >= 0 && id.Col < len(lr.columns) {
		o.(*widget.Label).SetText(lr.columns[id.Col])
	}
}

// onRun runs the list in the background; its progress comes back through fyne.Do. While a protected
// environment is active, a list of requests that may change something is confirmed first.
func (lr *listRun) onRun() {
	if lr.job.Running() || lr.v.confirm != nil {
		return
	}
	if q := lr.v.q; lr.v.deps.Env.Protected() && query.Writes(q.EffectiveMethod()) {
		e := lr.v.deps.Env.Env()
		lr.v.ask(fmt.Sprintf("This runs in %s, a protected environment: check twice. This will %s to %s: %s once for each of the %d rows. Run it?",
			e.Name, q.EffectiveMethod(), lr.v.res.Name, q.Name, len(lr.l.Rows)), lr.run)
		return
	}
	lr.run()
}

// run runs the list in the background.
func (lr *listRun) run() {
	if lr.job.Running() {
		return
	}
	n, _ := strconv.Atoi(lr.concurrency.Selected)
	opt := batch.Options{Concurrency: n, Delay: pauseOf(lr.pause.Selected), Vars: lr.v.q.Values(nil)}
	var shown time.Time
	opt.OnProgress = func(p batch.Progress) { // never two calls at once (batch.Options)
		if now := time.Now(); showProgressNow(p, shown, now) {
			shown = now
			fyne.Do(func() { lr.showProgress(p) })
		}
	}
	lr.runBtn.Disable()
	lr.cancelBtn.Enable()
	lr.saveBtn.Disable()
	lr.bar.SetValue(0)
	q, res, l, rn := lr.v.q, lr.v.res, lr.l, lr.v.deps.Runner
	scope := lr.v.deps.Env.For(res)
	type outcome struct {
		rs      *batch.Results
		err     error
		columns []string
		rows    [][]string
	}
	stopped, stop := context.WithCancel(context.Background())
	lr.stop = stop
	lr.job = task.Start(&lr.v.tasks, func(ctx context.Context) (outcome, error) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(stopped, cancel)()
		sc, err := scope(ctx)
		if err != nil { // the keychain could not be read: no row ran
			rs := &batch.Results{Header: l.Header, Rows: make([]batch.Result, len(l.Rows))}
			for i, row := range l.Rows {
				rs.Rows[i] = batch.Result{Line: row.Line, Values: row.Values}
			}
			columns, rows := rs.Table()
			return outcome{rs, err, columns, rows}, nil
		}
		opt.Vars = environ.Values(sc, q, opt.Vars)
		rs, err := batch.Run(ctx, rn, sc.Bind(res), sc.Query(q), l, opt)
		columns, rows := rs.Table() // here, not on the UI goroutine: a long list's table takes a while
		return outcome{rs, err, columns, rows}, nil
	}, func(o outcome, _ error) { lr.done(o.rs, o.err, o.columns, o.rows) })
}

// progressEvery spaces the progress shown: a fast list (a row a millisecond) would otherwise queue a redraw a row
// and keep the window from answering the person.
const progressEvery = 100 * time.Millisecond

// showProgressNow says whether progress p, coming at now, is shown, the last shown at shown: the first, the
// last, a wait the server asked for, and otherwise at most one every progressEvery.
func showProgressNow(p batch.Progress, shown, now time.Time) bool {
	return shown.IsZero() || p.Done >= p.Total || p.Waiting > 0 || now.Sub(shown) >= progressEvery
}

func (lr *listRun) showProgress(p batch.Progress) {
	lr.bar.SetValue(float64(p.Done))
	s := fmt.Sprintf("%d of %d rows done · %d failed · %d left · %.1f rows a second", p.Done, p.Total, p.Failed, p.Remaining(), p.Rate())
	if p.Waiting > 0 {
		s += " · the server asked to slow down: waiting " + advice.Duration(p.Waiting)
	}
	lr.counts.SetText(s)
}

// done shows the results of a run that ended, or stopped.
func (lr *listRun) done(rs *batch.Results, err error, columns []string, rows [][]string) {
	lr.stop()
	lr.results = rs
	lr.columns, lr.rows = columns, rows
	lr.table.Refresh()
	s := fmt.Sprintf("%d of %d rows succeeded", rs.Succeeded(), len(rs.Rows))
	if f := len(rs.Failed()); f > 0 {
		s += fmt.Sprintf(", %d failed", f)
	}
	if n := rs.NotRun(); n > 0 {
		s += fmt.Sprintf(", %d not run", n)
	}
	if err != nil && rs.NotRun() > 0 {
		s += ". " + sentence(err.Error())
	}
	lr.counts.SetText(s)
	lr.runBtn.SetText("Run again")
	lr.runBtn.Enable()
	lr.cancelBtn.Disable()
	lr.saveBtn.Enable()
	if lr.onDone != nil {
		lr.onDone(s)
	}
}

// onCancel stops the run; the rows answered so far are kept.
func (lr *listRun) onCancel() {
	if lr.job.Running() {
		lr.stop()
		lr.cancelBtn.Disable()
		lr.counts.SetText("Cancelling…")
	}
}

func (lr *listRun) onClose() {
	lr.job.Cancel()
	if lr.dlg != nil {
		lr.dlg.Hide()
	}
}

// onSave asks where to save the results as CSV.
func (lr *listRun) onSave() {
	if lr.results == nil {
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		err = lr.results.WriteCSV(wc)
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			dialog.ShowError(fmt.Errorf("the results could not be saved: %w", err), lr.v.win)
		}
	}, lr.v.win)
	d.SetFileName(strings.TrimSuffix(lr.name, ".csv") + " results.csv")
	d.Show()
}

// saveTo writes the results to a file, as Save as CSV does.
func (lr *listRun) saveTo(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := lr.results.WriteCSV(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func pauseOf(choice string) time.Duration {
	n, err := strconv.ParseFloat(strings.TrimSuffix(choice, " s"), 64)
	if err != nil {
		return 0
	}
	return time.Duration(n * float64(time.Second))
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
