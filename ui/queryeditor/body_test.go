package queryeditor

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

// choosing makes the editor's Choose… buttons pick path, as the person would in the file dialog.
func (fx *fixture) choosing(path string) {
	fx.ed.chooseFile = func(_, _ string, done func(string)) { done(path) }
}

// writeFile writes a real file for a body to send, and returns its path.
func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// typeIn types s into the entry of a row, as a person would.
func (fx *fixture) typeIn(e fyne.Focusable, s string) {
	fx.win.Canvas().Focus(e)
	test.Type(e, s)
	fx.win.Canvas().Unfocus()
}

// saveable fails the test when the engine does not take the body kind the editor holds.
func saveable(t *testing.T, q *query.Query) {
	t.Helper()
	if msg := q.Validate().For("body.kind"); msg != "" {
		t.Fatalf("the engine refuses the body: %s", msg)
	}
}

// A multipart form's fields, text and file, are kept as typed and chosen (a file inside the workspace by its
// path relative to it), survive switching to another kind of body and back, and come back when the query is
// shown again.
func TestMultipartBodyFieldsAreKeptAndShownAgain(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Method: "POST", Path: "/items"})
	ed := fx.ed
	ed.bodyKind.SetSelected(bodyMultipart)
	if !ed.bodyPartsBox.Visible() || ed.bodyTextBox.Visible() || ed.fileBody.box.Visible() {
		t.Fatal("the multipart fields are not what the Body tab shows")
	}

	fx.typeIn(ed.parts.rows[0].name, "title")
	fx.typeIn(ed.parts.rows[0].value, "{{title}}")
	if len(ed.parts.rows) != 2 {
		t.Fatalf("%d rows after typing into the empty one, want a new empty row", len(ed.parts.rows))
	}
	photo := writeFile(t, filepath.Join(fx.ws.Dir(), "samples", "photo.png"), "\x89PNG not really")
	fx.choosing(photo)
	r := ed.parts.rows[1]
	r.kind.SetSelected(partFile)
	if !r.fileBox.Visible() || r.value.Visible() || !r.fileLine.Visible() {
		t.Fatal("a File field does not show its file, name and type")
	}
	test.Tap(r.choose)
	if r.path.Text != "samples/photo.png" {
		t.Errorf("the file chosen inside the workspace shows as %q", r.path.Text)
	}
	if r.filename.PlaceHolder != "photo.png (file name sent)" || r.ctype.PlaceHolder != "image/png (content type)" {
		t.Errorf("placeholders: file name %q, type %q", r.filename.PlaceHolder, r.ctype.PlaceHolder)
	}
	if r.problem.Visible() {
		t.Errorf("a file that is there is warned about: %q", r.problem.Text)
	}
	fx.typeIn(r.filename, "me.png")
	outside := writeFile(t, filepath.Join(t.TempDir(), "notes.txt"), "hello")
	fx.choosing(outside)
	r2 := ed.parts.rows[2]
	fx.typeIn(r2.name, "notes")
	r2.kind.SetSelected(partFile)
	test.Tap(r2.choose)
	fx.typeIn(r2.ctype, "text/markdown")
	test.Tap(r2.enabled) // kept, not sent
	want := []query.Part{
		{Name: "title", Value: "{{title}}", Enabled: true},
		{Name: "photo", File: "samples/photo.png", Filename: "me.png", Enabled: true},
		{Name: "notes", File: outside, ContentType: "text/markdown"},
	}
	// The second row's name was not typed yet: type it now, after its file.
	fx.typeIn(r.name, "photo")
	if got := ed.collect().Body; got.Kind != query.BodyMultipart || !reflect.DeepEqual(got.Parts, want) {
		t.Fatalf("the editor holds %+v\nwant %+v", got.Parts, want)
	}
	if !ed.Dirty() {
		t.Error("not dirty after editing the fields")
	}

	// Switching to JSON and back loses nothing; the JSON typed meanwhile stays too.
	ed.bodyKind.SetSelected(bodyJSON)
	ed.bodyText.SetText(`{"a": 1}`)
	ed.bodyKind.SetSelected(bodyFile)
	ed.bodyKind.SetSelected(bodyMultipart)
	if got := ed.collect().Body.Parts; !reflect.DeepEqual(got, want) {
		t.Errorf("after switching kinds: %+v", got)
	}
	ed.bodyKind.SetSelected(bodyJSON)
	if ed.bodyText.Text != `{"a": 1}` {
		t.Errorf("the JSON typed was lost: %q", ed.bodyText.Text)
	}
	ed.bodyKind.SetSelected(bodyMultipart)

	// Shown again: the same rows.
	q := ed.collect()
	fx.open(&query.Query{Method: "GET"})
	if len(ed.parts.parts()) != 0 {
		t.Fatal("another query shows the last one's fields")
	}
	ed.Edit(q, fx.res)
	if ed.bodyKind.Selected != bodyMultipart || ed.tabs.Selected() != ed.bodyTab {
		t.Errorf("shown again on %q, body %q", ed.tabs.Selected().Text, ed.bodyKind.Selected)
	}
	if got := ed.collect().Body.Parts; !reflect.DeepEqual(got, want) {
		t.Errorf("shown again: %+v", got)
	}
	if r := ed.parts.rows[1]; r.kind.Selected != partFile || r.path.Text != "samples/photo.png" || r.filename.Text != "me.png" || !r.fileBox.Visible() {
		t.Errorf("the file field shown again: %q %q %q", r.kind.Selected, r.path.Text, r.filename.Text)
	}
	if r := ed.parts.rows[2]; r.enabled.Checked || r.ctype.Text != "text/markdown" {
		t.Errorf("the disabled field shown again: enabled %v, type %q", r.enabled.Checked, r.ctype.Text)
	}

	saveable(t, q)
	q.Name = "upload"
	if err := fx.ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	ed.Edit(q, fx.res)
	ed.parts.rows[0].value.SetText("{{title}}!")
	test.Tap(ed.saveBtn)
	fx.app.Wait(t, ed.Tasks())
	if ed.banner.Visible() {
		t.Fatalf("not saved: %s %s", ed.banner.Headline(), ed.banner.Message())
	}
	saved, err := fx.ws.QueryByID(q.ID)
	want[0].Value = "{{title}}!"
	if err != nil || !reflect.DeepEqual(saved.Body.Parts, want) {
		t.Errorf("saved %+v, %v", saved.Body.Parts, err)
	}
	if text := uitest.Files(t, fx.ws.Dir())["queries/upload.yaml"]; strings.Contains(text, "PNG not really") || !strings.Contains(text, "samples/photo.png") {
		t.Errorf("the query file holds the file's content or not its path:\n%s", text)
	}
}

