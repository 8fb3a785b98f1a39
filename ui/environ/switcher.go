package environ

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/environment"
)

// NoEnvironment is the switcher's first choice: requests run with the resources' own settings.
const NoEnvironment = "No environment"

// Manage is the switcher's last choice, which opens the Environments dialog (OnManage) and leaves the choice of
// environment as it was.
const Manage = "Environments…"

// prefActivePrefix, followed by the workspace folder, keys each person's choice of environment (its ID).
const prefActivePrefix = "environment.workspace:"

// Switcher is the toolbar's choice of environment: "No environment" or one of the workspace's, always in
// sight; a protected one shows framed in the error colour and, where the toolbar has room, with a warning sign
// and the word "Protected". The choice is remembered for the person and the workspace, and an environment that is
// gone falls back to none. Given more width than it needs, the switcher widens its select to the longest name.
type Switcher struct {
	widget.BaseWidget

	// OnManage is called when the person picks Manage; nil leaves Manage out.
	OnManage func()

	active *Active
	prefs  fyne.Preferences
	key    string
	envs   []*environment.Environment
	quiet  bool    // the select is set from code: not the person's choice
	wide   float32 // the select's width for the longest name, beyond its least

	sel   *widget.Select
	bg    *canvas.Rectangle // over the select: its frame and tint in the error colour while a protected environment is active
	frame *fyne.Container
	badge *fyne.Container // a warning sign and "Protected", where there is room
	word  *widget.Label
}

var _ fyne.Widget = (*Switcher)(nil)

// NewSwitcher returns the switcher of a, remembering the choice in prefs under the workspace folder dir. Call
// SetEnvironments once the workspace is read.
func NewSwitcher(a *Active, prefs fyne.Preferences, dir string) *Switcher {
	s := &Switcher{active: a, prefs: prefs, key: prefActivePrefix + dir}
	s.sel = &widget.Select{Options: []string{NoEnvironment}, Selected: NoEnvironment, PlaceHolder: NoEnvironment, OnChanged: s.onChanged}
	s.bg = canvas.NewRectangle(color.Transparent)
	s.word = &widget.Label{Text: "Protected", Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}}
	s.badge = container.NewHBox(widget.NewIcon(theme.NewErrorThemedResource(theme.WarningIcon())), s.word)
	s.badge.Hide()
	s.frame = container.NewStack(s.sel, s.bg) // the frame is drawn over the select's edge: it takes no room
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer is part of fyne.Widget.
func (s *Switcher) CreateRenderer() fyne.WidgetRenderer {
	s.refreshLook()
	return widget.NewSimpleRenderer(container.New(&switcherLayout{s}, s.frame, s.badge))
}

// Refresh is part of fyne.Widget: it follows the theme's colours.
func (s *Switcher) Refresh() {
	s.refreshLook()
	s.BaseWidget.Refresh()
}

