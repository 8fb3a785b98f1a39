package environ

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/environment"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
	"apidesk/ui/problem"
	"apidesk/ui/task"
)

// newEnvironment is the manager's choice that starts a new environment.
const newEnvironment = "New environment…"

// Manager is the Environments dialog: it adds, renames and deletes the workspace's environments, marks them
// protected, and edits their variables (name, value, secret, description). The value of a secret variable is
// typed into a password field and kept in the person's keychain (environment.SetSecret), never in the file;
// both are written off the UI goroutine.
type Manager struct {
	// OnChanged is called after an environment was saved or deleted, for the switcher to list them again.
	OnChanged func()

	ws    *workspace.Workspace
	keys  *secret.Store
	win   fyne.Window
	tasks task.Group

	envs   []*environment.Environment
	cur    *environment.Environment // the one edited, as saved; an empty ID while new
	stored map[string]bool          // the secret variables of cur whose value the keychain holds

	choice  *widget.Select
	name    *widget.Entry
	protect *widget.Check
	rows    []*varLine
	list    *fyne.Container
	banner  *problem.Banner
	state   *widget.Label
	saveBtn *widget.Button
	delBtn  *widget.Button
	dlg     *dialog.CustomDialog
}

// varLine is one variable's row: its name, its value (a password field while secret), secret, and what it is.
type varLine struct {
	name, value, desc *widget.Entry
	secret            *widget.Check
	row               *fyne.Container
}

// ShowManager opens the Environments dialog over win on the environment named selected (none: the first, or a
// new one when there is none).
func ShowManager(ws *workspace.Workspace, keys *secret.Store, win fyne.Window, selected string) *Manager {
	m := &Manager{ws: ws, keys: keys, win: win}
	m.choice = &widget.Select{OnChanged: m.onChoice}
	m.name = &widget.Entry{PlaceHolder: "Staging, Production…"}
	m.protect = &widget.Check{Text: "Protected: show it in red and ask before every request that may change data"}
	m.list = container.NewVBox()
	m.banner = problem.NewBanner()
	m.state = &widget.Label{Importance: widget.LowImportance}
	addBtn := &widget.Button{Text: "Variable", Icon: theme.ContentAddIcon(), Importance: widget.LowImportance, OnTapped: func() { m.addLine(environment.Variable{}, true) }}
	m.saveBtn = &widget.Button{Text: "Save", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: m.Save}
	m.delBtn = &widget.Button{Text: "Delete…", Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: m.onDelete}
	closeBtn := &widget.Button{Text: "Close", OnTapped: func() { m.dlg.Hide() }}

	head := container.NewBorder(nil, nil, &widget.Label{Text: "Environment", TextStyle: fyne.TextStyle{Bold: true}}, m.delBtn, m.choice)
	form := container.New(layout.NewFormLayout(), &widget.Label{Text: "Name"}, m.name, layout.NewSpacer(), m.protect)
	columns := container.NewGridWithColumns(4, caption("Variable"), caption("Value"), caption("What it is"), caption("Secret"))
	vars := container.NewBorder(container.NewVBox(
		&widget.Label{Text: "Variables", TextStyle: fyne.TextStyle{Bold: true}},
		&widget.Label{Text: "A request's {{name}} takes its value from here when the request and its query give none. " +
			"A secret's value is kept in your keychain, for you alone; the others are in the workspace's file.",
			Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
		columns), container.NewHBox(addBtn), nil, nil, container.NewVScroll(m.list))
	top := container.NewVBox(head, widget.NewSeparator(), m.banner, form)
	content := container.NewBorder(top, nil, nil, nil, vars)
	m.dlg = dialog.NewCustomWithoutButtons("Environments", content, win)
	m.dlg.SetButtons([]fyne.CanvasObject{m.state, closeBtn, m.saveBtn})
	m.dlg.SetOnClosed(m.tasks.Cancel)
	m.refreshChoices(selected)
	size := win.Canvas().Size()
	m.dlg.Resize(fyne.NewSize(min(820, size.Width-40), min(560, size.Height-40)))
	m.dlg.Show()
	return m
}

func caption(s string) *widget.Label {
	return &widget.Label{Text: s, SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance}
}

// New fills the dialog with a new environment named name with vals as its variables, and saves it, as a person
// would with New environment…; for tests.
func (m *Manager) New(name string, vals map[string]string) {
	m.choice.SetSelected(newEnvironment)
	m.name.SetText(name)
	m.rows, m.list.Objects = nil, nil
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		m.addLine(environment.Variable{Name: k, Value: vals[k]}, false)
	}
	m.Save()
}

