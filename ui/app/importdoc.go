package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/imports"
	"apidesk/engine/imports/formats"
	"apidesk/engine/resource"
	"apidesk/engine/template"
	"apidesk/ui/filechooser"
	"apidesk/ui/problem"
	"apidesk/ui/sidebar"
	"apidesk/ui/task"
)

// importDoc is File → Import…: an API description or another tool's collection read into a preview of what will
// be created, then written into the workspace.
type importDoc struct {
	w      *App
	tasks  task.Group
	format *widget.Select
	where  *widget.Entry // a file's path, a folder's, or a URL
	choose *widget.Button
	read   *widget.Button
	// The environment, for a format that reads one (a Postman collection's): a file whose values the
	// {{variables}} take. envPath is the file chosen ("" for none); envRow and envLabel show while the format
	// chosen reads one.
	envLabel  *widget.Label
	envRow    *fyne.Container
	envName   *widget.Label
	envHint   *widget.Label // what an environment is for, under the row
	envGap    *widget.Label // the form's empty label beside envHint
	envChoose *widget.Button
	envClear  *widget.Button
	envPath   string
	// chooseFile asks for a file with the app's file dialog (filechooser.Show), starting in the folder of
	// current, and calls done with the path chosen; a test's stands in for the dialog.
	chooseFile func(title, current string, done func(path string))
	banner     *problem.Banner
	about      *widget.Label
	base       *widget.Select // the base URL, when the document offers several
	list       *widget.Label  // the queries to create
	left       *widget.Label  // what is left out
	doIt       *widget.Button
	dlg        dialog.Dialog
	plan       *imports.Plan
}

// ImportDocument opens File → Import….
func (w *App) ImportDocument() {
	if w.editingLocked() || len(formats.Imports) == 0 {
		return
	}
	d := &importDoc{w: w}
	d.chooseFile = func(title, current string, done func(string)) {
		// Not in the workspace folder (filechooser's start): what is imported comes from elsewhere. With
		// nothing chosen yet, Fyne's dialog starts in the home folder.
		filechooser.Show(w.win, title, "", current, done)
	}
	titles := make([]string, len(formats.Imports))
	for i, f := range formats.Imports {
		titles[i] = f.Title
	}
	d.format = widget.NewSelect(titles, func(string) { d.reset(); d.refreshEnvironment() })
	d.where = widget.NewEntry()
	d.where.SetPlaceHolder("A file on this computer, or an address (https://…)")
	d.where.OnChanged = func(string) { d.reset() }
	d.where.OnSubmitted = func(string) { d.onRead() }
	d.choose = &widget.Button{Text: "Choose…", Icon: theme.FolderOpenIcon(), OnTapped: d.onChoose}
	d.read = &widget.Button{Text: "Read", Icon: theme.SearchIcon(), OnTapped: d.onRead}
	d.envLabel = widget.NewLabel("Environment (optional)")
	d.envName = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	d.envHint = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	d.envGap = widget.NewLabel("")
	d.envChoose = &widget.Button{Text: "Choose…", Icon: theme.FolderOpenIcon(), OnTapped: d.onChooseEnvironment}
	d.envClear = &widget.Button{Text: "Clear", Icon: theme.ContentClearIcon(), OnTapped: d.onClearEnvironment}
	d.envRow = container.NewBorder(nil, nil, nil, container.NewHBox(d.envChoose, d.envClear), d.envName)
	d.banner = problem.NewBanner()
	d.about = &widget.Label{Wrapping: fyne.TextWrapWord}
	d.base = widget.NewSelect(nil, nil)
	d.base.Hide()
	d.list = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Monospace: true}}
	d.left = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	d.doIt = &widget.Button{Text: "Import", Icon: theme.DownloadIcon(), Importance: widget.HighImportance, OnTapped: d.onImport}
	d.doIt.Disable()
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() { d.tasks.Cancel(); d.dlg.Hide() }}

	form := container.New(layout.NewFormLayout(), widget.NewLabel("Format"), d.format,
		widget.NewLabel("From"), container.NewBorder(nil, nil, nil, container.NewHBox(d.choose, d.read), d.where),
		d.envLabel, d.envRow, d.envGap, d.envHint)
	d.format.SetSelectedIndex(0) // after the form's widgets are made: it shows the environment's row or not
	preview := container.NewVScroll(container.NewVBox(d.about, d.base, d.list, d.left))
	content := container.NewBorder(container.NewVBox(form, d.banner), container.NewHBox(layout.NewSpacer(), cancel, d.doIt), nil, nil, preview)
	d.dlg = dialog.NewCustomWithoutButtons("Import", content, w.win)
	win := w.win.Canvas().Size()
	d.dlg.Resize(fyne.NewSize(min(win.Width*0.9, 900), min(win.Height*0.85, 680))) // the preview as tall as the window allows
	d.dlg.Show()
	w.win.Canvas().Focus(d.where)
	w.imports = d
}