// SetEnvironments lists envs (as workspace.Environments gives them) and chooses the one remembered, or none
// when it is gone; the environment active is set when it changed (an edit of its file counts).
func (s *Switcher) SetEnvironments(envs []*environment.Environment) {
	s.envs = envs
	opts := []string{NoEnvironment}
	th := s.Theme()
	least := fyne.MeasureText(NoEnvironment, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width
	s.wide = 0
	for _, e := range envs {
		opts = append(opts, e.Name)
		s.wide = max(s.wide, fyne.MeasureText(e.Name, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width-least)
	}
	if s.OnManage != nil {
		opts = append(opts, Manage)
		s.wide = max(s.wide, fyne.MeasureText(Manage, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width-least)
	}
	s.sel.Options = opts
	id := s.prefs.String(s.key)
	i := slices.IndexFunc(envs, func(e *environment.Environment) bool { return e.ID == id })
	s.choose(i + 1) // -1 (gone) is 0: none
	s.Refresh()
}

// Select chooses the environment named name (NoEnvironment: none), as the person would.
func (s *Switcher) Select(name string) { s.sel.SetSelected(name) }

// Selected is the name shown: NoEnvironment or the active environment's.
func (s *Switcher) Selected() string { return s.sel.Selected }

// Options are the choices, NoEnvironment first.
func (s *Switcher) Options() []string { return slices.Clone(s.sel.Options) }

// ProtectedShown reports whether the switcher shows a protected environment in the error colour.
func (s *Switcher) ProtectedShown() bool { return s.bg.StrokeWidth > 0 }

// ProtectedSaid reports whether the switcher also says "Protected" in words (when it has room).
func (s *Switcher) ProtectedSaid() bool { return s.badge.Visible() }

// choose shows option i (0: none) from code, and makes its environment the active one when it changed.
func (s *Switcher) choose(i int) {
	s.quiet = true
	s.sel.SetSelectedIndex(i)
	s.quiet = false
	s.apply(i, false)
}

func (s *Switcher) onChanged(string) {
	if s.quiet {
		return
	}
	i := s.sel.SelectedIndex()
	if i > len(s.envs) { // Manage
		s.quiet = true
		s.sel.SetSelectedIndex(s.activeIndex())
		s.quiet = false
		if s.OnManage != nil {
			s.OnManage()
		}
		return
	}
	s.apply(i, true)
}

// activeIndex is the option of the environment active (0: none).
func (s *Switcher) activeIndex() int {
	e := s.active.Env()
	if e == nil {
		return 0
	}
	return slices.IndexFunc(s.envs, func(x *environment.Environment) bool { return x.ID == e.ID }) + 1
}

// apply makes option i the active environment; chosen says the person chose it, which is remembered.
func (s *Switcher) apply(i int, chosen bool) {
	var e *environment.Environment
	if i > 0 && i <= len(s.envs) {
		e = s.envs[i-1]
	}
	if chosen {
		id := ""
		if e != nil {
			id = e.ID
		}
		s.prefs.SetString(s.key, id)
	}
	if old := s.active.Env(); !sameEnvironment(old, e) {
		s.active.Set(e)
	}
	s.Refresh()
}

func sameEnvironment(a, b *environment.Environment) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ID == b.ID && a.Name == b.Name && a.Protected == b.Protected && slices.Equal(a.Variables, b.Variables)
}

// refreshLook colours the switcher for the environment active.
func (s *Switcher) refreshLook() {
	if s.active.Protected() {
		c := s.Theme().Color(theme.ColorNameError, fyne.CurrentApp().Settings().ThemeVariant())
		r, g, b, _ := c.RGBA()
		s.bg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x20} // a tint over the select
		s.bg.StrokeColor = c
		s.bg.StrokeWidth = frameWidth
	} else {
		s.bg.FillColor, s.bg.StrokeColor, s.bg.StrokeWidth = color.Transparent, color.Transparent, 0
	}
	s.bg.CornerRadius = s.Theme().Size(theme.SizeNameInputRadius)
	s.bg.Refresh()
}

// switcherLayout lays out the switcher in the width the toolbar leaves it: the select framed, at its least
// width or wide enough for the longest name, then the warning sign and "Protected" when a protected environment
// is active and there is room for them.
type switcherLayout struct{ s *Switcher }

func (l *switcherLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	s := l.s
	least := s.frame.MinSize()
	w := max(least.Width, min(least.Width+s.wide, size.Width))
	s.frame.Resize(fyne.NewSize(w, least.Height))
	s.frame.Move(fyne.NewPos(0, (size.Height-least.Height)/2))
	pad := s.Theme().Size(theme.SizeNamePadding)
	b := s.badge.MinSize()
	if !s.active.Protected() || w+pad+b.Width > size.Width {
		s.badge.Hide()
		return
	}
	s.badge.Show()
	s.badge.Resize(b)
	s.badge.Move(fyne.NewPos(w+pad, (size.Height-b.Height)/2))
}

func (l *switcherLayout) MinSize([]fyne.CanvasObject) fyne.Size { return l.s.frame.MinSize() }

// frameWidth is the width of the frame of a protected environment.
const frameWidth = 2
