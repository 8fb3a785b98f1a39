// Package app is the apidesk main window: the sidebar on the left, the view of what is selected on the right
// (a resource's form, a query's editor with its response, or a query opened to run), the menus and shortcuts,
// and the preferences that remember the window's size and the last selection.
package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/curl"
	"apidesk/engine/environment"
	"apidesk/engine/history"
	"apidesk/engine/oauth"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/version"
	"apidesk/engine/workspace"
	"apidesk/ui/environ"
	"apidesk/ui/problem"
	"apidesk/ui/queryeditor"
	"apidesk/ui/resourceform"
	"apidesk/ui/responseview"
	"apidesk/ui/runmode"
	"apidesk/ui/sidebar"
	"apidesk/ui/signin"
	"apidesk/ui/task"
)

// Preference keys.
const (
	prefWidth    = "window.width"
	prefHeight   = "window.height"
	prefSplit    = "window.sidebar"
	prefLastKind = "selection.kind" // "resource" or "query"
	prefLastID   = "selection.id"
)

// Defaults when nothing is remembered.
const (
	defaultWidth  = 1200
	defaultHeight = 780
	defaultSplit  = 0.24
)

// Title is how the window's title starts.
const Title = "apidesk"

// Deps is the engine the window drives, built by main.
type Deps struct {
	Workspace *workspace.Workspace
	Secrets   *secret.Store
	Runner    *runner.Runner
	// OAuth signs in to OAuth 2.0 resources (the runner's token source); nil leaves sign-in out.
	OAuth *oauth.Client
	// OpenURL opens the system browser for a sign-in; nil uses Fyne's App.OpenURL. Tests pass a simulated
	// browser.
	OpenURL func(*url.URL) error
	// History records what run mode runs (Recent runs); nil keeps no record.
	History *history.Store
}

// App is the main window.
type App struct {
	fyne  fyne.App
	win   fyne.Window
	deps  Deps
	tasks task.Group // reading the workspace and the sign-ins, with the views' work included

	sidebar *sidebar.Sidebar
	split   *container.Split
	banner  *problem.Banner // workspace problems, above everything
	imports *importDoc      // File → Import…, while open
	content *fyne.Container // holds the page shown
	welcome page
	note    *problem.Banner // on the welcome page: what another program deleted
	form    *resourceform.Form
	editor  *queryeditor.Editor
	run     *runmode.View

	// modeSwitch is the toolbar's Edit | Run; unlockBtn takes its place while the workspace locks editing
	// (mode.go). editButtons are the toolbar's editing actions, hidden while it does.
	modeSwitch  *widget.RadioGroup
	unlockBtn   *widget.Button
	editButtons []*widget.Button
	toolbar     *fyne.Container
	quietMode   bool // the switch is set from code: not the person's choice
	unlocked    bool // the person chose Unlock editing

	// env is the environment requests run in, which envSwitch in the toolbar chooses.
	env       *environ.Active
	envSwitch *environ.Switcher
	envGen    int // counts the changes of environment, so that a sign-in read for the one before is dropped
	// envManager is the Environments dialog opened last.
	envManager *environ.Manager

	prompt  *signin.Prompt
	page    page // what the content shows
	closing bool
	asking  bool // the "Unsaved changes" question is on screen

	stopWatch func()        // stops following the changes other programs make to the workspace
	watched   chan struct{} // closed once the changes are no longer followed

	// welcomeNext and welcomeAction say on the welcome page what to do first, welcomeImport offers an import
	// while there is no resource; the toolbar's New query is enabled while there is a resource (refreshStart).
	welcomeNext   *widget.Label
	welcomeAction *widget.Button
	welcomeImport *widget.Button
	newQueryBtn   *widget.Button
	importBtn     *widget.Button // the toolbar's Import, which offers a file or a cURL command
}

