package bodyview

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"apidesk/engine/jsonview"
	"apidesk/ui/uitest"
)

// apps are the test apps of the views: their fyne.Do work is queued and run on the test goroutine when the
// test waits (Fyne's test driver would run it on the background goroutine, racing the test).
var apps = map[*BodyView]*uitest.App{}

// newView shows a BodyView in a test window of the given size.
func newView(t *testing.T, size fyne.Size) (*BodyView, fyne.Window) {
	t.Helper()
	a := uitest.NewApp(t)
	v := New()
	apps[v] = a
	w := test.NewTempWindow(t, v)
	w.Resize(size)
	return v, w
}

// wait runs the view's queued UI functions until its background work has come back.
func wait(t *testing.T, v *BodyView) {
	t.Helper()
	apps[v].Wait(t, v.Tasks())
}

// load sets body and waits until it is shown.
func load(t *testing.T, v *BodyView, body string, opt jsonview.Options) *jsonview.Doc {
	t.Helper()
	var loaded *jsonview.Doc
	v.OnLoaded = func(d *jsonview.Doc) { loaded = d }
	v.SetBody([]byte(body), opt)
	wait(t, v)
	if loaded == nil {
		t.Fatal("the body was not shown")
	}
	return loaded
}

// search searches for q and waits for the result.
func search(t *testing.T, v *BodyView, q string) {
	t.Helper()
	waitSearch(t, v, func() { v.SetSearch(q) })
}

// shown is the text of each line row in sight, by line number.
func shown(v *BodyView) map[int]string {
	out := map[int]string{}
	for _, r := range v.rows {
		if r.line < 0 || !r.Visible() || r.used == 0 && r.num.Text == "" {
			continue
		}
		var b strings.Builder
		for k := range r.used {
			b.WriteString(r.texts[k].Text)
		}
		b.WriteString(r.more.Text)
		out[r.line] = b.String()
	}
	return out
}

func TestShowsPrettyJSONLines(t *testing.T) {
	v, _ := newView(t, fyne.NewSize(700, 400))
	d := load(t, v, `{"name":"Ada","tags":["x",1,true,null],"empty":{}}`, jsonview.Options{ContentType: "application/json"})
	want := []string{`{`, `  "name": "Ada",`, `  "tags": [`, `    "x",`, `    1,`, `    true,`, `    null`, `  ],`, `  "empty": {}`, `}`}
	if d.Lines() != len(want) {
		t.Fatalf("%d lines, want %d", d.Lines(), len(want))
	}
	got := shown(v)
	for i, line := range want {
		if got[i] != line {
			t.Errorf("line %d shows %q, want %q", i+1, got[i], line)
		}
	}
	if v.status.Text != "JSON · 10 lines" {
		t.Errorf("status %q", v.status.Text)
	}
	if v.docNotes.Visible() {
		t.Errorf("a note is shown for valid JSON: %q", v.docNotes.Text)
	}
	// the key, the string and the literal are coloured by their class
	row := rowFor(v, 1)
	if row == nil || row.used < 4 {
		t.Fatalf("line 2 has no spans")
	}
	th := row.Theme()
	if row.texts[1].Text != `"name"` || row.texts[1].Color != classColor(th, 0, jsonview.Key) ||
		row.texts[3].Text != `"Ada"` || row.texts[3].Color != classColor(th, 0, jsonview.String) {
		t.Errorf("line 2 spans are not coloured as key and string")
	}
}

func rowFor(v *BodyView, line int) *lineRow {
	for _, r := range v.rows {
		if r.line == line && r.Visible() {
			return r
		}
	}
	return nil
}

func TestSearchFindsKOfN(t *testing.T) {
	v, _ := newView(t, fyne.NewSize(700, 300))
	var b strings.Builder
	b.WriteString("[")
	for i := range 400 {
		if i > 0 {
			b.WriteString(",")
		}
		name := "other"
		if i%80 == 79 {
			name = "Needle"
		}
		b.WriteString(`{"i":` + strings.Repeat("1", 1+i%3) + `,"name":"` + name + `"}`)
	}
	b.WriteString("]")
	load(t, v, b.String(), jsonview.Options{})

	search(t, v, "needle")
	if v.count.Text != "1 of 5" {
		t.Fatalf("count %q, want 1 of 5", v.count.Text)
	}
	test.Tap(v.next)
	if v.count.Text != "2 of 5" {
		t.Fatalf("after next: count %q, want 2 of 5", v.count.Text)
	}
	hit := v.matches.Hits[v.current]
	if got := shown(v)[int(hit.Line)]; !strings.Contains(got, `"Needle"`) {
		t.Errorf("the second hit's line %d is not in sight (shows %q)", hit.Line+1, got)
	}
	row := rowFor(v, int(hit.Line))
	if row.marks != 1 || row.hits[0].FillColor == row.Theme().Color(theme.ColorNameSelection, 0) {
		t.Errorf("the current hit is not marked as current")
	}
	test.Tap(v.prev)
	test.Tap(v.prev)
	if v.count.Text != "5 of 5" {
		t.Errorf("prev twice from 2: count %q, want 5 of 5 (wrapping)", v.count.Text)
	}

	waitSearch(t, v, func() { test.Tap(v.matchCase) })
	if v.count.Text != "No matches" || !v.prev.Disabled() || !v.next.Disabled() {
		t.Errorf("matching case: count %q, prev enabled %v; want no matches", v.count.Text, !v.prev.Disabled())
	}
	search(t, v, "Needle")
	if v.count.Text != "5 of 5" {
		t.Errorf("matching case: count %q, want 5 of 5 (the first hit from the lines in sight)", v.count.Text)
	}
}

