package workspace

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// typedQuery uses a variable of every type, with everything a variable can have saved.
func typedQuery(resourceID string) *query.Query {
	return &query.Query{
		Name: "Refund order", ResourceID: resourceID, Method: "POST", Path: "/orders/{{order_id}}/refund",
		Params: kv.List{kv.On("amount", "{{amount}}"), kv.On("count", "{{count}}"), kv.On("notify", "{{notify}}"),
			kv.On("on", "{{day}}"), kv.On("at", "{{at}}"), kv.On("status", "{{status}}"), kv.On("note", "{{note}}")},
		Headers: kv.List{kv.On("X-Session", "{{session}}")},
		Variables: []query.Variable{
			{Name: "order_id", Label: "Order", Description: "As on the invoice", Pattern: `[A-Z]{2}-\d+`, Default: "AB-1"},
			{Name: "amount", Type: query.TypeNumber, Min: "0.01", Max: "500", Default: "10.50"},
			{Name: "count", Type: query.TypeInteger, Optional: true, Max: "3"},
			{Name: "notify", Label: "Tell the customer", Type: query.TypeBoolean, Default: "true"},
			{Name: "day", Type: query.TypeDate, Min: "2026-01-01"},
			{Name: "at", Type: query.TypeDateTime, Optional: true},
			{Name: "status", Type: query.TypeChoice, Options: []query.Option{{Value: "open", Label: "Open"}, {Value: "closed", Label: "Closed: no more changes"}, {Value: "true"}}},
			{Name: "note", Type: query.TypeMultiline, Description: "For the customer"},
			{Name: "session", Type: query.TypeSecret, Label: "Session cookie"},
		},
	}
}

func TestTypedVariablesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir)
	r := &resource.Resource{Name: "Billing", BaseURL: "https://billing.example.com"}
	if err := w.SaveResource(t.Context(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	q := typedQuery(r.ID)
	if err := w.SaveQuery(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	back, problems := mustLoad(t, dir)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	got, err := back.QueryByID(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, normalizedQuery(q)) {
		t.Errorf("query came back changed:\n got %#v\nwant %#v", got.Variables, q.Variables)
	}
}

// A secret's default never reaches the file, whoever tries to save one, and a file that has one (written by
// hand) is refused with words that say why.
func TestASecretDefaultIsNeverWritten(t *testing.T) {
	q := typedQuery("r0")
	q.ID = "q0"
	q.Variables[len(q.Variables)-1].Default = "s3cr3t-session-value"
	data, err := encodeQuery(q, "Billing")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "s3cr3t") {
		t.Fatalf("the file holds the secret:\n%s", data)
	}

	dir := t.TempDir()
	w := mustOpen(t, dir)
	r := &resource.Resource{Name: "Billing", BaseURL: "https://billing.example.com"}
	if err := w.SaveResource(t.Context(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	q.ResourceID = r.ID
	if err := w.SaveQuery(t.Context(), q); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("saving a secret's default: %v", err)
	}

	hand := strings.Replace(string(data), "label: Session cookie", "label: Session cookie\n    default: s3cr3t-session-value", 1)
	writeRaw(t, dir, "queries/refund.yaml", hand)
	_, problems := mustLoad(t, dir)
	if len(problems) != 1 || !problems[0].Skipped || !strings.Contains(problems[0].Msg, "{{session}} holds a secret, and its default does not belong in a workspace file") ||
		strings.Contains(problems[0].Msg, "s3cr3t") {
		t.Errorf("problems %v", problems)
	}
}

// A file written before variables had types loads as it did and is written back byte for byte.
func TestOldVariablesLoadAndSaveUnchanged(t *testing.T) {
	const old = `# apidesk saved query. It runs on the resource whose id is given in resource: (the name beside the id is a
# note for readers: the id decides).
version: 1
id: b1c2d3e4f5061728
name: Create issue
resource: 4e5f60718293a4b5 # GitHub
method: POST
path: /repos/{{owner}}/{{repo}}/issues
variables:
  - {name: owner, default: apidesk}
  - {name: repo}
  - {name: title, description: 'One line: what is wrong'}
`
	q, _, errs := decodeQuery([]byte(old))
	if errs != nil {
		t.Fatal(errs)
	}
	want := []query.Variable{{Name: "owner", Default: "apidesk"}, {Name: "repo"}, {Name: "title", Description: "One line: what is wrong"}}
	if !reflect.DeepEqual(q.Variables, want) {
		t.Errorf("variables %#v", q.Variables)
	}
	data, err := encodeQuery(q, "GitHub")
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != old {
		t.Errorf("written back differently:\n%s", data)
	}
}

func TestTypedVariableProblemsHaveTheirLine(t *testing.T) {
	dir := t.TempDir()
	saveSample(t, dir)
	p := filepath.Join(dir, "queries", "create-issue.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "type: integer", "type: colour", 1)
	if err := os.WriteFile(p, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, problems := mustLoad(t, dir)
	line := 1 + strings.Count(bad[:strings.Index(bad, "type: colour")], "\n")
	if len(problems) != 1 || problems[0].Line != line || !strings.Contains(problems[0].Msg, `Unknown type "colour" for {{request_id}}`) {
		t.Errorf("problems %v, want one at line %d", problems, line)
	}
}