func (d *importDoc) formatChosen() formats.Import {
	i := d.format.SelectedIndex()
	if i < 0 || i >= len(formats.Imports) {
		i = 0
	}
	return formats.Imports[i]
}

// reset forgets the preview: the format or the place changed.
func (d *importDoc) reset() {
	if d.doIt == nil {
		return
	}
	d.tasks.Cancel()
	d.plan = nil
	d.doIt.Disable()
	d.about.SetText("")
	d.list.SetText("")
	d.left.SetText("")
	d.base.Hide()
	d.banner.Clear()
}

// refreshEnvironment shows the environment's row while the format chosen reads one, with the file chosen.
func (d *importDoc) refreshEnvironment() {
	if d.envRow == nil {
		return
	}
	env := d.formatChosen().Environment
	rows := []fyne.CanvasObject{d.envLabel, d.envRow, d.envGap, d.envHint}
	if env == nil {
		for _, o := range rows {
			o.Hide()
		}
		return
	}
	d.envHint.SetText("A " + env.Title + " file fills in the values the requests use, such as the address. " +
		"Passwords and tokens in it are not imported.")
	if d.envPath == "" {
		d.envName.SetText("None chosen")
		d.envName.Importance = widget.LowImportance
		d.envClear.Hide()
	} else {
		d.envName.SetText(filepath.Base(d.envPath))
		d.envName.Importance = widget.MediumImportance
		d.envClear.Show()
	}
	d.envName.Refresh()
	for _, o := range rows {
		o.Show()
	}
}

func (d *importDoc) onChoose() {
	f := d.formatChosen()
	set := func(path string) { d.where.SetText(path); d.onRead() }
	if f.Folder {
		dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				set(u.Path())
			}
		}, d.w.win)
		return
	}
	d.chooseFile("Choose "+f.What, d.localWhere(), set)
}

// localWhere is the file to import when it is one on this computer ("" for none, or an address).
func (d *importDoc) localWhere() string {
	where := strings.TrimSpace(d.where.Text)
	if where == "" || strings.Contains(where, "://") {
		return ""
	}
	return where
}

// onChooseEnvironment asks for the environment's file, starting beside the file to import, and reads the
// document again with it.
func (d *importDoc) onChooseEnvironment() {
	env := d.formatChosen().Environment
	if env == nil {
		return
	}
	current := d.envPath
	if current == "" {
		current = d.localWhere()
	}
	d.chooseFile("Choose "+env.What, current, func(path string) {
		d.envPath = path
		d.refreshEnvironment()
		d.readAgain()
	})
}

// onClearEnvironment forgets the environment and reads the document again without it.
func (d *importDoc) onClearEnvironment() {
	d.envPath = ""
	d.refreshEnvironment()
	d.readAgain()
}

// readAgain reads the document again when one is given, else forgets what the preview showed.
func (d *importDoc) readAgain() {
	if strings.TrimSpace(d.where.Text) == "" {
		d.reset()
		return
	}
	d.onRead()
}

// onRead reads the document in the background and shows what an import would create.
func (d *importDoc) onRead() {
	where := strings.TrimSpace(d.where.Text)
	if where == "" {
		d.banner.SetError(fmt.Errorf("choose the file to import, or give its address"))
		return
	}
	f := d.formatChosen()
	envPath := ""
	if f.Environment != nil {
		envPath = d.envPath
	}
	d.reset()
	if envPath != "" {
		d.about.SetText("Reading " + where + " with the environment " + filepath.Base(envPath) + "…")
	} else {
		d.about.SetText("Reading " + where + "…")
	}
	task.Start(&d.tasks, func(ctx context.Context) (*imports.Plan, error) {
		src, err := imports.Load(ctx, where, f.Folder)
		if err != nil {
			return nil, err
		}
		if envPath == "" {
			return f.Read(ctx, src)
		}
		env, err := imports.Load(ctx, envPath, false)
		if err != nil {
			return nil, fmt.Errorf("the environment %w", err)
		}
		env.Name = filepath.Base(envPath) // as the form shows it
		return f.Environment.Read(ctx, src, env)
	}, func(p *imports.Plan, err error) {
		d.showPlan(p, err)
		if err == nil && envPath != "" {
			d.about.SetText(d.about.Text + "\nThe variables take their values from the environment " + filepath.Base(envPath) + ", except those that look secret: each person enters those, kept in their keychain.")
		}
	})
}

