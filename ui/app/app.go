// Package app is the apidesk main window: the sidebar on the left, the view of what is selected on the right
// (a resource's form, a query's editor with its response, or a query opened to run), the menus and shortcuts,
// and the preferences that remember the window's size and the last selection.
package app

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/version"
	"apidesk/engine/workspace"
	"apidesk/ui/problem"
	"apidesk/ui/resourceform"
	"apidesk/ui/sidebar"
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
}

// App is the main window.
type App struct {
	fyne fyne.App
	win  fyne.Window
	deps Deps
	busy sync.WaitGroup

	sidebar *sidebar.Sidebar
	split   *container.Split
	banner  *problem.Banner // workspace problems, above everything
	content *fyne.Container // holds the page shown
	welcome fyne.CanvasObject
	form    *resourceform.Form

	page    page // what the content shows
	loaded  bool
	closing bool
}

// page is a view the content area can show.
type page interface {
	Content() fyne.CanvasObject
	Dirty() bool
	Save(then func())
}

// New builds the window. Call Load to read the workspace, then show the window.
func New(a fyne.App, d Deps) *App {
	w := &App{fyne: a, deps: d}
	w.win = a.NewWindow(Title)
	w.win.SetMaster()

	w.sidebar = sidebar.New()
	w.sidebar.OnSelected = w.onSelected
	w.sidebar.OnNewResource = w.NewResource
	w.sidebar.OnNewQuery = w.newQuery
	w.sidebar.OnRun = w.runQuery

	w.form = resourceform.New(resourceform.Deps{Workspace: d.Workspace, Secrets: d.Secrets}, w.win)
	w.form.OnSaved = w.onResourceSaved
	w.form.OnDeleted = w.onResourceDeleted
	w.form.OnDirtyChanged = func(bool) { w.refreshTitle() }

	w.banner = problem.NewBanner()
	w.banner.OnDismiss = func() {}
	w.welcome = w.newWelcome()
	w.content = container.NewStack(w.welcome)
	w.split = container.NewHSplit(container.NewPadded(w.sidebar), w.content)
	prefs := a.Preferences()
	w.split.SetOffset(prefs.FloatWithFallback(prefSplit, defaultSplit))

	w.win.SetContent(container.NewBorder(w.banner, nil, nil, nil, w.split))
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

// Wait waits for background work started by the window and its views to finish. For tests.
func (w *App) Wait() {
	w.busy.Wait()
	w.form.Wait()
}

// Load reads the workspace in the background, fills the sidebar and selects what was selected last time.
func (w *App) Load() {
	w.busy.Add(1)
	go func() {
		defer w.busy.Done()
		problems, err := w.deps.Workspace.Load(context.Background())
		fyne.Do(func() {
			w.loaded = true
			if err != nil {
				w.banner.SetError(fmt.Errorf("the workspace %s could not be read: %w", w.deps.Workspace.Dir(), err))
				return
			}
			w.showProblems(problems)
			w.refreshSidebar()
			w.restoreSelection()
		})
	}()
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

func (w *App) refreshSidebar() {
	w.sidebar.SetItems(w.deps.Workspace.Resources(), w.deps.Workspace.Queries())
}

func (w *App) restoreSelection() {
	prefs := w.fyne.Preferences()
	id := prefs.String(prefLastID)
	if id == "" {
		return
	}
	switch prefs.String(prefLastKind) {
	case "resource":
		if _, err := w.deps.Workspace.ResourceByID(id); err == nil {
			w.sidebar.Select(sidebar.Resource, id)
			w.showResource(id)
		}
	case "query":
		if _, err := w.deps.Workspace.QueryByID(id); err == nil {
			w.sidebar.Select(sidebar.Query, id)
			w.showQuery(id)
		}
	}
}

func (w *App) remember(kind, id string) {
	prefs := w.fyne.Preferences()
	prefs.SetString(prefLastKind, kind)
	prefs.SetString(prefLastID, id)
}

// onSelected follows the sidebar, asking first when the page shown has unsaved edits.
func (w *App) onSelected(k sidebar.Kind, id string) {
	prevKind, prevID := w.shownItem()
	w.leave(func() {
		if k == sidebar.Resource {
			w.showResource(id)
		} else {
			w.showQuery(id)
		}
	}, func() { w.sidebar.Select(prevKind, prevID) })
}

// shownItem is the sidebar item of the page shown.
func (w *App) shownItem() (sidebar.Kind, string) {
	if w.page == w.form {
		return sidebar.Resource, w.form.Resource().ID
	}
	return sidebar.Resource, ""
}

// leave runs next when the page shown has no unsaved edits, or once the person chose to save or discard
// them; stay runs when they chose to stay.
func (w *App) leave(next, stay func()) {
	if w.page == nil || !w.page.Dirty() {
		next()
		return
	}
	p := w.page
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
		if stay != nil {
			stay()
		}
	}}
	msg := widget.NewLabel("You have unsaved changes. Save them first?")
	d = dialog.NewCustomWithoutButtons("Unsaved changes", msg, w.win)
	d.SetButtons([]fyne.CanvasObject{cancel, discard, save})
	d.Show()
}

