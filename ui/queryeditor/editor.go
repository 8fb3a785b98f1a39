// Package queryeditor is the editor of a saved query and the place it is sent from: method, path (after the
// resource's base URL), tabs for URL params, headers, cookies, body and variables; Send (Ctrl+Enter) that turns
// into Cancel while the request runs; Save (Ctrl+S), Save as, an unsaved-changes marker; "Copy as cURL"
// (secrets replaced by placeholders) and "Import cURL". The answer is shown by a responseview.View below.
package queryeditor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/curl"
	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/template"
	"apidesk/engine/workspace"
	"apidesk/ui/environ"
	"apidesk/ui/filechooser"
	"apidesk/ui/kvtable"
	"apidesk/ui/problem"
	"apidesk/ui/responseview"
	"apidesk/ui/task"
)

// Deps is the engine the editor works with.
type Deps struct {
	Workspace *workspace.Workspace
	Runner    *runner.Runner
	// Env is the environment requests are sent in, and Copy as cURL writes them for (nil: none).
	Env *environ.Active
}

// Body kinds as the radio group shows them.
const (
	bodyNone      = "None"
	bodyJSON      = "JSON"
	bodyForm      = "Form"
	bodyRaw       = "Raw"
	bodyMultipart = "Multipart form"
	bodyFile      = "File"
)

// jsonCheckLimit is the largest JSON body checked at every keystroke; a larger one is checked when sent.
const jsonCheckLimit = 256 << 10

// Editor edits and sends one query at a time. Set its callbacks before Edit.
type Editor struct {
	// OnSaved is called after the query was saved, with what was saved.
	OnSaved func(q *query.Query)
	// OnDirtyChanged is called when the editor gets or loses unsaved edits.
	OnDirtyChanged func(dirty bool)
	// OnImportCurl is More → Import cURL…; nil leaves it out.
	OnImportCurl func(res *resource.Resource)
	// OnNeedsSignIn is called instead of showing the error when a request fails because the resource needs
	// an OAuth 2.0 sign-in; retry sends the request again. Nil shows the error.
	OnNeedsSignIn func(res *resource.Resource, err error, retry func())
	// OnOriginChanged is called instead of showing the error when a request was not sent because the
	// resource's address changed since its secrets were saved; retry sends it again. Nil shows the error.
	OnOriginChanged func(res *resource.Resource, err *resource.OriginChangedError, retry func())
	// OnStale is called instead of showing the error when a save was refused because another program changed
	// or removed the query's file since it was read; name is the query's, and overwrite saves the same edits
	// again (once the workspace knows the other program's version). Nil shows the error.
	OnStale func(name string, overwrite func())

	deps Deps
	win  fyne.Window

	q        *query.Query // as loaded or last saved; its ID is "" while it is new
	res      *resource.Resource
	values   map[string]string   // variable values for this session, never saved
	secret   map[string]bool     // variables whose value looked secret (from an imported curl command)
	sess     *session            // holds values and secret
	sessID   string              // the ID sess is kept under in sessions; "" for a new query's
	sessions map[string]*session // the values typed for each saved query shown, by query ID, for when it is shown again
	dirty    bool
	filling  bool
	asking   string     // the question before sending in a protected environment, while it is open
	tasks    task.Group // saving the query shown, with the response's work included; Edit cancels it

	title       *widget.Label
	state       *widget.Label
	banner      *problem.Banner
	method      *widget.Select
	base        *widget.Label
	path        *pathEntry
	pathProblem *widget.Label
	sendProblem *widget.Label        // why Send did not send: shown under it
	sender      *responseview.Sender // the Send button and its Cancel

	saveBtn, saveAsBtn, moreBtn *widget.Button
	ask                         *widget.Check // Ask before running, atop the Variables tab: ticked and fixed for a method that may change something
	askChoice                   bool          // what the person ticked, saved as the query's Confirm

	tabs                     *container.AppTabs
	bodyTab, varsTab         *container.TabItem
	params, headers, cookies *kvtable.KeyValueTable
	bodyKind                 *widget.Select
	bodyText                 *keyEntry
	bodyHint                 *widget.Label
	formatBtn                *widget.Button
	contentType              *widget.Entry
	contentTypeRow           *fyne.Container
	bodyForm                 *kvtable.KeyValueTable
	bodyTextBox              *fyne.Container
	bodyFormBox              *container.Scroll
	bodyNoneMsg              *widget.Label
	parts                    *partsTable // a multipart form's fields
	bodyPartsBox             *container.Scroll
	fileBody                 *fileBody
	vars                     *variables
	paging                   *pagingForm
	pagingTab                *container.TabItem

	response *responseview.View
	split    *container.Split
	content  fyne.CanvasObject

	// chooseFile asks for a file with the file dialog, starting where current (a path as the query keeps it)
	// is, and calls done with the absolute path chosen (filechooser.Show; a test's stands in for the dialog).
	chooseFile func(title, current string, done func(path string))
}

