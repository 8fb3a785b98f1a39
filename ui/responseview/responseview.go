// Package responseview shows the answer to a request: the status (coloured), time and size; tabs for the body
// (pretty JSON with search, ui/bodyview), the table of a JSON array (ui/tableview), the fields of a single JSON
// object (ui/recordview), the headers, the cookies and the timing; "Save body…" and "Open externally". Above the body, an error answer (401, 404, 429, 5xx…) is
// said in plain words with what to do (engine/advice), with "Sign in again" for an OAuth 2.0 resource's 401.
// A body longer than the in-memory view cap is shown in
// part, with a note that says so and offers the whole file.
package responseview

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/advice"
	"apidesk/engine/jsonview"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/bodyview"
	"apidesk/ui/problem"
	"apidesk/ui/recordview"
	"apidesk/ui/tableview"
	"apidesk/ui/task"
)

// Options choose how much the view shows.
type Options struct {
	// Compact shows only the status line and the result, for run mode: no headers, cookies or timing. It opens
	// on the Table when the answer has rows, on the Record for a single object, else on the Body.
	Compact bool

	// Empty is what the view says before the first answer; "" says to send the request.
	Empty string
}

// emptyText is what the view says before an answer.
func (o Options) emptyText() string {
	if o.Empty != "" {
		return o.Empty
	}
	return "Send the request to see the response here."
}

// View shows one response at a time. It owns the response it shows and closes it (removing its temp file)
// when another replaces it or Close is called.
type View struct {
	// OnSignInAgain is called when the person taps "Sign in again" under a 401 from an OAuth 2.0 resource: sign
	// in to res, then call retry to send the request again. Nil shows no such button.
	OnSignInAgain func(res *resource.Resource, retry func())

	opts  Options
	win   fyne.Window
	tasks task.Group // saving and opening the body, with the body's and the table's work included

	resp   *runner.Response
	res    *resource.Resource // the resource resp came from, when known
	resend func()             // the Sender's send, for a retry after signing in again; nil without a Sender

	banner  *problem.Banner
	advice  *AdviceBar // what an error answer likely means
	status  *widget.Label
	tlsWarn *fyne.Container // "TLS not verified" with a warning sign, for an answer whose server's certificate was not checked
	meta    *widget.Label
	saveBtn *widget.Button
	openBtn *widget.Button
	summary *fyne.Container
	empty   *widget.Label

	waiting    *fyne.Container // "Waiting for the answer…" and Cancel, in place of the last answer
	waitText   *widget.Label
	waitCancel *widget.Button
	onCancel   func() // the Sender's Cancel; nil hides the button

	tabs      *container.AppTabs
	bodyTab   *container.TabItem
	tableTab  *container.TabItem
	recordTab *container.TabItem
	body      *bodyview.BodyView
	table     *tableview.TableView
	record    *recordview.RecordView
	shape     jsonview.TableOptions // the rows and columns the table shows (a query's result shape)

	// What the answer shown turned out to hold, for the tab to open on once both are known (openResult; opened:
	// done, a list chosen later in the table does not move the tabs).
	tableRows, recordFound, tableKnown, recordKnown, opened bool

	headers     *widget.Table
	headerRows  [][2]string
	headerValue *widget.Label
	cookies     *widget.Table
	cookieRows  [][]string
	noCookies   *widget.Label
	timing      *fyne.Container

	content fyne.CanvasObject
}

