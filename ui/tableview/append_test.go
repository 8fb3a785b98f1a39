package tableview

import (
	"strings"
	"testing"

	"apidesk/engine/jsonview"
)

// Append adds the next page's rows after the table's, keeping where the summary says they come from, new
// columns, and the sort.
func TestAppendKeepsPathAndSort(t *testing.T) {
	v, a := newView(t)
	load(t, v, a, `{"data": [{"id": 3, "name": "Cy"}, {"id": 1, "name": "ada"}]}`)
	v.onHeaderTapped(0)
	a.Wait(t, v.Tasks())
	appended := false
	v.OnAppended = func(_ *jsonview.Table, err error) {
		if err != nil {
			t.Errorf("append: %v", err)
		}
		appended = true
	}
	v.Append([][]byte{[]byte(`{"id": 2, "name": "Bob", "email": "b@example.com"}`)})
	a.Wait(t, v.Tasks())
	if !appended {
		t.Fatal("OnAppended was not called")
	}
	if want := `3 rows × 3 columns from "data", sorted by id, ascending`; v.summary.Text != want {
		t.Errorf("summary %q, want %q", v.summary.Text, want)
	}
	var ids []string
	for _, line := range strings.Split(grid(v), "\n")[1:] {
		ids = append(ids, strings.Split(line, " | ")[0])
	}
	if got := strings.Join(ids, ","); got != "1,2,3" {
		t.Errorf("ids %s, want the appended row sorted in", got)
	}
}