// A file field with no file chosen is not sent or saved: it says so under its row.
func TestAFileFieldWithoutItsFileIsNotSentOrSaved(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	q := &query.Query{ID: "q-upload", Name: "upload", Method: "POST", Path: "/items", ResourceID: fx.res.ID,
		Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{{Name: "a", Value: "1", Enabled: true}}}}
	fx.ed.Edit(q, fx.res)
	fx.ed.tabs.SelectIndex(0)
	r := fx.ed.parts.rows[1]
	fx.typeIn(r.name, "photo")
	r.kind.SetSelected(partFile)
	fx.ed.Send()
	fx.ed.Save(nil)
	fx.app.Wait(t, fx.ed.Tasks())
	if len(srv.seen()) != 0 {
		t.Error("sent with a file field that has no file")
	}
	if len(fx.saved) != 0 {
		t.Error("saved with a file field that has no file")
	}
	if !r.problem.Visible() || !strings.Contains(r.problem.Text, "Choose the file to send for the field photo") {
		t.Errorf("under the row: %q (shown %v)", r.problem.Text, r.problem.Visible())
	}
	if fx.ed.tabs.Selected() != fx.ed.bodyTab || fx.win.Canvas().Focused() != r.path {
		t.Errorf("on tab %q, focused %T", fx.ed.tabs.Selected().Text, fx.win.Canvas().Focused())
	}
	if !strings.Contains(fx.ed.sendProblem.Text, "Choose the file") {
		t.Errorf("under Send: %q", fx.ed.sendProblem.Text)
	}
	// A file that is not there is said before sending, but does not stop the person saving the path.
	fx.typeIn(r.path, "samples/missing.png")
	if !r.problem.Visible() || !strings.Contains(r.problem.Text, "There is no file at samples/missing.png") {
		t.Errorf("under a row with a missing file: %q", r.problem.Text)
	}
}