// New returns an empty view; win shows its dialogs.
func New(win fyne.Window, opts Options) *View {
	v := &View{opts: opts, win: win}
	v.banner = problem.NewBanner()
	v.advice = newAdviceBar()
	v.status = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	v.tlsWarn = container.NewHBox(widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())),
		&widget.Label{Text: tlsWarning, Importance: widget.WarningImportance, TextStyle: fyne.TextStyle{Bold: true}})
	v.tlsWarn.Hide()
	v.meta = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	v.saveBtn = &widget.Button{Text: "Save body…", Icon: theme.DocumentSaveIcon(), Importance: widget.LowImportance, OnTapped: v.onSave}
	v.openBtn = &widget.Button{Text: "Open externally", Icon: theme.ComputerIcon(), Importance: widget.LowImportance, OnTapped: v.onOpen}
	v.empty = &widget.Label{Text: opts.emptyText(), Alignment: fyne.TextAlignCenter, Importance: widget.LowImportance}
	v.waitText = &widget.Label{Alignment: fyne.TextAlignCenter}
	v.waitCancel = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: v.onWaitCancel}
	v.waiting = container.NewCenter(container.NewVBox(v.waitText, container.NewCenter(v.waitCancel)))
	v.waiting.Hide()

	v.body = bodyview.New()
	v.body.OnLoaded = func(*jsonview.Doc) { v.onBodyLoaded() }
	v.table = tableview.New()
	v.table.Window = win
	v.table.OnLoaded = func(t *jsonview.Table, _ error) { v.onTableLoaded(t != nil && t.Rows() > 0) }
	v.record = recordview.New()
	v.record.OnLoaded = func(r *jsonview.Record, _ error) { v.onRecordLoaded(r != nil) }
	v.tasks.Include(v.body.Tasks())
	v.tasks.Include(v.table.Tasks())
	v.tasks.Include(v.record.Tasks())

	v.bodyTab = container.NewTabItem("Body", v.body)
	v.tableTab = container.NewTabItem("Table", v.table)
	v.recordTab = container.NewTabItem("Record", v.record)
	if opts.Compact {
		v.tabs = container.NewAppTabs(v.tableTab, v.recordTab, v.bodyTab)
		v.openBtn.Hide()
	} else {
		v.tabs = container.NewAppTabs(v.bodyTab, v.tableTab, v.recordTab,
			container.NewTabItem("Headers", v.newHeaders()),
			container.NewTabItem("Cookies", v.newCookies()),
			container.NewTabItem("Timing", v.newTiming()),
		)
	}
	buttons := container.NewHBox(v.saveBtn, v.openBtn)
	v.summary = container.NewBorder(nil, nil, container.NewHBox(v.status, v.tlsWarn), buttons, v.meta)
	v.content = container.NewBorder(container.NewVBox(v.banner, v.summary, v.advice), nil, nil, nil,
		container.NewStack(v.tabs, container.NewCenter(v.empty), v.waiting))
	v.Clear()
	return v
}

// Content is the view's canvas object.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Response is the response shown, or nil.
func (v *View) Response() *runner.Response { return v.resp }

// Tasks is the view's background work: preparing the body and the table of the response shown, saving and
// opening it.
func (v *View) Tasks() *task.Group { return &v.tasks }

// Busy reports whether the body or table of the response shown is still being prepared, or a save is under
// way. For the bigbody benchmark.
func (v *View) Busy() bool { return v.tasks.Busy() }

// Body is the body viewer (for tests and for Ctrl+F).
func (v *View) Body() *bodyview.BodyView { return v.body }

// Table is the table viewer.
func (v *View) Table() *tableview.TableView { return v.table }

// Record is the viewer of a single object's fields.
func (v *View) Record() *recordview.RecordView { return v.record }

// SetShape says where the rows of the answers shown next are (jsonview.TopLevel for the answer itself, "" to
// let the table choose) and which columns to show (none: every key), as a query's result shape says.
func (v *View) SetShape(rows string, columns []jsonview.Column) {
	v.shape = jsonview.TableOptions{Path: rows, Columns: columns}
}

// SetResult shows the next answers' table as a query's saved result shape says (nil lets the table choose).
func (v *View) SetResult(r *query.Result) {
	opt := jsonview.ResultOptions(r)
	v.SetShape(opt.Path, opt.Columns)
}

// tableOptions are the options the table of resp is found with.
func (v *View) tableOptions(resp *runner.Response) jsonview.TableOptions {
	opt := v.shape
	opt.Partial = resp.Truncated
	return opt
}

// SelectTab shows the tab with the given title ("Body", "Table", "Headers", "Cookies", "Timing").
func (v *View) SelectTab(title string) {
	for _, t := range v.tabs.Items {
		if t.Text == title {
			v.tabs.Select(t)
		}
	}
}

// SelectedTab is the title of the tab shown.
func (v *View) SelectedTab() string {
	if t := v.tabs.Selected(); t != nil {
		return t.Text
	}
	return ""
}