// New builds the window. Call Load to read the workspace, then show the window.
func New(a fyne.App, d Deps) *App {
	w := &App{fyne: a, deps: d}
	if w.deps.OpenURL == nil {
		w.deps.OpenURL = w.openBrowser
	}
	w.applyTheme()
	w.applyHistoryPolicy()
	w.win = a.NewWindow(Title)
	w.win.SetMaster()
	w.env = environ.New(d.Workspace, d.Secrets)
	w.env.OnProblem = func(err error) { w.banner.SetError(err) }
	w.env.OnChanged(w.onEnvironmentChanged)
	w.envSwitch = environ.NewSwitcher(w.env, a.Preferences(), d.Workspace.Dir())
	w.envSwitch.OnManage = w.ShowEnvironments

	w.sidebar = sidebar.New()
	w.sidebar.OnSelected = w.onSelected
	w.sidebar.OnNewResource = w.NewResource
	w.sidebar.OnNewQuery = w.newQuery
	w.sidebar.OnRun = w.RunQuery
	w.sidebar.OnRename = w.RenameQuery
	w.sidebar.OnDuplicate = w.DuplicateQuery
	w.sidebar.OnMove = w.MoveQuery
	w.sidebar.OnDelete = w.DeleteQuery

	w.banner = problem.NewBanner()
	w.banner.Dismissable = true
	if d.OAuth != nil && d.OAuth.OnUnsaved == nil {
		d.OAuth.OnUnsaved = w.onSignInUnsaved
	}
	w.welcome = welcomePage{content: w.newWelcome()}
	w.page = w.welcome
	w.content = container.NewStack(w.welcome.Content())
	w.split = container.NewHSplit(container.NewPadded(w.sidebar), w.content)
	prefs := a.Preferences()
	w.split.SetOffset(prefs.FloatWithFallback(prefSplit, defaultSplit))

	w.win.SetContent(container.NewBorder(container.NewVBox(w.newToolbar(), w.banner), nil, nil, nil, w.split))
	w.win.SetMainMenu(w.mainMenu())
	w.win.Resize(fyne.NewSize(
		float32(prefs.FloatWithFallback(prefWidth, defaultWidth)),
		float32(prefs.FloatWithFallback(prefHeight, defaultHeight))))
	w.win.SetCloseIntercept(w.onClose)
	w.refreshTitle()
	return w
}

// Window is the main window.
func (w *App) Window() fyne.Window { return w.win }

// The form, the editor and run mode are built when first shown, not with the window: a window that starts
// on the welcome page then does not measure (and so load the fonts of) the many labels and tables they hold.

// formView is the resource form, built when first needed.
func (w *App) formView() *resourceform.Form {
	if w.form != nil {
		return w.form
	}
	d := w.deps
	w.form = resourceform.New(resourceform.Deps{Workspace: d.Workspace, Secrets: d.Secrets, OAuth: d.OAuth, OpenURL: d.OpenURL, Runner: d.Runner, Env: w.env}, w.win)
	w.form.OnSignInChanged = w.setSignIn
	w.form.OnSaved = w.onResourceSaved
	w.form.OnDeleted = w.onResourceDeleted
	w.form.OnDirtyChanged = func(bool) { w.refreshTitle() }
	w.form.OnStale = w.onStale
	w.tasks.Include(w.form.Tasks())
	return w.form
}

// editorView is the query editor, built when first needed.
func (w *App) editorView() *queryeditor.Editor {
	if w.editor != nil {
		return w.editor
	}
	w.editor = queryeditor.New(queryeditor.Deps{Workspace: w.deps.Workspace, Runner: w.deps.Runner, Env: w.env}, w.win)
	w.editor.OnSaved = w.onQuerySaved
	w.editor.OnDirtyChanged = func(bool) { w.refreshTitle() }
	w.editor.OnImportCurl = func(res *resource.Resource) { w.ImportCurl(res.ID) }
	w.editor.OnNeedsSignIn = w.promptSignIn(w.editor.Response())
	w.editor.Response().OnSignInAgain = w.signInAgain(w.editor.Response())
	w.editor.OnOriginChanged = w.confirmOrigin(w.editor.Response())
	w.editor.OnStale = w.onStale
	w.tasks.Include(w.editor.Tasks())
	return w.editor
}

// runView is run mode, built when first needed.
func (w *App) runView() *runmode.View {
	if w.run != nil {
		return w.run
	}
	w.run = runmode.New(runmode.Deps{Runner: w.deps.Runner, History: w.deps.History, Env: w.env}, w.win)
	w.run.OnNeedsSignIn = w.promptSignIn(w.run.Response())
	w.run.Response().OnSignInAgain = w.signInAgain(w.run.Response())
	w.run.OnSaveResult = w.saveResultShape
	w.run.OnOriginChanged = w.confirmOrigin(w.run.Response())
	if !w.editingLocked() {
		w.run.OnEdit = w.editQuery
	}
	w.tasks.Include(w.run.Tasks())
	return w.run
}

// Tasks is the background work of the window and of its views, for tests to wait for.
func (w *App) Tasks() *task.Group { return &w.tasks }

// Busy reports whether the window or one of its views has background work whose result is not shown yet.
// Call it on the UI goroutine; the screenshot program waits for it to turn false.
func (w *App) Busy() bool { return w.tasks.Busy() }