// A File body: the file typed or chosen (outside the workspace: its absolute path), its size said, its content
// type guessed unless typed; kept when the query is shown again; not sent without a file.
func TestFileBodyIsKeptAndShownAgain(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.open(&query.Query{Method: "PUT", Path: "/items/1"})
	ed, b := fx.ed, fx.ed.fileBody
	ed.bodyKind.SetSelected(bodyFile)
	if !b.box.Visible() || ed.bodyPartsBox.Visible() || ed.bodyTextBox.Visible() {
		t.Fatal("the file's inputs are not what the Body tab shows")
	}
	ed.Send()
	fx.app.Wait(t, ed.Tasks())
	if len(srv.seen()) != 0 || !strings.Contains(ed.sendProblem.Text, "Choose the file to send as the body") {
		t.Errorf("without a file: sent %v, under Send %q", srv.seen(), ed.sendProblem.Text)
	}
	if fx.win.Canvas().Focused() != b.path || !b.note.Visible() || b.note.Text != "Choose the file to send as the body" {
		t.Errorf("focused %T, under the file %q", fx.win.Canvas().Focused(), b.note.Text)
	}

	item := writeFile(t, filepath.Join(t.TempDir(), "item.json"), `{"id": 1, "name": "one"}`)
	fx.choosing(item)
	test.Tap(b.choose)
	if b.path.Text != item {
		t.Errorf("a file outside the workspace shows as %q, want %q", b.path.Text, item)
	}
	if b.ctype.PlaceHolder != "application/json (guessed from the name)" {
		t.Errorf("content type placeholder %q", b.ctype.PlaceHolder)
	}
	if !strings.HasPrefix(b.note.Text, "24 B") {
		t.Errorf("under the file: %q", b.note.Text)
	}
	if got := ed.collect().Body; !reflect.DeepEqual(got, query.Body{Kind: query.BodyFile, File: item}) {
		t.Errorf("the editor holds %+v", got)
	}
	fx.typeIn(b.ctype, "application/merge-patch+json")
	q := ed.collect()

	// Raw keeps its own content type; the file's stays when switching.
	ed.bodyKind.SetSelected(bodyRaw)
	if ed.contentType.Text != "text/plain" {
		t.Errorf("Raw's content type shows %q", ed.contentType.Text)
	}
	ed.bodyKind.SetSelected(bodyFile)
	if got := ed.collect(); !reflect.DeepEqual(got.Body, q.Body) {
		t.Errorf("after switching kinds %+v", got.Body)
	}

	fx.open(&query.Query{Method: "GET"})
	if b.path.Text != "" || b.ctype.Text != "" {
		t.Error("another query shows the last one's file")
	}
	ed.Edit(q, fx.res)
	if ed.bodyKind.Selected != bodyFile || b.path.Text != item || b.ctype.Text != "application/merge-patch+json" {
		t.Errorf("shown again: %q %q %q", ed.bodyKind.Selected, b.path.Text, b.ctype.Text)
	}
	if err := os.Remove(item); err != nil {
		t.Fatal(err)
	}
	fx.typeIn(b.path, " ")
	if !strings.Contains(b.note.Text, "There is no file at "+item) {
		t.Errorf("under a file that went: %q", b.note.Text)
	}

	saveable(t, q)
	fx.open(&query.Query{Method: "PUT", Path: "/items/1", Name: "put"})
	inside := writeFile(t, filepath.Join(fx.ws.Dir(), "samples", "item.json"), `{}`)
	ed.bodyKind.SetSelected(bodyFile)
	fx.choosing(inside)
	test.Tap(b.choose)
	q = ed.collect()
	q.ID, q.Name = "", "put"
	if err := fx.ws.SaveQuery(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if saved, err := fx.ws.QueryByID(q.ID); err != nil || saved.Body.File != "samples/item.json" {
		t.Errorf("saved %+v, %v", saved, err)
	}
}

// The Body tab with each kind of body fits the editor's place beside the sidebar of an 800 px window.
func TestBodyTabFits800Wide(t *testing.T) {
	srv := newItemsServer(t)
	fx := newFixture(t, srv.Server, resource.Auth{Kind: resource.AuthNone})
	fx.win.Resize(fyne.NewSize(800, 600))
	fx.open(&query.Query{Method: "POST", Path: "/items", Params: kv.List{kv.On("a", "b")},
		Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
			{Name: "title", Value: "A long title for the item that does not fit", Enabled: true},
			{Name: "photo", File: "samples/a-photo-with-a-long-name-taken-on-holiday.png", Filename: "holiday.png", ContentType: "image/png", Enabled: true},
		}}})
	for _, kind := range []string{bodyMultipart, bodyFile, bodyRaw, bodyForm} {
		fx.ed.bodyKind.SetSelected(kind)
		fx.ed.tabs.Select(fx.ed.bodyTab)
		if w := fx.ed.Content().MinSize().Width; w > besideSidebar {
			t.Errorf("with a %s body the editor needs %.0f px, more than the %d px an 800 px window leaves it", kind, w, besideSidebar)
		}
	}
	fx.ed.bodyKind.SetSelected(bodyMultipart)
	fx.win.Resize(fyne.NewSize(besideSidebar, 600))
	test.LaidOutObjects(fx.ed.Content())
	r := fx.ed.parts.rows[1]
	for name, o := range map[string]fyne.CanvasObject{"name": r.name, "path": r.path, "file name": r.filename, "content type": r.ctype} {
		if o.Size().Width < 90 {
			t.Errorf("the %s entry is %v px wide", name, o.Size().Width)
		}
	}
}