// Status is the status line as shown ("200 OK"), Meta the time and size beside it.
func (v *View) Status() string { return v.status.Text }

// TLSWarning is the warning beside the status of an answer whose server's TLS certificate was not verified (the
// resource's "Verify TLS certificates" is off), "" for any other answer.
func (v *View) TLSWarning() string {
	if !v.summary.Visible() || !v.tlsWarn.Visible() {
		return ""
	}
	return tlsWarning
}

// tlsWarning is said beside the status of an answer whose server's TLS certificate was not verified.
const tlsWarning = "TLS not verified"

// Meta is the time and size shown beside the status.
func (v *View) Meta() string { return v.meta.Text }

// Problem is the banner shown above the response.
func (v *View) Problem() *problem.Banner { return v.banner }

// Advice is the bar under the status line that says what an error answer likely means and what to do.
func (v *View) Advice() *AdviceBar { return v.advice }

// Clear shows nothing (and closes the response shown).
func (v *View) Clear() {
	v.replace(nil)
	v.banner.Clear()
	v.advice.Clear()
	v.waiting.Hide()
	v.summary.Hide()
	v.tabs.Hide()
	v.empty.SetText(v.opts.emptyText())
	v.empty.Show()
}

// SetWaiting says text ("Waiting for the answer…") where the response is shown, with Cancel when a Sender sends
// the requests: the last response (or error) is not shown meanwhile, so that it is not taken for the answer to
// the request on its way. It is kept, and closed when the answer replaces it.
func (v *View) SetWaiting(text string) {
	v.banner.Clear()
	v.advice.Clear()
	v.summary.Hide()
	v.tabs.Hide()
	v.empty.Hide()
	v.waitText.SetText(text)
	if v.onCancel != nil {
		v.waitCancel.Show()
	} else {
		v.waitCancel.Hide()
	}
	v.waiting.Show()
}

func (v *View) onWaitCancel() {
	if v.onCancel != nil {
		v.onCancel()
	}
}

// SetError shows why a request failed, where the response would be; the last response is dropped.
func (v *View) SetError(err error) {
	v.replace(nil)
	v.summary.Hide()
	v.advice.Clear()
	v.tabs.Hide()
	v.empty.Hide()
	v.waiting.Hide()
	if errors.Is(err, errCancelled) {
		v.banner.SetExplanation(problem.Explanation{Headline: "Cancelled", Message: "The request was stopped before the answer arrived."}, true)
		return
	}
	v.banner.SetError(err)
}

// errCancelled is shown for a request the person cancelled.
var errCancelled = errors.New("cancelled")

// SetResponse shows resp and takes it over: the view closes it when it is replaced. An error answer is explained
// as one from a resource that does not sign in; SetResponseFrom knows the resource.
func (v *View) SetResponse(resp *runner.Response) { v.SetResponseFrom(nil, resp) }

// SetResponseFrom shows resp, an answer from res, and takes it over: the view closes it when it is replaced. An
// error answer is explained for res's kind of sign-in.
func (v *View) SetResponseFrom(res *resource.Resource, resp *runner.Response) {
	v.replace(resp)
	v.res = res
	v.banner.Clear()
	v.refreshAdvice()
	v.empty.Hide()
	v.waiting.Hide()
	v.summary.Show()
	v.tabs.Show()

	v.status.SetText(resp.Status)
	v.status.Importance = statusImportance(resp.StatusCode)
	v.status.Refresh()
	if resp.Insecure {
		v.tlsWarn.Show()
	} else {
		v.tlsWarn.Hide()
	}
	v.meta.SetText(v.metaText(resp))

	ctype := resp.Header.Get("Content-Type")
	v.body.SetSearch("") // the last answer's search is not this one's
	v.body.SetBody(resp.Body, jsonview.Options{ContentType: ctype, Partial: resp.Truncated})
	if resp.Truncated {
		v.body.SetNote(fmt.Sprintf("Showing the first %s of %s.", runner.FormatSize(int64(len(resp.Body))), runner.FormatSize(resp.Size)),
			"Save the full body…", v.onSave)
	} else {
		v.body.SetNote("", "", nil)
	}
	v.tableRows, v.recordFound, v.tableKnown, v.recordKnown, v.opened = false, false, false, false, false
	if v.opts.Compact {
		v.table.SetBody(resp.Body, v.tableOptions(resp))
		v.record.SetBody(resp.Body)
	} else {
		v.table.SetWaiting()
		v.record.Clear()
	}
	if v.opts.Compact {
		v.tabs.Select(v.bodyTab)
	}
	if !v.opts.Compact {
		v.refreshHeaders(resp)
		v.refreshCookies(resp)
		v.refreshTiming(resp)
	}
}