// session is what the editor keeps of a saved query for as long as the app runs, never saved: the values
// typed for its variables, and which of them looked secret.
type session struct {
	values map[string]string
	secret map[string]bool
}

// New returns the editor; win shows its dialogs and holds the clipboard.
func New(d Deps, win fyne.Window) *Editor {
	e := &Editor{deps: d, win: win, sessions: map[string]*session{}}
	e.chooseFile = func(title, current string, done func(string)) {
		filechooser.Show(e.win, title, e.workspaceDir(), current, done)
	}
	e.useSession("")
	e.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis}
	e.state = &widget.Label{Importance: widget.LowImportance}
	e.banner = problem.NewBanner()
	e.banner.Dismissable = true

	e.method = &widget.Select{Options: query.Methods, OnChanged: func(string) { e.refreshAsk(); e.edited() }}
	e.ask = &widget.Check{Text: "Ask before running", OnChanged: e.onAsk}
	e.base = &widget.Label{}
	e.path = newPathEntry(e)
	e.pathProblem = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	e.pathProblem.Hide()
	e.sendProblem = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignTrailing}
	e.sendProblem.Hide()

	e.saveBtn = &widget.Button{Text: "Save", Icon: theme.DocumentSaveIcon(), OnTapped: func() { e.Save(nil) }}
	e.saveAsBtn = &widget.Button{Text: "Save as…", Importance: widget.LowImportance, OnTapped: func() { e.SaveAs(nil) }}
	// Import and Copy as cURL wait behind More, so the header fits a narrow window (a 1024 px laptop with the
	// sidebar, or less); both are in the main menu too.
	e.moreBtn = &widget.Button{Text: "More", Icon: theme.MoreVerticalIcon(), Importance: widget.LowImportance}
	e.moreBtn.OnTapped = func() {
		c := fyne.CurrentApp().Driver().CanvasForObject(e.moreBtn)
		if c == nil {
			return
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e.moreBtn).AddXY(0, e.moreBtn.Size().Height)
		widget.ShowPopUpMenuAtPosition(e.MoreMenu(), c, pos)
	}

	e.params = e.newTable("Parameter name", "Value", func(p kv.Pair) (error, error) { return resource.ValidateParamName(p.Key), nil })
	e.headers = e.newTable("Header name", "Value", func(p kv.Pair) (error, error) {
		return resource.ValidateHeaderName(p.Key), resource.ValidateHeaderValue(p.Value)
	})
	e.cookies = e.newTable("Cookie name", "Value", func(p kv.Pair) (error, error) {
		return resource.ValidateCookieName(p.Key), resource.ValidateCookieValue(p.Value)
	})
	e.vars = newVariables(e)
	e.bodyTab = container.NewTabItem("Body", e.newBody())
	e.varsTab = container.NewTabItem("Variables", e.vars.content)
	e.paging = newPagingForm(e)
	e.pagingTab = container.NewTabItem("Paging", e.paging.content)
	e.tabs = container.NewAppTabs(
		container.NewTabItem("Params", container.NewVScroll(e.params)),
		container.NewTabItem("Headers", container.NewVScroll(e.headers)),
		container.NewTabItem("Cookies", container.NewVScroll(e.cookies)),
		e.bodyTab,
		e.varsTab,
		e.pagingTab,
	)

	e.response = responseview.New(win, responseview.Options{})
	e.tasks.Include(e.response.Tasks())
	e.sender = responseview.NewSender(e.response, d.Runner, e.Send,
		responseview.SenderLabels{Text: "Send", Icon: theme.MailSendIcon(), Waiting: "Waiting for the answer…"})
	e.sender.OnFailed = e.onFailed
	e.sender.Env = d.Env
	e.cancelOnEscape(win.Canvas())

	header := container.NewBorder(nil, nil, nil,
		container.NewHBox(e.state, e.moreBtn, e.saveAsBtn, e.saveBtn), e.title)
	request := container.NewBorder(nil, nil, container.NewHBox(e.method, e.base), e.sender.Button(), e.path)
	top := container.NewVBox(header, widget.NewSeparator(), e.banner, request, e.sendProblem, e.pathProblem, e.sender.Activity())
	// The tabs keep their bar and two rows and a half (of a table, a multipart form or the File body's form: the
	// half says there is more) in a short window: the split between the editor and the response moves down
	// rather than squeeze them to one. More would not let the window fit 640×480 with an answer.
	row := widget.NewEntry().MinSize().Height + theme.Padding()
	editor := container.NewBorder(top, nil, nil, nil, container.NewStack(spacer(fyne.NewSize(0, 3.5*row)), e.tabs))
	e.split = container.NewVSplit(editor, e.response.Content())
	e.split.SetOffset(0.42)
	e.content = e.split
	return e
}