// Prompt is the last sign-in prompt the window opened for a query, or nil.
func (w *App) Prompt() *signin.Prompt { return w.prompt }

// Sidebar, Form, Editor and Run are the views, for tests and screenshots.
func (w *App) Sidebar() *sidebar.Sidebar { return w.sidebar }

// Form is the resource form.
func (w *App) Form() *resourceform.Form { return w.formView() }

// Editor is the query editor.
func (w *App) Editor() *queryeditor.Editor { return w.editorView() }

// Run is the run mode view.
func (w *App) Run() *runmode.View { return w.runView() }

// Load reads the workspace in the background, fills the sidebar and selects what was selected last time;
// then it follows what other programs change in the workspace folder (see onChange) until the window closes.
func (w *App) Load() {
	task.Start(&w.tasks, w.deps.Workspace.Load, func(problems []workspace.Problem, err error) {
		if err != nil {
			w.banner.SetError(fmt.Errorf("the workspace %s could not be read: %w", w.deps.Workspace.Dir(), err))
			return
		}
		w.showProblems(problems)
		w.refreshSidebar()
		w.envSwitch.SetEnvironments(w.deps.Workspace.Environments())
		w.refreshSignIns(nil)
		w.refreshMode()
		w.restoreSelection()
		w.watch()
	})
}

func (w *App) showProblems(ps []workspace.Problem) {
	if len(ps) == 0 {
		w.banner.Clear()
		return
	}
	detail := ""
	for _, p := range ps {
		detail += p.Error() + "\n"
	}
	msg := fmt.Sprintf("%d file(s) in %s need fixing. %s", len(ps), w.deps.Workspace.Dir(), ps[0].Error())
	w.banner.SetExplanation(problem.Explanation{Headline: "Some workspace files have problems", Message: msg, Detail: detail}, true)
}

// onSignInUnsaved is told, on any goroutine, that a resource's new tokens could not be saved in the keychain.
// They work until the window closes; the person is told so they can unlock the keychain.
func (w *App) onSignInUnsaved(resourceID string, err error) {
	fyne.Do(func() {
		name := "a resource"
		id, envID := environment.SplitKeyID(resourceID) // the sign-in of a resource in an environment
		if r, err := w.deps.Workspace.ResourceByID(id); err == nil {
			name = r.Name
		}
		if e, err := w.deps.Workspace.EnvironmentByID(envID); envID != "" && err == nil {
			name += " in " + e.Name
		}
		w.banner.SetExplanation(problem.Explanation{
			Headline: "The sign-in to " + name + " is not saved",
			Message:  "Unlock your keychain (or allow apidesk to use it): until then the sign-in works only while apidesk stays open.",
			Detail:   err.Error(),
		}, true)
	})
}

func (w *App) refreshSidebar() {
	w.sidebar.SetItems(w.deps.Workspace.Resources(), w.deps.Workspace.Queries())
	w.refreshStart()
}

// refreshSignIns reads the sign-in of every OAuth 2.0 resource (of those with the ids, when ids is not nil)
// in the environment active from the keychain, in the background, for the sidebar's badges.
func (w *App) refreshSignIns(ids []string) {
	if w.deps.OAuth == nil {
		return
	}
	gen := w.envGen
	for _, r := range w.deps.Workspace.Resources() {
		if r.Auth.Kind != resource.AuthOAuth2 || ids != nil && !slices.Contains(ids, r.ID) {
			continue
		}
		bind := w.env.Bind(r)
		task.Start(&w.tasks, func(ctx context.Context) (oauth.Status, error) {
			b, err := bind(ctx)
			if err != nil {
				return oauth.Status{}, err
			}
			return w.deps.OAuth.Status(ctx, b)
		}, func(st oauth.Status, err error) {
			if gen != w.envGen {
				return // read for the environment active before: the one active now is being read
			}
			if err != nil {
				w.sidebar.SetBadge(r.ID, sidebar.Badge{Text: "keychain?", Importance: widget.WarningImportance})
				return
			}
			w.setSignIn(r.ID, st)
		})
	}
}

// onEnvironmentChanged follows the switcher: the sidebar's sign-ins, the resource form's and the run form's
// fields are those of the environment active now.
func (w *App) onEnvironmentChanged() {
	w.envGen++
	w.refreshSignIns(nil)
	switch p := w.page.(type) {
	case formPage:
		p.EnvironmentChanged()
	case editorPage:
		p.EnvironmentChanged()
	case runPage:
		if q, res := p.Query(), p.Resource(); q != nil && !p.Running() {
			p.Reload(q, res) // the fields the environment fills are not asked for
		}
	}
}