// refreshAdvice says what the answer shown likely means, when it is an error, with "Sign in again" when that
// may help and the window can do it.
func (v *View) refreshAdvice() {
	auth := resource.AuthNone
	if v.res != nil {
		auth = v.res.Auth.Kind
	}
	a := advice.For(v.resp, auth, time.Now())
	if a == nil {
		v.advice.Clear()
		return
	}
	v.advice.SetAdvice(a.Headline, a.Text())
	if a.SignIn && v.res != nil && v.OnSignInAgain != nil {
		v.advice.SetAction("Sign in again", v.onSignInAgain)
	}
}

func (v *View) onSignInAgain() {
	if v.res == nil || v.OnSignInAgain == nil {
		return
	}
	retry := v.resend
	if retry == nil {
		retry = func() {}
	}
	v.OnSignInAgain(v.res, retry)
}

// onBodyLoaded starts looking for the table, unless it was looked for first (Compact): after the body, so that
// the two do not share the CPU (and slow down the first paint of a big body) while the body's first lines are
// made.
func (v *View) onBodyLoaded() {
	if !v.opts.Compact && v.resp != nil {
		v.table.SetBody(v.resp.Body, v.tableOptions(v.resp))
		v.record.SetBody(v.resp.Body)
	}
}

// onTableLoaded notes whether the table of the answer shown has rows, for the tab to open on (openResult).
func (v *View) onTableLoaded(rows bool) {
	v.tableRows, v.tableKnown = rows, true
	v.openResult()
}

// onRecordLoaded notes whether the answer shown is a single object, for the tab to open on (openResult).
func (v *View) onRecordLoaded(found bool) {
	v.recordFound, v.recordKnown = found, true
	v.openResult()
}

// openResult chooses the tab, once the table and the record of a new answer are known: in Compact mode, the Table
// when the answer has rows, the Record when it is one object, else the Body. Otherwise the person's tab stays,
// unless it is the Table or the Record and would show nothing for this answer: then the same choice.
func (v *View) openResult() {
	if !v.tableKnown || !v.recordKnown || v.opened {
		return
	}
	v.opened = true
	if !v.opts.Compact {
		switch v.tabs.Selected() {
		case v.tableTab:
			if v.tableRows {
				return
			}
		case v.recordTab:
			if v.recordFound {
				return
			}
		default:
			return
		}
	}
	switch {
	case v.tableRows:
		v.tabs.Select(v.tableTab)
	case v.recordFound:
		v.tabs.Select(v.recordTab)
	default:
		v.tabs.Select(v.bodyTab)
	}
}

// replace closes the response shown and remembers resp.
func (v *View) replace(resp *runner.Response) {
	if v.resp != nil && v.resp != resp {
		_ = v.resp.Close()
	}
	v.resp = resp
	if resp == nil {
		v.res = nil
		v.body.Clear()
		v.table.Clear()
		v.record.Clear()
	}
}

// Close closes the response shown, removing its temp file.
func (v *View) Close() { v.replace(nil) }

func (v *View) metaText(resp *runner.Response) string {
	parts := []string{duration(resp.Timing.Total), runner.FormatSize(resp.Size)}
	if resp.Decoded != "" {
		parts[1] += fmt.Sprintf(" (%s %s)", runner.FormatSize(resp.WireSize), resp.Decoded)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		parts = append(parts, mt)
	}
	return strings.Join(parts, " · ")
}