// Content is the editor's canvas object, with the response below.
func (e *Editor) Content() fyne.CanvasObject { return e.content }

// Dirty reports unsaved edits.
func (e *Editor) Dirty() bool { return e.dirty }

// Query is the query as loaded or last saved (ID "" while new).
func (e *Editor) Query() *query.Query { return e.q }

// Resource is the resource the query is on.
func (e *Editor) Resource() *resource.Resource { return e.res }

// Problem is the banner under the request line, which says why a query was not saved or what another
// program changed.
func (e *Editor) Problem() *problem.Banner { return e.banner }

// Response is the response viewer below the editor.
func (e *Editor) Response() *responseview.View { return e.response }

// Running reports whether a request is on its way.
func (e *Editor) Running() bool { return e.sender.Running() }

// Tasks is the editor's background work: the request on its way, a save, and preparing the response.
func (e *Editor) Tasks() *task.Group { return &e.tasks }

// Edit shows q, a query on res, dropping any unsaved edits (ask first) and what was on its way for the query
// shown before (a request is cancelled; a save is finished, but not shown). The values typed for a saved
// query's variables come back with it for as long as the app runs; its last response stays when it is the
// query shown (renamed, say), and goes otherwise. A query with no ID is new: Save asks for its name.
func (e *Editor) Edit(q *query.Query, res *resource.Resource) {
	same := q.ID != "" && e.q != nil && e.q.ID == q.ID
	e.Cancel()
	e.tasks.Cancel()
	e.saveBtn.Enable()
	e.q, e.res = q, res
	e.useSession(q.ID)
	e.fill(q)
	e.setDirty(q.ID == "" && (q.Path != "" || q.Body.Kind != "" && q.Body.Kind != query.BodyNone))
	e.state.SetText("")
	e.banner.Clear()
	if !same {
		e.response.Clear()
	}
}

// useSession takes up what was typed for the saved query with the id in this run of the app; a new query
// ("") starts with nothing.
func (e *Editor) useSession(id string) {
	s, ok := e.sessions[id]
	if !ok {
		s = &session{values: map[string]string{}, secret: map[string]bool{}}
		if id != "" {
			e.sessions[id] = s
		}
	}
	e.sess, e.sessID = s, id
	e.values, e.secret = s.values, s.secret
}

// keepSession keeps the values typed for the query just saved under its id. A new query's are kept as they
// are; a saved query's copy (Save as) starts with a copy of them.
func (e *Editor) keepSession(id string) {
	if e.sessID == id {
		return
	}
	if e.sessID != "" {
		e.sess = &session{values: maps.Clone(e.values), secret: maps.Clone(e.secret)}
		e.values, e.secret = e.sess.values, e.sess.secret
	}
	e.sessions[id], e.sessID = e.sess, id
}

// Reload shows q, the query shown as the workspace now holds it (another program changed it), on res,
// dropping unsaved edits (ask first) but keeping the rest as it is: the tab open, the response, the values
// typed for the variables and a request on its way.
func (e *Editor) Reload(q *query.Query, res *resource.Resource) {
	tab := e.tabs.SelectedIndex()
	e.q, e.res = q, res
	e.fill(q)
	e.tabs.SelectIndex(tab)
	e.setDirty(false)
	e.state.SetText("")
	e.banner.Clear()
}

// SetResource shows res, the query's resource as the workspace now holds it (another program changed it),
// keeping the edits to the query: its name and base URL are shown, and a request sent goes to it.
func (e *Editor) SetResource(res *resource.Resource) {
	e.res = res
	e.refreshTitle()
	e.refreshBase()
}

// refreshBase shows the base URL the request goes to: its {{variables}} filled by the environment active (a
// secret's stays as written).
func (e *Editor) refreshBase() {
	if e.res == nil {
		return
	}
	base := e.deps.Env.Preview(e.res).Bind(e.res).BaseURL
	e.base.SetText(elide(strings.TrimRight(base, "/"), 48))
}

