package kvtable

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"apidesk/engine/kv"
)

// show puts the table in a test window and returns its canvas.
func show(t *testing.T, tb *KeyValueTable) fyne.Canvas {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, tb)
	w.Resize(fyne.NewSize(600, 400))
	return w.Canvas()
}

func TestTypingIntoTheLastRowAddsOne(t *testing.T) {
	tb := New(kv.List{kv.On("Accept", "application/json")})
	var changes []kv.List
	tb.OnChanged = func(l kv.List) { changes = append(changes, l) }
	show(t, tb)

	if len(tb.rows) != 2 || !tb.rows[1].empty || !tb.rows[1].enabled.Disabled() || tb.rows[1].remove.Visible() {
		t.Fatalf("want one row and an empty last row without check or remove button")
	}
	test.Type(tb.rows[1].key, "X-Trace")
	if len(tb.rows) != 3 || tb.rows[1].empty || !tb.rows[2].empty {
		t.Fatalf("typing into the last row: %d rows, want 3 with a new empty last row", len(tb.rows))
	}
	if len(tb.box.Objects) != 3 {
		t.Errorf("%d rows shown, want 3", len(tb.box.Objects))
	}
	test.Type(tb.rows[1].value, "abc")
	want := kv.List{kv.On("Accept", "application/json"), kv.On("X-Trace", "abc")}
	if got := tb.Rows(); !reflect.DeepEqual(got, want) {
		t.Errorf("Rows() = %v, want %v", got, want)
	}
	if n := len(changes); n != len("X-Trace")+len("abc") {
		t.Errorf("OnChanged called %d times, want once per character typed", n)
	}
	if got := changes[len(changes)-1]; !reflect.DeepEqual(got, want) {
		t.Errorf("last OnChanged = %v, want %v", got, want)
	}
	if got := changes[0]; !reflect.DeepEqual(got, kv.List{kv.On("Accept", "application/json"), kv.On("X", "")}) {
		t.Errorf("first OnChanged = %v, want the new row enabled", got)
	}

	test.Tap(tb.rows[0].enabled)
	if got := changes[len(changes)-1][0]; got.Enabled {
		t.Errorf("unchecking a row: OnChanged gave %v, want it disabled", got)
	}
	test.Tap(tb.rows[0].remove)
	if got := changes[len(changes)-1]; !reflect.DeepEqual(got, kv.List{kv.On("X-Trace", "abc")}) {
		t.Errorf("after remove OnChanged = %v", got)
	}
	if len(tb.rows) != 2 || len(tb.box.Objects) != 2 {
		t.Errorf("after remove %d rows (%d shown), want 2", len(tb.rows), len(tb.box.Objects))
	}
}

func TestSetRowsDoesNotReportAChange(t *testing.T) {
	tb := New(nil)
	called := false
	tb.OnChanged = func(kv.List) { called = true }
	show(t, tb)
	rows := kv.List{kv.On("a", "1"), {Key: "b", Value: "2"}}
	tb.SetRows(rows)
	if called {
		t.Error("SetRows called OnChanged")
	}
	if got := tb.Rows(); !reflect.DeepEqual(got, rows) {
		t.Errorf("Rows() = %v, want %v", got, rows)
	}
	if tb.rows[1].enabled.Checked {
		t.Error("a disabled row is shown checked")
	}
}

var errNoSpace = errors.New("A header name cannot contain spaces: remove them.")

func headerRule(p kv.Pair) (keyErr, valErr error) {
	if strings.Contains(p.Key, " ") {
		keyErr = errNoSpace
	}
	if strings.Contains(p.Value, "\n") {
		valErr = errors.New("no line breaks")
	}
	return keyErr, valErr
}

