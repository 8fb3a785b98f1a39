package recordview

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/jsonview"
	"apidesk/ui/uitest"
)

func newView(t *testing.T) (*RecordView, *uitest.App) {
	t.Helper()
	a := uitest.NewApp(t)
	v := New()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(900, 600))
	return v, a
}

// objects is every object drawn inside o.
func objects(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, objects(c)...)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, objects(c)...)
		}
	}
	return out
}

// shown is the labels the list draws, top to bottom and left to right: "field = value" lines.
func shown(v *RecordView) []string {
	type placed struct {
		pos  fyne.Position
		text string
	}
	var labels []placed
	d := fyne.CurrentApp().Driver()
	for _, o := range objects(v.list) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text != "" {
			labels = append(labels, placed{d.AbsolutePositionForObject(l), l.Text})
		}
	}
	sort.Slice(labels, func(i, j int) bool {
		if labels[i].pos.Y != labels[j].pos.Y {
			return labels[i].pos.Y < labels[j].pos.Y
		}
		return labels[i].pos.X < labels[j].pos.X
	})
	var texts []string
	for _, l := range labels {
		texts = append(texts, l.text)
	}
	var lines []string
	for i := 0; i+1 < len(texts); i += 2 {
		lines = append(lines, texts[i]+" = "+texts[i+1])
	}
	return lines
}

func TestShowsOneObjectAsFields(t *testing.T) {
	v, a := newView(t)
	var got *jsonview.Record
	v.OnLoaded = func(r *jsonview.Record, _ error) { got = r }
	v.SetBody([]byte(`{"id":7,"name":"Ada","address":{"city":"London","zip":"N1"},"tags":["a","b"],"orders":[{"sku":"X1"}]}`))
	a.Wait(t, v.Tasks())
	if got == nil {
		t.Fatal("no record")
	}
	want := "id = 7|name = Ada|address.city = London|address.zip = N1|tags = a, b|orders = 1 item|orders[0].sku = X1"
	if g := strings.Join(shown(v), "|"); g != want {
		t.Errorf("shows %q\nwant  %q", g, want)
	}
	if v.summary.Text != "One record · 7 fields" {
		t.Errorf("summary %q", v.summary.Text)
	}
	v.Select(2)
	if v.Detail() != "address.city: London" {
		t.Errorf("detail %q", v.Detail())
	}
	test.Tap(v.copyValue)
	if c := fyne.CurrentApp().Clipboard().Content(); c != "London" {
		t.Errorf("Copy value copied %q", c)
	}
}

func TestAnArrayIsNotARecord(t *testing.T) {
	v, a := newView(t)
	var err error
	v.OnLoaded = func(_ *jsonview.Record, e error) { err = e }
	v.SetBody([]byte(`[{"id":1}]`))
	a.Wait(t, v.Tasks())
	if !errors.Is(err, jsonview.ErrNoRecord) || !v.message.Visible() || v.list.Visible() {
		t.Errorf("err %v, message shown %v, list shown %v", err, v.message.Visible(), v.list.Visible())
	}
	v.Refresh() // the layout the window's next frame does
	text := fyne.MeasureText(v.message.Text, theme.TextSize(), fyne.TextStyle{})
	if v.message.Text == "" || v.message.Size().Width < text.Width {
		t.Errorf("the message %q is laid out %v wide, narrower than its text (%v): it shows cut", v.message.Text, v.message.Size().Width, text.Width)
	}
}