// EditImported shows a query imported from a curl command on res, as a new unsaved query, and says what was
// left out of it (credentials, values that looked secret) and why.
func (e *Editor) EditImported(im *curl.Imported, res *resource.Resource) {
	q := im.Query
	q.ResourceID = res.ID
	e.Edit(q, res)
	for _, s := range im.Secrets {
		e.values[s.Variable] = s.Value
		e.secret[s.Variable] = true
	}
	e.vars.refresh()
	e.setDirty(true)
	var notes []string
	for _, c := range im.Credentials {
		if c.Matches {
			notes = append(notes, fmt.Sprintf("Left out %s: %s already authenticates this way with the secret in your keychain.", c, res.Name))
		} else {
			notes = append(notes, fmt.Sprintf("Left out %s: it is not saved in the query. To use it, set it as %s's authentication (kept in your keychain).", c, res.Name))
		}
	}
	for _, s := range im.Secrets {
		notes = append(notes, fmt.Sprintf("%s became the variable {{%s}}: its value is filled in for this session only and never saved.", upperFirst(s.String()), s.Variable))
	}
	if n := im.Network; n != nil && !(n.Matches && n.ProxyAuth == "" && n.KeyPassphrase == "") {
		notes = append(notes, fmt.Sprintf("Left out the network settings (%s): to use them, set them in %s's Network section (secrets are kept in your keychain).", n, res.Name))
	}
	headline := "Imported, with secrets left out"
	if len(notes) == 0 && len(im.Notes) > 0 {
		headline = "Imported, with notes"
	}
	for _, n := range im.Notes {
		notes = append(notes, upperFirst(n))
	}
	if len(notes) > 0 {
		e.banner.SetExplanation(problem.Explanation{Headline: headline, Message: strings.Join(notes, "\n")}, true)
	}
}

// fill sets the widgets from q.
func (e *Editor) fill(q *query.Query) {
	e.filling = true
	defer func() { e.filling = false }()
	e.askChoice = q.Confirm
	e.method.SetSelected(q.EffectiveMethod())
	e.refreshAsk()
	e.SetResource(e.res)
	e.path.SetText(q.Path)
	e.setPathProblem("")
	e.setSendProblem("")
	e.params.SetRows(q.Params)
	e.headers.SetRows(q.Headers)
	e.cookies.SetRows(q.Cookies)
	switch q.Body.Kind {
	case query.BodyJSON:
		e.bodyKind.SetSelected(bodyJSON)
	case query.BodyForm:
		e.bodyKind.SetSelected(bodyForm)
	case query.BodyRaw:
		e.bodyKind.SetSelected(bodyRaw)
	case query.BodyMultipart:
		e.bodyKind.SetSelected(bodyMultipart)
	case query.BodyFile:
		e.bodyKind.SetSelected(bodyFile)
	default:
		e.bodyKind.SetSelected(bodyNone)
	}
	e.bodyText.SetText(q.Body.Text)
	ct := q.Body.ContentType
	if ct == "" || q.Body.Kind == query.BodyFile {
		ct = "text/plain"
	}
	e.contentType.SetText(ct)
	e.bodyForm.SetRows(q.Body.Form)
	e.parts.setParts(q.Body.Parts)
	file, fileType := "", ""
	if q.Body.Kind == query.BodyFile {
		file, fileType = q.Body.File, q.Body.ContentType
	}
	e.fileBody.path.SetText(file)
	e.fileBody.ctype.SetText(fileType)
	e.refreshBody()
	e.vars.load(q.Variables)
	e.response.SetResult(q.Result) // the table shows the answer as the query's saved shape says
	e.vars.refresh()
	e.paging.load(q.Paging)
	e.tabs.SelectIndex(firstTab(q, len(e.vars.names)))
}

// MoreMenu is what the header's More button offers: Import cURL (when the window can import) and Copy as cURL.
func (e *Editor) MoreMenu() *fyne.Menu {
	var items []*fyne.MenuItem
	if e.OnImportCurl != nil {
		items = append(items, &fyne.MenuItem{Label: "Import cURL…", Icon: theme.ContentPasteIcon(), Action: e.onImport})
	}
	items = append(items, &fyne.MenuItem{Label: "Copy as cURL", Icon: theme.ContentCopyIcon(), Action: e.CopyCurl})
	return fyne.NewMenu("", items...)
}

func (e *Editor) refreshTitle() {
	name := e.q.Name
	if name == "" {
		name = "New query"
	}
	e.title.SetText(name + " · " + e.res.Name)
}