func statusImportance(code int) widget.Importance {
	switch {
	case code >= 500:
		return widget.DangerImportance
	case code >= 400:
		return widget.WarningImportance
	case code >= 300:
		return widget.HighImportance
	case code >= 200:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

func (v *View) newHeaders() fyne.CanvasObject {
	v.headerValue = &widget.Label{Wrapping: fyne.TextWrapBreak, Selectable: true, Importance: widget.LowImportance,
		Text: "Select a header to see its whole value."}
	v.headers = &widget.Table{
		Length: func() (int, int) { return len(v.headerRows), 2 },
		CreateCell: func() fyne.CanvasObject {
			return &widget.Label{Truncation: fyne.TextTruncateEllipsis}
		},
		UpdateCell: func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Col == 0
			l.SetText(v.headerRows[id.Row][id.Col])
		},
		OnSelected: func(id widget.TableCellID) {
			if id.Row < len(v.headerRows) {
				row := v.headerRows[id.Row]
				v.headerValue.Importance = widget.MediumImportance
				v.headerValue.SetText(row[0] + ": " + row[1])
			}
		},
	}
	v.headers.SetColumnWidth(0, 240)
	v.headers.SetColumnWidth(1, 640)
	// A long value (a Content-Security-Policy) scrolls within a few lines: a wrapped label in a VBox asks for
	// the height of all its lines and would make the window grow.
	value := container.NewVScroll(v.headerValue)
	value.SetMinSize(fyne.NewSize(0, 72))
	return container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), value), nil, nil, v.headers)
}

func (v *View) refreshHeaders(resp *runner.Response) {
	v.headerRows = headerRows(resp.Header)
	v.headers.UnselectAll()
	v.headerValue.Importance = widget.LowImportance
	v.headerValue.SetText("Select a header to see its whole value.")
	v.headers.Refresh()
}

// headerRows lists a response's headers by name, one row per value.
func headerRows(h http.Header) [][2]string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var rows [][2]string
	for _, k := range names {
		for _, val := range h[k] {
			rows = append(rows, [2]string{k, val})
		}
	}
	return rows
}

var cookieColumns = []string{"Name", "Value", "Domain", "Path", "Expires", "Flags"}

func (v *View) newCookies() fyne.CanvasObject {
	v.cookies = &widget.Table{
		Length:     func() (int, int) { return len(v.cookieRows), len(cookieColumns) },
		CreateCell: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell: func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(v.cookieRows[id.Row][id.Col])
		},
		ShowHeaderRow: true,
		CreateHeader:  func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} },
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(cookieColumns[id.Col])
			}
		},
	}
	for i, w := range []float32{160, 280, 160, 100, 200, 200} {
		v.cookies.SetColumnWidth(i, w)
	}
	v.noCookies = &widget.Label{Text: "This response sets no cookies.", Alignment: fyne.TextAlignCenter}
	return container.NewStack(v.cookies, container.NewCenter(v.noCookies))
}

func (v *View) refreshCookies(resp *runner.Response) {
	v.cookieRows = nil
	for _, c := range resp.Cookies {
		var flags []string
		if c.HttpOnly {
			flags = append(flags, "HttpOnly")
		}
		if c.Secure {
			flags = append(flags, "Secure")
		}
		switch c.SameSite {
		case http.SameSiteLaxMode:
			flags = append(flags, "SameSite=Lax")
		case http.SameSiteStrictMode:
			flags = append(flags, "SameSite=Strict")
		case http.SameSiteNoneMode:
			flags = append(flags, "SameSite=None")
		}
		expires := "end of session"
		switch {
		case c.MaxAge < 0:
			expires = "deleted"
		case c.MaxAge > 0:
			expires = fmt.Sprintf("in %s", time.Duration(c.MaxAge)*time.Second)
		case !c.Expires.IsZero():
			expires = c.Expires.Local().Format("2006-01-02 15:04")
		}
		v.cookieRows = append(v.cookieRows, []string{c.Name, c.Value, c.Domain, c.Path, expires, strings.Join(flags, " ")})
	}
	if len(v.cookieRows) == 0 {
		v.cookies.Hide()
		v.noCookies.Show()
	} else {
		v.noCookies.Hide()
		v.cookies.Show()
	}
	v.cookies.Refresh()
}

func (v *View) newTiming() fyne.CanvasObject {
	v.timing = container.New(layout.NewFormLayout())
	return container.NewVScroll(container.NewPadded(v.timing))
}