// setSignIn shows a resource's sign-in in the sidebar.
func (w *App) setSignIn(resourceID string, st oauth.Status) {
	w.sidebar.SetBadge(resourceID, signInBadge(st))
}

func signInBadge(st oauth.Status) sidebar.Badge {
	switch {
	case st.NeedsClientSecret:
		return sidebar.Badge{Text: "needs secret", Importance: widget.WarningImportance}
	case st.State == oauth.SignedIn || st.State == oauth.Expired && st.Refreshable:
		return sidebar.Badge{Text: "signed in", Importance: widget.SuccessImportance}
	case st.Grant == resource.GrantClientCredentials && st.Ready():
		return sidebar.Badge{Text: "ready", Importance: widget.SuccessImportance}
	}
	return sidebar.Badge{Text: "needs sign-in", Importance: widget.WarningImportance}
}

// promptSignIn is what a view does when a request needs a sign-in: ask the person to sign in to res, and
// retry after success; rv, the view's response, shows the error when there is no OAuth 2.0 sign-in to make.
func (w *App) promptSignIn(rv *responseview.View) func(res *resource.Resource, err error, retry func()) {
	return func(res *resource.Resource, err error, retry func()) {
		if w.deps.OAuth == nil || res.Auth.Kind != resource.AuthOAuth2 {
			rv.SetError(err)
			return
		}
		reason := "This request needs you to sign in first."
		var need *oauth.SignInNeededError
		if errors.As(err, &need) && need.Reason != "" {
			reason = problem.Explain(errors.New(need.Reason)).Message // the engine's words, as a sentence
		}
		w.showSignIn(res, reason, rv.SetError, func(st oauth.Status) {
			w.setSignIn(res.ID, st)
			retry()
		})
	}
}

// showSignIn opens the sign-in prompt for res in the environment active, once res is bound to it (in the
// background: the keychain is read); fail shows why it could not open.
func (w *App) showSignIn(res *resource.Resource, reason string, fail func(error), onDone func(oauth.Status)) {
	bind := w.env.Bind(res)
	env := w.env.Env()
	task.Start(&w.tasks, bind, func(bound *resource.Resource, err error) {
		if err != nil {
			fail(err)
			return
		}
		w.prompt = signin.Show(signin.Deps{OAuth: w.deps.OAuth, OpenURL: w.deps.OpenURL, Env: env}, w.win, bound, reason, onDone)
		w.tasks.Include(w.prompt.Tasks())
	})
}

// saveResultShape keeps the table's rows and columns as the query's result shape ("Keep for this query" in run
// mode), saved in the query's file off the UI thread.
func (w *App) saveResultShape(q *query.Query, r *query.Result) {
	saved := *q
	saved.Result = r
	task.Run(&w.tasks, func(ctx context.Context) error { return w.deps.Workspace.SaveQuery(ctx, &saved) }, func(err error) {
		if err != nil {
			w.banner.SetError(fmt.Errorf("the table's layout was not kept for %s: %w", q.Name, err))
			return
		}
		w.refreshSidebar()
	})
}

// signInAgain is the "Sign in again" button of an answer the API refused (401) on an OAuth 2.0 resource: the
// sign-in prompt, then the request again.
func (w *App) signInAgain(rv *responseview.View) func(res *resource.Resource, retry func()) {
	prompt := w.promptSignIn(rv)
	return func(res *resource.Resource, retry func()) {
		prompt(res, &oauth.SignInNeededError{Reason: "the API refused the sign-in: sign in again"}, retry)
	}
}

// confirmOrigin is what a view does when a request was not sent because the resource's address changed since
// its secrets were saved (a teammate's change to the shared file, say): ask the person whether their secrets
// may go to the new address. Send records it in the keychain and sends again; Cancel shows why nothing was sent
// in rv, the view's response.
func (w *App) confirmOrigin(rv *responseview.View) func(res *resource.Resource, e *resource.OriginChangedError, retry func()) {
	return func(res *resource.Resource, e *resource.OriginChangedError, retry func()) {
		if w.deps.Secrets == nil {
			rv.SetError(e)
			return
		}
		host := e.Now
		if u, err := url.Parse(e.Now); err == nil && u.Host != "" {
			host = u.Host
		}
		msg := &widget.Label{Text: e.Error(), Wrapping: fyne.TextWrapWord}
		d := dialog.NewCustomConfirm("Send your saved secrets to "+host+"?", "Send", "Cancel", msg, func(ok bool) {
			if !ok {
				rv.SetError(e)
				return
			}
			task.Run(&w.tasks, func(ctx context.Context) error { return w.deps.Secrets.Trust(ctx, e) }, func(err error) {
				if err != nil {
					rv.SetError(fmt.Errorf("the new address of %s could not be noted in the keychain, so nothing was sent: %w", res.Name, err))
					return
				}
				retry()
			})
		}, w.win)
		d.Resize(fyne.NewSize(480, 0))
		d.Show()
	}
}