// collect is the query as the editor holds it.
func (e *Editor) collect() *query.Query {
	q := e.collectTexts()
	q.ID, q.Name, q.ResourceID = e.q.ID, e.q.Name, e.res.ID
	q.Variables = e.vars.saved(q)
	q.Result = e.q.Result // kept as run mode saved it: the editor does not change it
	q.Paging, _ = e.paging.value()
	q.Confirm = e.askChoice
	return q
}

// refreshAsk shows whether run mode asks before running the query: always for a method that may change
// something (ticked, and fixed), else as the person chose.
func (e *Editor) refreshAsk() {
	filling := e.filling
	e.filling = true
	defer func() { e.filling = filling }()
	if query.Writes(e.method.Selected) {
		e.ask.SetChecked(true)
		e.ask.Disable()
		return
	}
	e.ask.SetChecked(e.askChoice)
	e.ask.Enable()
}

// onAsk keeps what the person chose for Ask before running.
func (e *Editor) onAsk(on bool) {
	if e.filling || e.ask.Disabled() {
		return
	}
	e.askChoice = on
	e.edited()
}

// collectTexts is the query as the editor holds it without its variables, for finding which it uses.
func (e *Editor) collectTexts() *query.Query {
	q := &query.Query{
		Method:  e.method.Selected,
		Path:    strings.TrimSpace(e.path.Text),
		Params:  e.params.Rows(),
		Headers: e.headers.Rows(),
		Cookies: e.cookies.Rows(),
	}
	switch e.bodyKind.Selected {
	case bodyJSON:
		q.Body = query.Body{Kind: query.BodyJSON, Text: e.bodyText.Text}
	case bodyForm:
		q.Body = query.Body{Kind: query.BodyForm, Form: e.bodyForm.Rows()}
	case bodyRaw:
		q.Body = query.Body{Kind: query.BodyRaw, Text: e.bodyText.Text, ContentType: strings.TrimSpace(e.contentType.Text)}
	case bodyMultipart:
		q.Body = query.Body{Kind: query.BodyMultipart, Parts: e.parts.parts()}
	case bodyFile:
		q.Body = query.Body{Kind: query.BodyFile, File: e.fileBody.file(), ContentType: strings.TrimSpace(e.fileBody.ctype.Text)}
	default:
		q.Body = query.Body{Kind: query.BodyNone}
	}
	return q
}

func (e *Editor) newTable(keyHint, valueHint string, check func(kv.Pair) (error, error)) *kvtable.KeyValueTable {
	t := kvtable.New(nil)
	t.KeyPlaceholder, t.ValuePlaceholder = keyHint, valueHint
	t.Validator = func(p kv.Pair) (error, error) {
		if !p.Enabled {
			return nil, nil
		}
		return check(p)
	}
	t.OnChanged = func(kv.List) { e.edited() }
	return t
}

func (e *Editor) newBody() fyne.CanvasObject {
	// a choice rather than radio buttons: six of them side by side would make the editor 820 px wide
	e.bodyKind = &widget.Select{Options: []string{bodyNone, bodyJSON, bodyForm, bodyRaw, bodyMultipart, bodyFile},
		PlaceHolder: bodyMultipart, // a Select is as wide as its placeholder: the longest choice
		OnChanged:   func(string) { e.refreshBody(); e.edited() }}
	e.bodyText = newKeyEntry(e.escape)
	e.bodyText.MultiLine, e.bodyText.Wrapping, e.bodyText.TextStyle = true, fyne.TextWrapOff, fyne.TextStyle{Monospace: true}
	e.bodyText.OnChanged = func(string) { e.setSendProblem(""); e.refreshBodyHint(); e.edited() }
	e.bodyHint = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	e.formatBtn = &widget.Button{Text: "Format JSON", Importance: widget.LowImportance, OnTapped: e.onFormatJSON}
	e.contentType = &widget.Entry{PlaceHolder: "text/plain", OnChanged: func(string) { e.edited() }}
	e.contentTypeRow = container.NewBorder(nil, nil, widget.NewLabel("Content type"), nil, e.contentType)
	e.bodyForm = e.newTable("Field", "Value", func(p kv.Pair) (error, error) { return resource.ValidateParamName(p.Key), nil })
	e.bodyTextBox = container.NewBorder(e.contentTypeRow, container.NewBorder(nil, nil, nil, e.formatBtn, e.bodyHint), nil, nil, e.bodyText)
	e.bodyNoneMsg = &widget.Label{Text: "This request sends no body.", Importance: widget.LowImportance}
	e.bodyFormBox = container.NewVScroll(e.bodyForm)
	e.parts = newPartsTable(e)
	e.bodyPartsBox = container.NewVScroll(e.parts.box)
	e.fileBody = newFileBody(e)
	return container.NewBorder(container.NewHBox(widget.NewLabel("Body to send"), e.bodyKind), nil, nil, nil,
		container.NewStack(e.bodyTextBox, e.bodyFormBox, e.bodyPartsBox, container.NewVScroll(e.fileBody.box), e.bodyNoneMsg))
}