func TestValidatorMessageShowsUnderTheRowWhenLeft(t *testing.T) {
	tb := New(kv.List{kv.On("Accept", "*/*")})
	tb.Validator = headerRule
	c := show(t, tb)

	r := tb.rows[0]
	c.Focus(r.key)
	r.key.SetText("Bad Name")
	if r.problems.Visible() {
		t.Fatal("a problem is shown before the user leaves the entry")
	}
	c.Focus(r.value) // leaves the key
	if !r.problems.Visible() || r.keyErr.Text != errNoSpace.Error() || r.valErr.Text != "" {
		t.Fatalf("after leaving: shown %v, key message %q, value message %q", r.problems.Visible(), r.keyErr.Text, r.valErr.Text)
	}
	test.AssertRendersToMarkup(t, "problem.xml", c)

	r.key.SetText("BadName") // fixing it clears the message as the user types
	if r.problems.Visible() || r.keyErr.Text != "" {
		t.Errorf("after fixing: shown %v, message %q", r.problems.Visible(), r.keyErr.Text)
	}
}

func TestValidateFocusesTheFirstProblem(t *testing.T) {
	tb := New(kv.List{kv.On("ok", "1"), kv.On("bad one", "2"), kv.On("bad two", "3")})
	tb.Validator = headerRule
	c := show(t, tb)
	if err := tb.Validate(); !errors.Is(err, errNoSpace) {
		t.Fatalf("Validate() = %v, want %v", err, errNoSpace)
	}
	if c.Focused() != tb.rows[1].key {
		t.Errorf("focused %v, want the key of the first bad row", c.Focused())
	}
	if !tb.rows[2].problems.Visible() {
		t.Error("the second bad row shows no problem")
	}
	tb.rows[1].key.SetText("one")
	tb.rows[2].key.SetText("two")
	if err := tb.Validate(); err != nil {
		t.Errorf("Validate() = %v after fixing", err)
	}
}

func TestSecretValuesArePasswordEntries(t *testing.T) {
	tb := New(kv.List{kv.On("Authorization", "Bearer xyz"), kv.On("Accept", "*/*")})
	tb.IsSecret = func(p kv.Pair) bool { return strings.EqualFold(p.Key, "authorization") }
	tb.SetRows(tb.Rows())
	show(t, tb)
	if !tb.rows[0].value.Password || tb.rows[1].value.Password {
		t.Fatalf("password entries: %v %v, want only the Authorization value", tb.rows[0].value.Password, tb.rows[1].value.Password)
	}
	if tb.rows[0].value.ActionItem == nil {
		t.Error("the secret value has no reveal button")
	}
	test.Type(tb.rows[1].key, "")
	tb.rows[1].key.SetText("authorization")
	if !tb.rows[1].value.Password || tb.rows[1].value.Text != "*/*" {
		t.Errorf("after the key became secret: password %v, text %q", tb.rows[1].value.Password, tb.rows[1].value.Text)
	}
	if tb.rows[1].values.Objects[1] != tb.rows[1].value {
		t.Error("the new password entry is not shown")
	}
	test.Type(tb.rows[1].value, "!")
	if got := tb.Rows()[1].Value; got != "*/*!" {
		t.Errorf("typing into the new entry: value %q", got)
	}
}

func TestPastingLineBreaksJoinsThemAndSaysSo(t *testing.T) {
	tb := New(kv.List{kv.On("X-Note", "")})
	tb.Validator = func(p kv.Pair) (error, error) {
		if strings.ContainsAny(p.Value, "\r\n") {
			return nil, errors.New("Header value may not contain a line break")
		}
		return nil, nil
	}
	c := show(t, tb)
	clip := fyne.CurrentApp().Clipboard()
	val := tb.rows[0].value
	c.Focus(val)
	clip.SetContent("first line\r\n  second line\n")
	val.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	if got := tb.Rows()[0].Value; got != "first line second line" {
		t.Fatalf("value after the paste %q, want its lines joined by one space", got)
	}
	if !tb.rows[0].problems.Visible() || !strings.Contains(tb.rows[0].valErr.Text, "line breaks") {
		t.Fatalf("under the value: %q (shown %v), want it to say the line breaks were joined", tb.rows[0].valErr.Text, tb.rows[0].problems.Visible())
	}
	test.Type(val, "!")
	if tb.rows[0].problems.Visible() {
		t.Errorf("the note stays after the value was edited: %q", tb.rows[0].valErr.Text)
	}
	clip.SetContent("plain")
	c.Focus(tb.rows[0].key)
	tb.rows[0].key.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	if tb.rows[0].problems.Visible() {
		t.Errorf("a paste without line breaks is noted: %q", tb.rows[0].keyErr.Text)
	}
}