func (w *App) show(p page) {
	w.page = p
	w.content.Objects = []fyne.CanvasObject{p.Content()}
	w.content.Refresh()
	w.refreshTitle()
}

func (w *App) showWelcome() {
	w.page = nil
	w.content.Objects = []fyne.CanvasObject{w.welcome}
	w.content.Refresh()
	w.refreshTitle()
}

func (w *App) showResource(id string) {
	r, err := w.deps.Workspace.ResourceByID(id)
	if err != nil {
		w.banner.SetError(err)
		return
	}
	w.form.Edit(r)
	w.show(w.form)
	w.remember("resource", id)
}

func (w *App) showQuery(id string) {
	q, err := w.deps.Workspace.QueryByID(id)
	if err != nil {
		w.banner.SetError(err)
		return
	}
	// TODO: the query editor.
	_ = q
	w.showWelcome()
	w.remember("query", id)
}

// NewResource opens the form on a new resource.
func (w *App) NewResource() {
	prevKind, prevID := w.shownItem()
	w.leave(func() {
		w.sidebar.Select(sidebar.Resource, "")
		w.form.Edit(nil)
		w.show(w.form)
	}, func() { w.sidebar.Select(prevKind, prevID) })
}

func (w *App) newQuery(resourceID string) {
	_ = resourceID
}

func (w *App) runQuery(id string) {
	_ = id
}

func (w *App) onResourceSaved(r *resource.Resource) {
	w.refreshSidebar()
	w.sidebar.Select(sidebar.Resource, r.ID)
	w.remember("resource", r.ID)
	w.refreshTitle()
}

func (w *App) onResourceDeleted(id string, warning error) {
	w.refreshSidebar()
	w.showWelcome()
	if warning != nil {
		w.banner.SetError(warning)
	}
}

// refreshTitle names the window after what it shows, with a mark for unsaved edits.
func (w *App) refreshTitle() {
	title := Title
	if w.page == w.form && w.form != nil {
		name := w.form.Resource().Name
		if name == "" {
			name = "New resource"
		}
		title += " — " + name
	}
	if w.page != nil && w.page.Dirty() {
		title += " •"
	}
	w.win.SetTitle(title)
}

func (w *App) newWelcome() fyne.CanvasObject {
	title := &widget.Label{Text: "Welcome to apidesk", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText, Alignment: fyne.TextAlignCenter}
	text := &widget.Label{Text: "Pick a resource or a query on the left.\n\nA resource is an API you connect to: its address and how you sign in.\nA query is a request you saved on it, ready to send or to run.",
		Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	add := &widget.Button{Text: "Add a resource", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: w.NewResource}
	return container.NewCenter(container.NewVBox(title, text, container.NewCenter(add)))
}

func (w *App) mainMenu() *fyne.MainMenu {
	file := fyne.NewMenu("File",
		&fyne.MenuItem{Label: "New resource", Action: w.NewResource},
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Open workspace folder", Action: w.openWorkspaceFolder},
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Quit", IsQuit: true, Action: w.onClose},
	)
	help := fyne.NewMenu("Help", &fyne.MenuItem{Label: "About apidesk", Action: w.showAbout})
	return fyne.NewMainMenu(file, help)
}

func (w *App) openWorkspaceFolder() {
	dir := w.deps.Workspace.Dir()
	w.busy.Add(1)
	go func() {
		defer w.busy.Done()
		err := os.MkdirAll(dir, 0o700)
		fyne.Do(func() {
			if err == nil {
				err = w.fyne.OpenURL(&url.URL{Scheme: "file", Path: dir})
			}
			if err != nil {
				w.banner.SetError(fmt.Errorf("could not open the workspace folder %s: %w", dir, err))
			}
		})
	}()
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
		prefs := w.fyne.Preferences()
		size := w.win.Canvas().Size()
		if size.Width > 0 && size.Height > 0 {
			prefs.SetFloat(prefWidth, float64(size.Width))
			prefs.SetFloat(prefHeight, float64(size.Height))
		}
		prefs.SetFloat(prefSplit, w.split.Offset)
		w.win.Close()
	}, nil)
}