// openBrowser is Fyne's App.OpenURL, called from a sign-in's own goroutine (never a Fyne callback).
func (w *App) openBrowser(u *url.URL) error {
	var err error
	fyne.DoAndWait(func() { err = w.fyne.OpenURL(u) })
	return err
}

func (w *App) restoreSelection() {
	prefs := w.fyne.Preferences()
	id := prefs.String(prefLastID)
	if id == "" {
		return
	}
	switch prefs.String(prefLastKind) {
	case "resource":
		if _, err := w.deps.Workspace.ResourceByID(id); err == nil && !w.editingLocked() {
			w.sidebar.Select(sidebar.Resource, id)
			w.showResource(id)
		}
	case "query":
		if _, err := w.deps.Workspace.QueryByID(id); err == nil {
			w.sidebar.Select(sidebar.Query, id)
			w.openQuery(id)
		}
	}
}

func (w *App) remember(kind, id string) {
	prefs := w.fyne.Preferences()
	prefs.SetString(prefLastKind, kind)
	prefs.SetString(prefLastID, id)
}

// onSelected follows the sidebar, asking first when the page shown has unsaved edits: a query opens as the
// Edit | Run switch says; a resource opens its form, or the welcome page while editing is locked.
func (w *App) onSelected(k sidebar.Kind, id string) {
	w.leave(func() {
		switch {
		case k == sidebar.Query:
			w.openQuery(id)
		case w.editingLocked():
			w.show(w.welcome)
		default:
			w.showResource(id)
		}
	})
}

// Select selects an item in the sidebar and shows it, as a click on it would (asking first about unsaved
// edits).
func (w *App) Select(k sidebar.Kind, id string) {
	w.sidebar.Select(k, id)
	w.onSelected(k, id)
}

// leave runs next when the page shown has no unsaved edits, or once the person chose to save or discard
// them; when they choose to stay, the sidebar goes back to the item shown.
func (w *App) leave(next func()) {
	p := w.page
	if !p.Dirty() {
		next()
		return
	}
	if w.asking { // Ctrl+Q held down repeats: one question is enough, and its answer decides
		return
	}
	k, id := p.Item()
	var d *dialog.CustomDialog
	save := &widget.Button{Text: "Save", Importance: widget.HighImportance, OnTapped: func() {
		d.Hide()
		p.Save(next)
	}}
	discard := &widget.Button{Text: "Discard changes", Importance: widget.DangerImportance, OnTapped: func() {
		d.Hide()
		next()
	}}
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() {
		d.Hide()
		w.sidebar.Select(k, id)
	}}
	msg := widget.NewLabel("You have unsaved changes. Save them first?")
	d = dialog.NewCustomWithoutButtons("Unsaved changes", msg, w.win)
	d.SetButtons([]fyne.CanvasObject{cancel, discard, save})
	d.SetOnClosed(func() { w.asking = false })
	w.asking = true
	d.Show()
}

// show shows p; the page it replaces stops what it was doing.
func (w *App) show(p page) {
	if p != w.page {
		w.page.Leave()
	}
	w.page = p
	w.content.Objects = []fyne.CanvasObject{p.Content()}
	w.content.Refresh()
	w.refreshTitle()
}

func (w *App) showResource(id string) {
	r, err := w.deps.Workspace.ResourceByID(id)
	if err != nil {
		w.banner.SetError(err)
		return
	}
	w.formView().Edit(r)
	w.show(formPage{Form: w.form})
	w.remember("resource", id)
}

func (w *App) showQuery(id string) {
	q, res, ok := w.queryOf(id)
	if !ok {
		return
	}
	w.editorView().Edit(q, res)
	w.show(editorPage{w.editor})
	w.remember("query", id)
}

// queryOf looks up a saved query and its resource; when either is missing it says so in the banner.
func (w *App) queryOf(id string) (*query.Query, *resource.Resource, bool) {
	q, res, err := w.lookupQuery(id)
	if err != nil {
		w.banner.SetError(err)
		return nil, nil, false
	}
	return q, res, true
}