// refreshBody shows the inputs of the body kind chosen.
func (e *Editor) refreshBody() {
	kind := e.bodyKind.Selected
	show := func(o fyne.CanvasObject, v bool) {
		if v {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(e.bodyTextBox, kind == bodyJSON || kind == bodyRaw)
	show(e.contentTypeRow, kind == bodyRaw)
	show(e.formatBtn, kind == bodyJSON)
	show(e.bodyFormBox, kind == bodyForm)
	show(e.bodyPartsBox, kind == bodyMultipart)
	show(e.fileBody.box, kind == bodyFile)
	show(e.bodyNoneMsg, kind == bodyNone || kind == "")
	e.refreshBodyHint()
}

// refreshBodyHint says whether a JSON body is valid, with the engine's message when it is not.
func (e *Editor) refreshBodyHint() {
	if e.bodyKind.Selected != bodyJSON {
		e.bodyHint.SetText("")
		return
	}
	text := e.bodyText.Text
	switch {
	case strings.TrimSpace(text) == "":
		e.bodyHint.Importance = widget.LowImportance
		e.bodyHint.SetText("Empty: no body is sent.")
	case len(text) > jsonCheckLimit:
		e.bodyHint.Importance = widget.LowImportance
		e.bodyHint.SetText("Large body: it is checked when you send or save it.")
	default:
		if err := query.ValidateJSON(text); err != nil {
			e.bodyHint.Importance = widget.DangerImportance
			e.bodyHint.SetText(err.Error())
		} else {
			e.bodyHint.Importance = widget.SuccessImportance
			e.bodyHint.SetText("Valid JSON")
		}
	}
}

// onFormatJSON pretty-prints a JSON body that has no {{variables}} outside strings (json.Indent would refuse).
func (e *Editor) onFormatJSON() {
	text := e.bodyText.Text
	if len(text) > jsonCheckLimit {
		return
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(text), "", "  "); err != nil {
		if verr := query.ValidateJSON(text); verr != nil {
			e.bodyHint.Importance = widget.DangerImportance
			e.bodyHint.SetText("Not formatted. " + verr.Error())
		} else {
			e.bodyHint.Importance = widget.LowImportance
			e.bodyHint.SetText("A body with a {{name}} outside quotes cannot be formatted; it is valid as it is.")
		}
		return
	}
	e.bodyText.SetText(buf.String())
}

func (e *Editor) edited() {
	if e.filling {
		return
	}
	e.setDirty(true)
	e.vars.refresh()
}

func (e *Editor) setDirty(d bool) {
	changed := d != e.dirty
	e.dirty = d
	if d {
		e.state.Importance = widget.WarningImportance
		e.state.SetText("● Unsaved changes")
	} else if e.state.Importance == widget.WarningImportance {
		e.state.Importance = widget.LowImportance
		e.state.SetText("")
	}
	if changed && e.OnDirtyChanged != nil {
		e.OnDirtyChanged(d)
	}
}

func (e *Editor) setPathProblem(msg string) {
	e.pathProblem.SetText(msg)
	if msg == "" {
		e.pathProblem.Hide()
	} else {
		e.pathProblem.Show()
	}
}

// setSendProblem says, under Send, why the request was not sent; "" hides it.
func (e *Editor) setSendProblem(msg string) {
	e.sendProblem.SetText(msg)
	if msg == "" {
		e.sendProblem.Hide()
	} else {
		e.sendProblem.Show()
	}
}

func (e *Editor) checkPath() error {
	err := query.ValidatePath(e.path.Text)
	if err != nil {
		e.setPathProblem(err.Error())
	} else {
		e.setPathProblem("")
	}
	return err
}

// Send sends the query as the editor holds it (saved or not), with the variables' values, in the background.
// The Send button turns into Cancel until the answer is in.
func (e *Editor) Send() {
	if e.Running() || e.res == nil {
		return
	}
	q := e.collect()
	if e.checkPath() != nil {
		return
	}
	e.setSendProblem("")
	if es := e.bodyProblems(); len(es) > 0 {
		e.showBodyProblems(es)
		e.setSendProblem("Not sent. " + es[0].Msg + ".")
		return
	}
	if q.Body.Kind == query.BodyJSON {
		if err := query.ValidateJSON(q.Body.Text); err != nil {
			e.showBadJSON(err)
			return
		}
	}
	e.sender.OnNeedsSignIn = e.OnNeedsSignIn
	e.sender.OnOriginChanged = e.OnOriginChanged
	res, vals := e.res, q.Values(e.sessionValues())
	if env := e.deps.Env.Env(); env != nil && env.Protected && query.Writes(q.EffectiveMethod()) {
		e.confirmSend(env.Name, q, func() { e.sender.Send(res, q, vals) })
		return
	}
	e.sender.Send(res, q, vals)
}

// confirmSend asks before q, a request that may change data, is sent in envName, a protected environment;
// send sends it.
func (e *Editor) confirmSend(envName string, q *query.Query, send func()) {
	msg := &widget.Label{Text: fmt.Sprintf("%s is a protected environment: this %s may change its data. Send it?", envName, q.EffectiveMethod()),
		Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm("Send to "+envName+"?", "Send", "Cancel", msg, func(ok bool) {
		e.asking = ""
		if ok && !e.Running() {
			send()
		}
	}, e.win)
	e.asking = msg.Text
	d.Resize(fyne.NewSize(460, 0))
	d.Show()
}

// Asking is the question asked before a request is sent in a protected environment, while it is open ("" when
// none is).
func (e *Editor) Asking() string { return e.asking }

// showBadJSON says under Send why the body was not sent, and puts the cursor where the body stops being JSON.
func (e *Editor) showBadJSON(err error) {
	e.tabs.Select(e.bodyTab)
	e.bodyHint.Importance = widget.DangerImportance
	e.bodyHint.SetText(err.Error())
	e.setSendProblem("Not sent. " + problem.Explain(err).Message)
	var je *query.JSONError
	if errors.As(err, &je) && je.Line > 0 {
		e.bodyText.CursorRow, e.bodyText.CursorColumn = je.Line-1, je.Column-1
		e.bodyText.Refresh()
	}
	e.win.Canvas().Focus(e.bodyText)
}

// onFailed shows the Variables tab and focuses the first value a request lacked.
func (e *Editor) onFailed(err error) {
	var missing *template.MissingError
	if !errors.As(err, &missing) {
		return
	}
	e.tabs.Select(e.varsTab)
	for _, n := range missing.Names {
		if r, ok := e.vars.rows[n]; ok && slices.Contains(e.vars.names, n) {
			e.win.Canvas().Focus(r.value)
			return
		}
	}
}

// Cancel stops the request on its way, if any.
func (e *Editor) Cancel() { e.sender.Cancel() }

// EnvironmentChanged shows where the request goes in the environment active now, and which variables it
// gives a value to.
func (e *Editor) EnvironmentChanged() {
	e.refreshBase()
	e.vars.refresh()
}

// escape is Escape typed in the editor: it cancels the request on its way. It reports whether it did.
func (e *Editor) escape() bool {
	if !e.Running() {
		return false
	}
	e.Cancel()
	return true
}

// cancelOnEscape makes Escape typed while nothing has the focus cancel the request on its way, and hands
// every other key to the handler the canvas had.
func (e *Editor) cancelOnEscape(c fyne.Canvas) {
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape && e.escape() {
			return
		}
		if prev != nil {
			prev(ev)
		}
	})
}

// sessionValues are the values typed for the variables in this session.
func (e *Editor) sessionValues() map[string]string {
	out := map[string]string{}
	for k, v := range e.values {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// Save saves the query in the background (a new one asks for its name first); then, which may be nil, runs
// on the UI thread after a successful save.
func (e *Editor) Save(then func()) {
	if e.q.ID == "" || strings.TrimSpace(e.q.Name) == "" { // new, or imported: it has no name yet
		e.SaveAs(then)
		return
	}
	e.save(e.collect(), then)
}

func (e *Editor) save(q *query.Query, then func()) {
	es := append(q.Validate(), e.bodyProblems()...)
	if _, bad := e.paging.value(); bad != "" { // a number that is not one reads as 0: refuse it rather than save 0
		es = append(resource.Errors{{Field: "paging.start", Msg: bad}}, es...)
	}
	if len(es) > 0 {
		e.showProblems(es)
		return
	}
	e.saveBtn.Disable()
	task.Run(&e.tasks, func(ctx context.Context) error {
		return e.deps.Workspace.SaveQuery(context.WithoutCancel(ctx), q) // once started, a save is finished
	}, func(err error) {
		e.saveBtn.Enable()
		if err != nil {
			var es resource.Errors
			switch {
			case errors.As(err, &es):
				e.showProblems(es)
			case errors.Is(err, workspace.ErrStale) && e.OnStale != nil:
				e.OnStale(q.Name, func() { e.save(q, then) })
			default:
				e.banner.SetError(fmt.Errorf("the query could not be saved: %w", err))
			}
			return
		}
		e.q = q
		e.keepSession(q.ID)
		e.refreshTitle()
		e.banner.Clear()
		e.setDirty(false)
		e.state.Importance = widget.LowImportance
		e.state.SetText("Saved")
		if e.OnSaved != nil {
			e.OnSaved(q)
		}
		if then != nil {
			then()
		}
	})
}

// showProblems shows why a query cannot be saved: under the path, in its table, or in the banner.
func (e *Editor) showProblems(es resource.Errors) {
	e.setPathProblem(es.For("path"))
	for _, t := range []struct {
		prefix string
		table  *kvtable.KeyValueTable
		tab    int
	}{{"params[", e.params, 0}, {"headers[", e.headers, 1}, {"cookies[", e.cookies, 2}, {"body.form[", e.bodyForm, 3}} {
		for _, fe := range es {
			if strings.HasPrefix(fe.Field, t.prefix) {
				e.tabs.SelectIndex(t.tab)
				t.table.Validate()
				break
			}
		}
	}
	if msg := es.For("body"); msg != "" {
		e.tabs.Select(e.bodyTab)
	}
	e.showBodyProblems(es)
	if slices.ContainsFunc(es, func(fe resource.FieldError) bool { return strings.HasPrefix(fe.Field, "variables[") }) {
		e.tabs.Select(e.varsTab)
	}
	if slices.ContainsFunc(es, func(fe resource.FieldError) bool { return strings.HasPrefix(fe.Field, "paging.") }) {
		e.tabs.Select(e.pagingTab)
	}
	e.banner.SetExplanation(problem.Explanation{Headline: "Not saved: " + strings.ToLower(problem.Explain(es).Headline), Message: es[0].Msg}, false)
}

func (e *Editor) onImport() {
	if e.OnImportCurl != nil {
		e.OnImportCurl(e.res)
	}
}

// CopyCurl puts the request, as the editor holds it, on the clipboard as a curl command with every secret
// replaced by a placeholder.
func (e *Editor) CopyCurl() {
	q := e.collect()
	sc := e.deps.Env.Preview(e.res) // the environment's values, its secrets as placeholders
	cmd, err := curl.Options{Dir: e.workspaceDir()}.Export(sc.Query(q), sc.Bind(e.res), environ.Values(sc, q, e.nonSecretValues()))
	if err != nil {
		e.banner.SetError(fmt.Errorf("the request cannot be written as a curl command: %w", err))
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(cmd)
	e.state.Importance = widget.LowImportance
	if e.dirty {
		e.state.Importance = widget.WarningImportance
	}
	e.state.SetText("Copied as cURL (secrets left out)")
}

// nonSecretValues are the session values, less those that looked secret: a copied command must not hold them.
func (e *Editor) nonSecretValues() map[string]string {
	out := e.sessionValues()
	for k := range e.secret {
		delete(out, k)
	}
	return out
}

// SetPath types a path (after the base URL), as the person would.
func (e *Editor) SetPath(p string) { e.path.SetText(p) }

// Variables lists the variable names the variables tab shows, in order.
func (e *Editor) Variables() []string { return slices.Clone(e.vars.names) }

// SetValue sets the value of a variable for this session.
func (e *Editor) SetValue(name, value string) {
	e.values[name] = value
	e.vars.refresh()
}

// firstTab is the tab a query opens on: the first that holds something (params, headers, cookies, body,
// variables), else Params.
func firstTab(q *query.Query, vars int) int {
	switch {
	case len(q.Params) > 0:
		return 0
	case len(q.Headers) > 0:
		return 1
	case len(q.Cookies) > 0:
		return 2
	case q.Body.Kind != "" && q.Body.Kind != query.BodyNone:
		return 3
	case vars > 0:
		return 4
	}
	return 0
}

// elide shortens s to about n characters by cutting its middle.
func elide(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := n * 2 / 3
	return string(r[:head]) + "…" + string(r[len(r)-(n-head-1):])
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