// waitSearch runs action, which starts a search, and waits for its result.
func waitSearch(t *testing.T, v *BodyView, action func()) {
	t.Helper()
	action()
	wait(t, v)
	if v.count.Text == "Searching…" {
		t.Fatal("the search did not come back")
	}
}

func TestNotesAndCutLines(t *testing.T) {
	v, _ := newView(t, fyne.NewSize(700, 300))
	saved := false
	v.SetNote("First 10 MB of 87 MB shown.", "Save the full body…", func() { saved = true })
	load(t, v, `{"a":1,`, jsonview.Options{ContentType: "application/json"})
	if !v.noteBar.Visible() || v.note.Text != "First 10 MB of 87 MB shown." {
		t.Errorf("caller's note: shown %v, %q", v.noteBar.Visible(), v.note.Text)
	}
	test.Tap(v.noteAction)
	if !saved {
		t.Error("the note's button did not run its action")
	}
	if !v.docNotes.Visible() || !strings.Contains(v.docNotes.Text, "not valid JSON") {
		t.Errorf("invalid JSON note: shown %v, %q", v.docNotes.Visible(), v.docNotes.Text)
	}
	if got := shown(v)[0]; got != `{"a":1,` {
		t.Errorf("invalid JSON shown as %q, want as received", got)
	}

	long := `{"s":"` + strings.Repeat("x", 3000) + `"}`
	load(t, v, long, jsonview.Options{})
	got := shown(v)[1]
	if !strings.HasPrefix(got, `  "s": "xxx`) || !strings.HasSuffix(got, " … 1,509 more bytes (Copy line copies all)") {
		t.Errorf("long line shows %q…%q", got[:min(len(got), 20)], got[max(0, len(got)-60):])
	}
	if v.docNotes.Visible() {
		t.Error("the last body's note is still shown")
	}
	if !v.hbar.Visible() {
		t.Error("no horizontal scroll bar for a line wider than the view")
	}
	v.scrollSideways(-500) // a swipe to the left moves the text right-to-left
	if v.hoff <= 0 {
		t.Errorf("after scrolling sideways the offset is %v", v.hoff)
	}
	row := rowFor(v, 1)
	if x := row.texts[0].Position().X; x > v.gutterWidth() {
		t.Errorf("the line did not move left: its text starts at %v", x)
	}
}

func TestEmptyBody(t *testing.T) {
	v, _ := newView(t, fyne.NewSize(700, 300))
	load(t, v, "", jsonview.Options{})
	if v.status.Text != "Empty body" {
		t.Errorf("status %q", v.status.Text)
	}
	load(t, v, "one line", jsonview.Options{})
	if v.status.Text != "Text · 1 line" {
		t.Errorf("status %q", v.status.Text)
	}
}

func TestCopy(t *testing.T) {
	v, _ := newView(t, fyne.NewSize(700, 300))
	clip := fyne.CurrentApp().Clipboard()
	d := load(t, v, `[1,{"a":"b"}]`, jsonview.Options{})
	if !v.copyLine.Disabled() {
		t.Error("Copy line is enabled with no line selected")
	}
	test.Tap(v.copyAll)
	if got := clip.Content(); got != string(d.Bytes()) {
		t.Errorf("Copy all put %q on the clipboard", got)
	}
	v.list.Select(3)
	test.Tap(v.copyLine)
	if got := clip.Content(); got != `    "a": "b"` {
		t.Errorf("Copy line put %q on the clipboard", got)
	}
	if v.status.Text != "Copied line 4." {
		t.Errorf("status %q", v.status.Text)
	}
}

func TestANewerBodyReplacesOneBeingFormatted(t *testing.T) {
	v, _ := newView(t, fyne.NewSize(700, 300))
	big := `[` + strings.Repeat(`{"k":"v","n":[1,2,3]},`, 400_000) + `0]`
	var loaded []int
	v.OnLoaded = func(d *jsonview.Doc) { loaded = append(loaded, d.Lines()) }
	v.SetBody([]byte(big), jsonview.Options{})
	if !v.loading.Visible() || !strings.HasPrefix(v.loadingText.Text, "Formatting 8.") {
		t.Errorf("while formatting: loading shown %v, %q", v.loading.Visible(), v.loadingText.Text)
	}
	v.SetBody([]byte(`[1]`), jsonview.Options{})
	wait(t, v)
	if len(loaded) != 1 || loaded[0] != 3 || v.Doc().Lines() != 3 {
		t.Errorf("loaded %v, shown %d lines; want only the newer body's 3", loaded, v.Doc().Lines())
	}
	if v.loading.Visible() {
		t.Error("still says Formatting")
	}
}

func TestRendersColouredLinesAndHits(t *testing.T) {
	v, w := newView(t, fyne.NewSize(520, 260))
	load(t, v, `{"id":7,"name":"Ada","ok":true,"tags":["ada"]}`, jsonview.Options{})
	search(t, v, "ada")
	test.AssertRendersToMarkup(t, "search.xml", w.Canvas())
}