// lookupQuery looks up a saved query and its resource.
func (w *App) lookupQuery(id string) (*query.Query, *resource.Resource, error) {
	q, err := w.deps.Workspace.QueryByID(id)
	if err != nil {
		return nil, nil, err
	}
	res, err := w.deps.Workspace.ResourceByID(q.ResourceID)
	if err != nil {
		return nil, nil, fmt.Errorf("the query %q is on a resource that is not in the workspace: %w", q.Name, err)
	}
	return q, res, nil
}

// resourceOf is the resource a sidebar item is, or is on ("" for none).
func (w *App) resourceOf(k sidebar.Kind, id string) string {
	if k != sidebar.Query {
		return id
	}
	if q, err := w.deps.Workspace.QueryByID(id); err == nil {
		return q.ResourceID
	}
	return ""
}

// NewResource opens the form on a new resource.
func (w *App) NewResource() {
	if w.editingLocked() {
		return
	}
	w.leave(func() {
		w.sidebar.Select(sidebar.Resource, "")
		w.formView().Edit(nil)
		w.show(formPage{Form: w.form})
	})
}

// NewQuery opens the editor on a new query on the resource selected (or the one of the query selected, or of
// the page shown).
func (w *App) NewQuery() {
	if w.editingLocked() {
		return
	}
	id := w.resourceOf(w.sidebar.Selected())
	if id == "" {
		id = w.resourceOf(w.page.Item())
	}
	if rs := w.deps.Workspace.Resources(); id == "" && len(rs) > 0 {
		id = rs[0].ID
	}
	if id == "" {
		dialog.ShowInformation("New query", "Add a resource first: a query is a request on a resource.", w.win)
		return
	}
	w.newQuery(id)
}

func (w *App) newQuery(resourceID string) {
	if w.editingLocked() {
		return
	}
	res, err := w.deps.Workspace.ResourceByID(resourceID)
	if err != nil {
		w.banner.SetError(err)
		return
	}
	w.leave(func() {
		w.sidebar.Select(sidebar.Resource, res.ID)
		w.editorView().Edit(&query.Query{ResourceID: res.ID, Method: "GET"}, res)
		w.show(editorPage{w.editor})
	})
}

// RunQuery opens a saved query in run mode.
func (w *App) RunQuery(id string) {
	if _, _, ok := w.queryOf(id); !ok {
		return
	}
	w.leave(func() {
		w.sidebar.Select(sidebar.Query, id)
		w.showRun(id)
	})
}

// showRun shows a saved query ready to run.
func (w *App) showRun(id string) {
	q, res, ok := w.queryOf(id)
	if !ok {
		return
	}
	w.runView().Open(q, res)
	w.show(runPage{View: w.run})
	w.remember("query", q.ID)
}

// onRunSelected is the menu's Run mode: the switch turns to Run, and the query selected (or shown) opens to run.
func (w *App) onRunSelected() {
	if w.modeSwitch.Selected != modeRun {
		w.modeSwitch.SetSelected(modeRun) // as the person's choice
	} else {
		w.onModeChanged(modeRun)
	}
	if w.runnable(w.deps.Workspace.Queries()) == "" {
		dialog.ShowInformation("Run", "Pick a saved query on the left to run it.", w.win)
	}
}

// ImportCurl asks for a curl command and opens it in the editor as a new query on the resource chosen.
func (w *App) ImportCurl(resourceID string) {
	if w.editingLocked() {
		return
	}
	if resourceID == "" {
		resourceID = w.resourceOf(w.page.Item())
	}
	queryeditor.ShowImportDialog(w.win, w.deps.Workspace.Resources(), resourceID, func(im *curl.Imported, res *resource.Resource) {
		w.leave(func() {
			w.sidebar.Select(sidebar.Resource, res.ID)
			w.editorView().EditImported(im, res)
			w.show(editorPage{w.editor})
		})
	})
}

// send is Ctrl+Enter: send the query in the editor, or run the one in run mode.
func (w *App) send() { w.page.Send() }

func (w *App) save() { w.page.Save(nil) }

func (w *App) saveAs() { w.page.SaveAs() }

func (w *App) copyCurl() { w.page.CopyCurl() }

// find is Ctrl+F: search the body of the response shown.
func (w *App) find() { w.page.Find() }

func (w *App) onQuerySaved(q *query.Query) {
	w.refreshSidebar()
	w.sidebar.Select(sidebar.Query, q.ID)
	w.remember("query", q.ID)
	w.refreshTitle()
}

func (w *App) onResourceSaved(r *resource.Resource) {
	w.refreshSidebar()
	if r.Auth.Kind != resource.AuthOAuth2 {
		w.sidebar.SetBadge(r.ID, sidebar.AuthBadge(r))
	}
	w.sidebar.Select(sidebar.Resource, r.ID)
	w.remember("resource", r.ID)
	w.refreshTitle()
}

