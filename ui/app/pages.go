package app

import (
	"fyne.io/fyne/v2"

	"apidesk/ui/queryeditor"
	"apidesk/ui/resourceform"
	"apidesk/ui/responseview"
	"apidesk/ui/runmode"
	"apidesk/ui/sidebar"
)

// page is what the content area shows: the welcome page, a resource's form, a query's editor or run mode.
// The menus and shortcuts do what the page shown does.
type page interface {
	Content() fyne.CanvasObject
	// Dirty reports unsaved edits; Save saves them, then runs then (which may be nil).
	Dirty() bool
	Save(then func())
	// SaveAs, Send (Ctrl+Enter), Find (Ctrl+F) and CopyCurl do nothing on a page without a request.
	SaveAs()
	Send()
	Find()
	CopyCurl()
	// Title is what the window's title says after the app's name ("" for nothing).
	Title() string
	// Item is the sidebar item the page shows (an id "" for none).
	Item() (sidebar.Kind, string)
	// Leave is called when another page replaces this one.
	Leave()
}

var (
	_ page = welcomePage{}
	_ page = formPage{}
	_ page = editorPage{}
	_ page = runPage{}
)

// noRequest is what a page without a request does for the request actions: nothing.
type noRequest struct{}

func (noRequest) SaveAs()   {}
func (noRequest) Send()     {}
func (noRequest) Find()     {}
func (noRequest) CopyCurl() {}
func (noRequest) Leave()    {}

// welcomePage is shown while nothing is selected.
type welcomePage struct {
	noRequest
	content fyne.CanvasObject
}

func (p welcomePage) Content() fyne.CanvasObject { return p.content }
func (welcomePage) Dirty() bool                  { return false }
func (welcomePage) Title() string                { return "" }
func (welcomePage) Item() (sidebar.Kind, string) { return sidebar.Resource, "" }
func (welcomePage) Save(then func())             { runThen(then) }

// formPage is a resource's form.
type formPage struct {
	noRequest
	*resourceform.Form
}

func (p formPage) Title() string { return orNew(p.Resource().Name, "New resource") }

func (p formPage) Item() (sidebar.Kind, string) { return sidebar.Resource, p.Resource().ID }

// editorPage is the query editor: a new query shows as its resource in the sidebar.
type editorPage struct{ *queryeditor.Editor }

func (p editorPage) SaveAs() { p.Editor.SaveAs(nil) }
func (p editorPage) Find()   { findInBody(p.Response()) }
func (p editorPage) Leave()  { p.Cancel() }

func (p editorPage) Title() string { return orNew(p.Query().Name, "New query") }

func (p editorPage) Item() (sidebar.Kind, string) {
	if id := p.Query().ID; id != "" {
		return sidebar.Query, id
	}
	return sidebar.Resource, p.Resource().ID
}

// runPage is a query opened in run mode: nothing to save or copy.
type runPage struct {
	noRequest
	*runmode.View
}

func (p runPage) Send()  { p.Run() }
func (p runPage) Find()  { findInBody(p.Response()) }
func (p runPage) Leave() { p.Cancel() }

func (p runPage) Title() string { return "Run " + p.Query().Name }

func (p runPage) Item() (sidebar.Kind, string) { return sidebar.Query, p.Query().ID }

// findInBody shows the body of a response and puts the keyboard focus in its search box.
func findInBody(rv *responseview.View) {
	rv.SelectTab("Body")
	rv.Body().FocusSearch()
}

func orNew(name, whenNew string) string {
	if name == "" {
		return whenNew
	}
	return name
}

func runThen(then func()) {
	if then != nil {
		then()
	}
}