func (v *View) refreshTiming(resp *runner.Response) {
	t := resp.Timing
	ms := func(d time.Duration) string {
		if d == 0 {
			return "—"
		}
		return d.Round(100 * time.Microsecond).String()
	}
	reused := "no"
	if t.Reused {
		reused = "yes (no new connection was needed)"
	}
	rows := [][2]string{
		{"DNS lookup", ms(t.DNS)},
		{"Connect", ms(t.Connect)},
		{"TLS handshake", ms(t.TLS)},
		{"First byte", ms(t.FirstByte)},
		{"Total", ms(t.Total)},
		{"Connection reused", reused},
		{"Redirects followed", fmt.Sprint(resp.Redirects)},
		{"Protocol", resp.Proto},
		{"TLS version", tlsText(resp)},
		{"Final URL", resp.URL},
	}
	v.timing.Objects = nil
	for _, r := range rows {
		v.timing.Add(&widget.Label{Text: r[0], TextStyle: fyne.TextStyle{Bold: true}})
		v.timing.Add(&widget.Label{Text: r[1], Selectable: true, Wrapping: fyne.TextWrapBreak})
	}
	v.timing.Refresh()
}

// tlsText is the Timing tab's TLS row: the version, and whether the server's certificate was checked.
func tlsText(resp *runner.Response) string {
	switch {
	case resp.TLSVersion == "":
		return "none (plain http)"
	case resp.Insecure:
		return resp.TLSVersion + ", the server's certificate not verified"
	}
	return resp.TLSVersion
}

// suggestedName is a file name for the body: the URL's last path segment, with an extension for its type.
func suggestedName(resp *runner.Response) string {
	name := "response"
	if u, err := url.Parse(resp.URL); err == nil {
		if base := path.Base(u.Path); base != "" && base != "/" && base != "." {
			name = base
		}
	}
	if path.Ext(name) == "" {
		name += extension(resp.Header.Get("Content-Type"))
	}
	return name
}

func extension(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return ".json"
	case mt == "text/html":
		return ".html"
	case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
		return ".xml"
	case mt == "text/csv":
		return ".csv"
	case strings.HasPrefix(mt, "text/"):
		return ".txt"
	}
	if exts, _ := mime.ExtensionsByType(mt); len(exts) > 0 {
		return exts[0]
	}
	return ".bin"
}

func (v *View) onSave() {
	resp := v.resp
	if resp == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.banner.SetError(fmt.Errorf("could not choose where to save the body: %w", err))
			return
		}
		if w == nil {
			return // the person closed the dialog
		}
		p := w.URI().Path()
		_ = w.Close()
		v.saveTo(resp, p)
	}, v.win)
	d.SetFileName(suggestedName(resp))
	if home, err := os.UserHomeDir(); err == nil {
		if l, err := storage.ListerForURI(storage.NewFileURI(home)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}

// saveTo writes the whole body to p in the background.
func (v *View) saveTo(resp *runner.Response, p string) {
	v.saveBtn.Disable()
	task.Run(&v.tasks, func(context.Context) error { return resp.SaveTo(p) }, func(err error) {
		v.saveBtn.Enable()
		if err != nil {
			v.banner.SetError(fmt.Errorf("the body could not be saved to %s: %w", p, err))
			return
		}
		v.banner.Clear()
		v.meta.SetText(v.metaText(resp) + " · saved to " + p)
	})
}

// onOpen writes the body to a temporary file and opens it with the program the system chooses for its type.
func (v *View) onOpen() {
	resp := v.resp
	if resp == nil {
		return
	}
	v.openBtn.Disable()
	task.Start(&v.tasks, func(context.Context) (string, error) { return writeTemp(resp) }, func(p string, err error) {
		v.openBtn.Enable()
		if err == nil {
			err = fyne.CurrentApp().OpenURL(&url.URL{Scheme: "file", Path: p})
		}
		if err != nil {
			v.banner.SetError(fmt.Errorf("the body could not be opened in another program: %w", err))
		}
	})
}

func writeTemp(resp *runner.Response) (string, error) {
	f, err := os.CreateTemp("", "apidesk-*"+extension(resp.Header.Get("Content-Type")))
	if err != nil {
		return "", err
	}
	if _, err := resp.WriteTo(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}

// duration says how long a request took: "<1 ms", "38 ms", "1.25 s".
func duration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return d.Round(time.Second).String()
}