// Tasks is the dialog's background work (saving, deleting, reading which secrets are kept), for tests.
func (m *Manager) Tasks() *task.Group { return &m.tasks }

// refreshChoices lists the environments and shows the one named name (none: the first, or a new one).
func (m *Manager) refreshChoices(name string) {
	m.envs = m.ws.Environments()
	opts := make([]string, 0, len(m.envs)+1)
	for _, e := range m.envs {
		opts = append(opts, e.Name)
	}
	opts = append(opts, newEnvironment)
	m.choice.Options = opts
	if name == "" || !slices.Contains(opts, name) {
		name = opts[0]
	}
	m.choice.SetSelected(name) // shows it (onChoice), even when it was shown already
}

// onChoice shows the environment chosen, or an empty one to add.
func (m *Manager) onChoice(name string) {
	e := &environment.Environment{}
	if i := slices.IndexFunc(m.envs, func(e *environment.Environment) bool { return e.Name == name }); i >= 0 {
		e = m.envs[i]
	}
	m.show(e)
}

// show fills the dialog with e, and asks the keychain which of its secrets have a value.
func (m *Manager) show(e *environment.Environment) {
	m.tasks.Cancel()
	m.cur, m.stored = e, map[string]bool{}
	m.banner.Clear()
	m.state.SetText("")
	m.name.SetText(e.Name)
	m.protect.SetChecked(e.Protected)
	m.rows = nil
	m.list.Objects = nil
	for _, v := range e.Variables {
		m.addLine(v, false)
	}
	if len(e.Variables) == 0 {
		m.addLine(environment.Variable{}, false)
	}
	m.list.Refresh()
	if e.ID == "" {
		m.delBtn.Hide()
	} else {
		m.delBtn.Show()
	}
	if len(e.SecretNames()) == 0 {
		return
	}
	keys := m.keys
	task.Start(&m.tasks, func(ctx context.Context) (map[string]string, error) { return environment.SecretValues(ctx, keys, e) },
		func(vals map[string]string, err error) {
			if err != nil {
				m.banner.SetError(err)
				return
			}
			for n := range vals {
				m.stored[n] = true // the values themselves stay in the keychain: the fields only say so
			}
			m.refreshPlaceholders()
		})
}

// addLine adds a row for v; focus puts the cursor in its name.
func (m *Manager) addLine(v environment.Variable, focus bool) {
	l := &varLine{
		name:  &widget.Entry{Text: v.Name, PlaceHolder: "name"},
		value: &widget.Entry{Text: v.Value},
		desc:  &widget.Entry{Text: v.Description, PlaceHolder: "optional"},
	}
	l.secret = &widget.Check{Checked: v.Secret, OnChanged: func(bool) { m.refreshLine(l) }}
	remove := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() {
		m.rows = slices.DeleteFunc(m.rows, func(x *varLine) bool { return x == l })
		m.list.Remove(l.row)
	}}
	l.row = container.NewGridWithColumns(4, l.name, l.value, l.desc, container.NewHBox(l.secret, remove))
	m.refreshLine(l)
	m.rows = append(m.rows, l)
	m.list.Add(l.row)
	if focus {
		m.win.Canvas().Focus(l.name)
	}
}

// refreshLine makes a secret's value a password field, with what the keychain holds said as its placeholder.
func (m *Manager) refreshLine(l *varLine) {
	if l.value.Password != l.secret.Checked {
		l.value.Password = l.secret.Checked
		if !l.secret.Checked {
			l.value.SetText("") // a secret's value is never shown
		}
		l.value.Refresh()
	}
	switch {
	case !l.secret.Checked:
		l.value.SetPlaceHolder("value")
	case m.stored[strings.TrimSpace(l.name.Text)]:
		l.value.SetPlaceHolder("•••••••• (in your keychain: type to replace)")
	default:
		l.value.SetPlaceHolder("your value, kept in your keychain")
	}
}

func (m *Manager) refreshPlaceholders() {
	for _, l := range m.rows {
		m.refreshLine(l)
	}
}

