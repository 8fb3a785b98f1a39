package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/ui/sidebar"
)

// Every page fits a 1024x600 laptop screen and still fits at 640x480: no page asks for more than the window,
// and the body's search box keeps a usable width.
func TestEveryPageFitsSmallScreens(t *testing.T) {
	for _, size := range []fyne.Size{fyne.NewSize(1024, 600), fyne.NewSize(640, 480)} {
		fx := newFixture(t, nil)
		fx.w.win.Resize(size)
		fits := func(page string) {
			t.Helper()
			if m := fx.w.win.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
				t.Errorf("%v: the %s page asks for %v", size, page, m)
			}
		}
		fits("welcome")
		fx.w.Select(sidebar.Resource, fx.res.ID)
		fx.app.Wait(t, fx.w.Tasks())
		fits("resource")
		fx.w.Select(sidebar.Query, fx.q.ID)
		fx.app.Wait(t, fx.w.Tasks())
		fits("query")
		fx.w.editor.Send()
		fx.app.Wait(t, fx.w.Tasks())
		fits("query with its answer")
		fx.w.win.Resize(size) // lay out again at the size under test
		for _, o := range test.LaidOutObjects(fx.w.editor.Response().Content()) {
			if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == "Search the body" && e.Visible() && e.Size().Width < 150 {
				t.Errorf("%v: the search box is %v wide", size, e.Size().Width)
			}
		}
		fx.w.RunQuery(fx.q.ID)
		fx.app.Wait(t, fx.w.Tasks())
		fits("run")
	}
}