func (w *App) onResourceDeleted(string) {
	w.refreshSidebar()
	w.showWelcome("")
}

// showWelcome shows the welcome page, with a note above it ("" for none).
func (w *App) showWelcome(note string) {
	if note == "" {
		w.note.Clear()
	} else {
		w.note.SetExplanation(problem.Explanation{Headline: note}, true)
	}
	w.sidebar.Select(sidebar.Resource, "")
	w.show(w.welcome)
}

// refreshTitle names the window after what it shows, with a mark for unsaved edits.
func (w *App) refreshTitle() {
	title := Title
	if t := w.page.Title(); t != "" {
		title += " — " + t
	}
	if w.page.Dirty() {
		title += " •"
	}
	w.win.SetTitle(title)
}

// Shortcuts, as menu items carry them: the main menu sees them before a focused entry does.
var (
	shortcutNewResource = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutNewQuery    = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	shortcutImport      = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSave        = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSaveAs      = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	shortcutSend        = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutRun         = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutCopyCurl    = &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	shortcutQuit        = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutFind        = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
)

// mainMenu is the menu bar; while the workspace locks editing, its editing items (and their shortcuts) are
// left out and File offers Unlock editing.
func (w *App) mainMenu() *fyne.MainMenu {
	locked := w.editingLocked()
	var editing []*fyne.MenuItem
	if locked {
		editing = []*fyne.MenuItem{{Label: "Unlock editing", Icon: theme.DocumentCreateIcon(), Action: w.UnlockEditing}}
	} else {
		editing = []*fyne.MenuItem{
			{Label: "New resource", Icon: theme.ContentAddIcon(), Action: w.NewResource, Shortcut: shortcutNewResource},
			{Label: "New query", Icon: theme.DocumentCreateIcon(), Action: w.NewQuery, Shortcut: shortcutNewQuery},
			{Label: "Import cURL…", Icon: theme.ContentPasteIcon(), Action: func() { w.ImportCurl("") }, Shortcut: shortcutImport},
			{Label: "Import OpenAPI, Postman, Insomnia, HAR or Bruno…", Icon: theme.DownloadIcon(), Action: w.ImportDocument},
			fyne.NewMenuItemSeparator(),
			{Label: "Save", Icon: theme.DocumentSaveIcon(), Action: w.save, Shortcut: shortcutSave},
			{Label: "Save as…", Action: w.saveAs, Shortcut: shortcutSaveAs},
		}
	}
	file := fyne.NewMenu("File", append(editing,
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Open workspace folder", Icon: theme.FolderOpenIcon(), Action: w.openWorkspaceFolder},
		&fyne.MenuItem{Label: "Environments…", Icon: theme.StorageIcon(), Action: w.ShowEnvironments},
		&fyne.MenuItem{Label: "Settings…", Icon: theme.SettingsIcon(), Action: w.showSettings},
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Quit", IsQuit: true, Action: w.onClose, Shortcut: shortcutQuit},
	)...)
	request := fyne.NewMenu("Request",
		&fyne.MenuItem{Label: "Send", Icon: theme.MailSendIcon(), Action: w.send, Shortcut: shortcutSend},
		&fyne.MenuItem{Label: "Run mode", Icon: theme.MediaPlayIcon(), Action: w.onRunSelected, Shortcut: shortcutRun},
		&fyne.MenuItem{Label: "Copy as cURL", Icon: theme.ContentCopyIcon(), Action: w.copyCurl, Shortcut: shortcutCopyCurl},
		&fyne.MenuItem{Label: "Find in response", Icon: theme.SearchIcon(), Action: w.find, Shortcut: shortcutFind},
	)
	help := fyne.NewMenu("Help",
		&fyne.MenuItem{Label: "Getting started", Icon: theme.QuestionIcon(), Action: w.showGuide},
		&fyne.MenuItem{Label: "About apidesk", Icon: theme.InfoIcon(), Action: w.showAbout})
	if locked {
		return fyne.NewMainMenu(file, request, help)
	}
	return fyne.NewMainMenu(file, request, w.queryMenu(), help)
}