// baseURLShown is a resource's base URL as the preview shows it: a {{variable}} an environment gives filled in
// with the resource's default.
func baseURLShown(r *resource.Resource) string {
	vals := map[string]string{}
	for _, p := range r.Variables.Active() {
		vals[p.Key] = p.Value
	}
	x := &template.Expander{Vars: vals, KeepMissing: true}
	return x.Expand(r.BaseURL)
}

// showPlan shows what the plan creates, or why there is none.
func (d *importDoc) showPlan(p *imports.Plan, err error) {
	if err != nil {
		d.about.SetText("")
		d.banner.SetError(err)
		return
	}
	d.plan = p
	var about []string
	var list strings.Builder
	for i, r := range p.Resources {
		existing := ""
		if _, err := d.w.deps.Workspace.ResourceByName(r.Resource.Name); err == nil {
			existing = " (it exists: its queries are added or updated)"
		}
		n := fmt.Sprintf("%d queries", len(r.Queries))
		if len(r.Queries) == 1 {
			n = "1 query"
		}
		about = append(about, fmt.Sprintf("%s: the resource %s%s, with %s, at %s.", p.Format, r.Resource.Name, existing, n, baseURLShown(&r.Resource)))
		if i == 0 && len(r.BaseURLs) > 1 {
			d.base.Options = r.BaseURLs
			d.base.Selected = r.Resource.BaseURL
			d.base.OnChanged = func(s string) { d.plan.Resources[0].Resource.BaseURL = s }
			d.base.Refresh()
			d.base.Show()
		}
		if len(p.Resources) > 1 {
			fmt.Fprintf(&list, "%s:\n", r.Resource.Name)
		}
		for _, q := range r.Queries {
			group := ""
			if q.Group != "" {
				group = q.Group + " › "
			}
			fmt.Fprintf(&list, "%-7s %s%s\n", q.EffectiveMethod(), group, q.Name)
		}
	}
	for _, e := range p.Environments {
		existing := ""
		if _, err := d.w.deps.Workspace.EnvironmentByName(e.Name); err == nil {
			existing = " (it exists: these variables are set in it)"
		}
		n := fmt.Sprintf("%d variables", len(e.Variables))
		if len(e.Variables) == 1 {
			n = "1 variable"
		}
		about = append(about, fmt.Sprintf("The environment %s%s, with %s.", e.Name, existing, n))
	}
	d.about.SetText(strings.Join(about, "\n"))
	d.list.SetText(strings.TrimRight(list.String(), "\n"))
	var left []string
	for _, l := range p.LeftOut {
		left = append(left, "Left out: "+l.String())
	}
	left = append(left, p.Notes...)
	d.left.SetText(strings.Join(left, "\n"))
	if p.Count() == 0 {
		d.banner.SetError(fmt.Errorf("this document holds no request to import"))
		return
	}
	d.doIt.Enable()
}

// onImport writes the plan shown into the workspace, in the background, then shows the first resource.
func (d *importDoc) onImport() {
	p := d.plan
	if p == nil {
		return
	}
	d.doIt.Disable()
	ws := d.w.deps.Workspace
	task.Start(&d.tasks, func(ctx context.Context) ([]imports.Outcome, error) {
		return imports.Apply(context.WithoutCancel(ctx), ws, d.w.deps.Secrets, p, imports.Options{})
	}, func(out []imports.Outcome, err error) {
		if err != nil {
			d.banner.SetError(err)
			d.doIt.Enable()
			return
		}
		d.dlg.Hide()
		var said []string
		for _, o := range out {
			said = append(said, o.String())
			said = append(said, o.Notes...)
		}
		d.w.refreshSidebar()
		if len(out) > 0 {
			if r, err := ws.ResourceByName(out[0].Resource); err == nil {
				d.w.leave(func() {
					d.w.sidebar.Select(sidebar.Resource, r.ID)
					d.w.showResource(r.ID)
				})
			}
		}
		dialog.ShowInformation("Imported", strings.Join(said, ".\n")+".", d.w.win)
	})
}
