package app

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/query"
	"apidesk/ui/problem"
	"apidesk/ui/sidebar"
)

// welcomeWidth is the widest the welcome page's text runs: lines a person can read at a glance.
const welcomeWidth = 520

// newWelcome builds the welcome page: what apidesk is and, refreshed by refreshStart, what to do first.
//
// Its texts are leading-aligned paragraphs of a few lines each. Fyne's painter stretches a text by a pixel
// when it sits at a fractional place in its label (the 7th line of a label; a centred line), which shows as
// faintly doubled letters (uitest.StretchedTexts).
func (w *App) newWelcome() fyne.CanvasObject {
	title := &widget.Label{Text: "Welcome to apidesk", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	w.welcomeNext = &widget.Label{Wrapping: fyne.TextWrapWord}
	w.welcomeAction = &widget.Button{Importance: widget.HighImportance}
	w.welcomeAction.Hide() // until the workspace is read
	about := &widget.Label{Text: "A resource is an API you connect to: its address and how you sign in.", Wrapping: fyne.TextWrapWord}
	aboutQuery := &widget.Label{Text: "A query is a request you save on a resource, ready to send or to run.", Wrapping: fyne.TextWrapWord}
	w.note = problem.NewBanner()
	w.note.Dismissable = true
	w.welcomeImport = &widget.Button{Text: "Import from a file…", Icon: theme.DownloadIcon(), OnTapped: w.ImportDocument}
	w.welcomeImport.Hide()
	action := container.New(layout.NewCustomPaddedLayout(0, 0, theme.InnerPadding(), 0), container.NewHBox(w.welcomeAction, w.welcomeImport)) // its edge under the text's
	text := container.NewVBox(title, w.welcomeNext, container.NewHBox(action), widget.NewSeparator(), about, aboutQuery)
	return container.NewBorder(w.note, nil, nil, nil, container.New(columnLayout{width: welcomeWidth}, text))
}

// refreshStart says on the welcome page what to do next (add a resource, then a query, then pick one), and
// enables the toolbar's New query while there is a resource to make it on. While queries open to run it says
// to pick one.
func (w *App) refreshStart() {
	if w.welcomeNext == nil {
		return
	}
	resources, queries := w.deps.Workspace.Resources(), w.deps.Workspace.Queries()
	w.welcomeImport.Hide()
	switch {
	case w.editingLocked() && len(queries) == 0:
		w.welcomeNext.SetText("This workspace has no queries to run yet.")
		w.welcomeAction.Hide()
	case w.editingLocked() || w.RunMode() && len(queries) > 0:
		w.welcomeNext.SetText("Pick a query on the left to run it.")
		w.welcomeAction.Hide()
	case len(resources) == 0:
		w.welcomeNext.SetText("Start by adding the API you want to use, or import it from a file another tool saved " +
			"(OpenAPI, Postman, Insomnia, HAR or Bruno).")
		w.welcomeAction.SetText("New resource")
		w.welcomeAction.SetIcon(theme.ContentAddIcon())
		w.welcomeAction.OnTapped = w.NewResource
		w.welcomeAction.Show()
		w.welcomeImport.Show()
	case len(queries) == 0:
		w.welcomeNext.SetText("Next, add a query: a request you want to send to " + resources[0].Name + " or another of your resources.")
		w.welcomeAction.SetText("New query")
		w.welcomeAction.SetIcon(theme.DocumentCreateIcon())
		w.welcomeAction.OnTapped = w.NewQuery
		w.welcomeAction.Show()
	default:
		w.welcomeNext.SetText("Pick a resource or a query on the left. Double-click a query to run it.")
		w.welcomeAction.Hide()
	}
	if w.newQueryBtn != nil {
		enable(w.newQueryBtn, len(resources) > 0)
	}
}

// runnable is the saved query the toolbar's Run opens: the one shown, else the one selected ("" for none).
func (w *App) runnable(queries []*query.Query) string {
	exists := func(id string) bool {
		for _, q := range queries {
			if q.ID == id {
				return true
			}
		}
		return false
	}
	if k, id := w.page.Item(); k == sidebar.Query && exists(id) {
		return id
	}
	if k, id := w.sidebar.Selected(); k == sidebar.Query && exists(id) {
		return id
	}
	return ""
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// columnLayout centres its objects in a column at most width wide, each as tall as it needs at that width,
// at whole pixels.
type columnLayout struct{ width float32 }

func (l columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		w := fyne.Min(size.Width, l.width)
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		h := o.MinSize().Height // wrapped text is as tall as its width makes it
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(float32(math.Round(float64(size.Width-w)/2)), float32(math.Round(float64(fyne.Max(size.Height-h, 0))/2))))
	}
}

func (l columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var min fyne.Size
	for _, o := range objs {
		min = min.Max(o.MinSize())
	}
	return min
}