// collect is the environment as the dialog holds it, and the secret values typed, by variable name.
func (m *Manager) collect() (*environment.Environment, map[string]string) {
	e := m.cur.Clone()
	e.Name = strings.TrimSpace(m.name.Text)
	e.Protected = m.protect.Checked
	e.Variables = nil
	typed := map[string]string{}
	for _, l := range m.rows {
		v := environment.Variable{Name: strings.TrimSpace(l.name.Text), Description: strings.TrimSpace(l.desc.Text), Secret: l.secret.Checked}
		if v.Name == "" && l.value.Text == "" && v.Description == "" {
			continue // an empty row
		}
		if v.Secret {
			if l.value.Text != "" {
				typed[v.Name] = l.value.Text
			}
		} else {
			v.Value = l.value.Text
		}
		e.Variables = append(e.Variables, v)
	}
	return e, typed
}

// Save writes the environment to its file and the secret values typed to the keychain, in the background. A
// variable that stopped being secret loses its value in the keychain.
func (m *Manager) Save() {
	e, typed := m.collect()
	if es := e.Validate(); len(es) > 0 {
		m.banner.SetExplanation(problem.Explanation{Headline: "Not saved", Message: es[0].Msg}, false)
		return
	}
	was := m.cur.SecretNames()
	ws, keys := m.ws, m.keys
	m.saveBtn.Disable()
	m.state.SetText("Saving…")
	task.Run(&m.tasks, func(ctx context.Context) error {
		ctx = context.WithoutCancel(ctx) // once started, a save is finished
		if len(typed) > 0 && keys == nil {
			return errors.New("there is no keychain to keep the secret values in, so nothing was saved")
		}
		if err := ws.SaveEnvironment(ctx, e); err != nil {
			return err
		}
		var errs []error
		for _, n := range was {
			if v := e.Variable(n); v == nil || !v.Secret {
				errs = append(errs, forget(ctx, keys, m.cur, n))
			}
		}
		for _, n := range slices.Sorted(maps.Keys(typed)) {
			if err := environment.SetSecret(ctx, keys, e, n, typed[n]); err != nil {
				errs = append(errs, fmt.Errorf("%s was saved, but %w", e.Name, err))
			}
		}
		return errors.Join(errs...)
	}, func(err error) {
		m.saveBtn.Enable()
		m.state.SetText("")
		var es resource.Errors
		switch {
		case errors.As(err, &es):
			m.banner.SetExplanation(problem.Explanation{Headline: "Not saved", Message: es[0].Msg}, false)
			return
		case err != nil:
			m.banner.SetError(err)
		default:
			m.state.SetText("Saved")
		}
		if e.ID != "" {
			m.refreshChoices(e.Name)
		}
		if m.OnChanged != nil {
			m.OnChanged()
		}
	})
}

// forget removes the keychain's value of a variable of e that is no longer secret.
func forget(ctx context.Context, keys *secret.Store, e *environment.Environment, name string) error {
	if keys == nil {
		return nil
	}
	if err := environment.SetSecret(ctx, keys, e, name, ""); err != nil {
		return fmt.Errorf("%s is no longer secret, but its value could not be removed from your keychain: %w", name, err)
	}
	return nil
}

// onDelete asks before the environment shown is deleted.
func (m *Manager) onDelete() {
	e := m.cur
	if e.ID == "" {
		return
	}
	d := dialog.NewConfirm("Delete "+e.Name+"?", "Its file is removed from the workspace for everyone who shares it, and your secret values and sign-ins in it from your keychain.",
		func(ok bool) {
			if ok {
				m.Delete()
			}
		}, m.win)
	d.SetConfirmText("Delete")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// Delete deletes the environment shown, in the background, as workspace.DeleteEnvironment does.
func (m *Manager) Delete() {
	e := m.cur
	if e.ID == "" {
		return
	}
	ws, keys := m.ws, m.keys
	m.delBtn.Disable()
	task.Run(&m.tasks, func(ctx context.Context) error {
		return ws.DeleteEnvironment(context.WithoutCancel(ctx), e.ID, keys)
	}, func(err error) {
		m.delBtn.Enable()
		if err != nil {
			m.banner.SetError(err)
			return
		}
		m.refreshChoices("")
		m.state.SetText(e.Name + " deleted")
		if m.OnChanged != nil {
			m.OnChanged()
		}
	})
}
