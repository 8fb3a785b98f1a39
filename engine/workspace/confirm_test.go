package workspace

import (
	"strings"
	"testing"

	"apidesk/engine/query"
)

// A query marked to ask before it runs keeps the mark in its file, as confirm: true; one not marked writes no
// such line, so files written before it are unchanged (TestOldVariablesLoadAndSaveUnchanged).
func TestConfirmRoundTrip(t *testing.T) {
	q := &query.Query{ID: "q1", Name: "Look up", ResourceID: "r1", Method: "GET", Path: "/users", Confirm: true}
	data, err := encodeQuery(q, "CRM")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nconfirm: true\n") {
		t.Fatalf("no confirm line:\n%s", data)
	}
	back, _, errs := decodeQuery(data)
	if errs != nil || !back.Confirm {
		t.Fatalf("read back %+v, %v", back, errs)
	}
	q.Confirm = false
	data, _ = encodeQuery(q, "CRM")
	if strings.Contains(string(data), "confirm") {
		t.Errorf("a query not marked writes confirm:\n%s", data)
	}
	bad := strings.Replace(string(data), "path: /users\n", "path: /users\nconfirm: perhaps\n", 1)
	if _, _, errs := decodeQuery([]byte(bad)); len(errs) != 1 || !strings.Contains(errs[0].msg, "confirm must be true or false") {
		t.Errorf("confirm: perhaps gives %v", errs)
	}
}