// newToolbar is the row of actions above everything: the editing actions ("+ Resource" and "+ Query", as the
// sidebar says them, so that the Edit | Run switch fits a 640 px wide window; Import, which asks what from),
// the switch (or Unlock editing), the workspace folder.
func (w *App) newToolbar() fyne.CanvasObject {
	w.newQueryBtn = &widget.Button{Text: "Query", Icon: theme.ContentAddIcon(), Importance: widget.LowImportance, OnTapped: w.NewQuery}
	w.newQueryBtn.Disable() // until the workspace is read and has a resource (refreshStart)
	w.importBtn = &widget.Button{Text: "Import", Icon: theme.DownloadIcon(), Importance: widget.LowImportance, OnTapped: w.onImportMenu}
	w.editButtons = []*widget.Button{
		{Text: "Resource", Icon: theme.ContentAddIcon(), Importance: widget.LowImportance, OnTapped: w.NewResource},
		w.newQueryBtn,
		w.importBtn,
	}
	w.newModeSwitch()
	// The environment's switcher is always in sight, so that nobody sends a request to production unawares;
	// it takes the width the actions leave (and says "Protected" in words where there is room). The workspace
	// folder, also in the File menu, is an icon to leave it room.
	folder := &widget.Button{Icon: theme.FolderOpenIcon(), Importance: widget.LowImportance, OnTapped: w.openWorkspaceFolder}
	w.toolbar = container.NewBorder(nil, nil, container.NewHBox(
		w.editButtons[0], w.editButtons[1], w.editButtons[2],
		widget.NewSeparator(),
		w.modeSwitch, w.unlockBtn,
	), folder, w.envSwitch)
	return w.toolbar
}

// ShowEnvironments opens the Environments dialog (the switcher's last choice, and File → Environments…) on the
// environment active; what it saves or deletes is listed in the switcher at once.
func (w *App) ShowEnvironments() {
	if w.editingLocked() {
		dialog.ShowInformation("Environments", "This workspace locks editing: to change its environments, choose Unlock editing in the File menu.", w.win)
		return
	}
	name := ""
	if e := w.env.Env(); e != nil {
		name = e.Name
	}
	w.envManager = environ.ShowManager(w.deps.Workspace, w.deps.Secrets, w.win, name)
	w.envManager.OnChanged = func() { w.envSwitch.SetEnvironments(w.deps.Workspace.Environments()) }
	w.tasks.Include(w.envManager.Tasks())
}

// onImportMenu is the toolbar's Import: a menu under it of what to import from, a file another tool saved or
// a cURL command.
func (w *App) onImportMenu() {
	widget.ShowPopUpMenuAtRelativePosition(w.importMenu(), w.win.Canvas(), fyne.NewPos(0, w.importBtn.Size().Height), w.importBtn)
}

func (w *App) importMenu() *fyne.Menu {
	return fyne.NewMenu("",
		&fyne.MenuItem{Label: "From a file: OpenAPI, Postman, Insomnia, HAR or Bruno…", Icon: theme.DocumentIcon(), Action: w.ImportDocument},
		&fyne.MenuItem{Label: "From a cURL command…", Icon: theme.ContentPasteIcon(), Action: func() { w.ImportCurl("") }},
	)
}

func (w *App) openWorkspaceFolder() {
	dir := w.deps.Workspace.Dir()
	task.Run(&w.tasks, func(context.Context) error { return os.MkdirAll(dir, 0o700) }, func(err error) {
		if err == nil {
			err = w.fyne.OpenURL(&url.URL{Scheme: "file", Path: dir})
		}
		if err != nil {
			w.banner.SetError(fmt.Errorf("could not open the workspace folder %s: %w", dir, err))
		}
	})
}

func (w *App) showAbout() {
	text := widget.NewLabel(version.String() + "\n\nConnect to REST APIs, sign in with OAuth 2.0 and run saved queries.\n" +
		"Secrets stay in your system keychain.\n\nWorkspace: " + w.deps.Workspace.Dir())
	text.Wrapping = fyne.TextWrapWord
	dialog.ShowCustom("About apidesk", "Close", text, w.win)
}

// onClose asks about unsaved edits, remembers the window's size and closes it.
func (w *App) onClose() {
	if w.closing {
		return
	}
	w.leave(func() {
		w.closing = true
		w.stopWatching()
		prefs := w.fyne.Preferences()
		size := w.win.Canvas().Size()
		if size.Width > 0 && size.Height > 0 {
			prefs.SetFloat(prefWidth, float64(size.Width))
			prefs.SetFloat(prefHeight, float64(size.Height))
		}
		prefs.SetFloat(prefSplit, w.split.Offset)
		if w.editor != nil {
			w.editor.Cancel()
			w.editor.Response().Close()
		}
		if w.run != nil {
			w.run.Cancel()
			w.run.Response().Close()
		}
		w.win.Close()
	})
}
