package query

import (
	"reflect"
	"strings"
	"testing"
)

func TestMultipartAndFileVariables(t *testing.T) {
	q := &Query{Body: Body{Kind: BodyMultipart, Parts: []Part{
		{Name: "{{field}}", Value: "hello {{who}}", Enabled: true},
		{Name: "off", Value: "{{disabled}}"}, // disabled: not sent, so not asked for
		{Name: "avatar", File: "samples/{{user}}.png", Filename: "{{user}}-avatar.png", ContentType: "image/png", Enabled: true},
	}}}
	if got, want := q.VariableNames(nil), []string{"field", "who", "user"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("VariableNames = %v, want %v", got, want)
	}
	p := q.Parts(nil)
	if len(p.Body.Parts) != 2 {
		t.Fatalf("Parts carries %d parts, want the 2 enabled ones: %+v", len(p.Body.Parts), p.Body.Parts)
	}
	p.Map(func(s string) string {
		return strings.NewReplacer("{{field}}", "greeting", "{{who}}", "Ann", "{{user}}", "ann").Replace(s)
	})
	want := []Part{
		{Name: "greeting", Value: "hello Ann", Enabled: true},
		{Name: "avatar", File: "samples/ann.png", Filename: "ann-avatar.png", ContentType: "image/png", Enabled: true},
	}
	if !reflect.DeepEqual(p.Body.Parts, want) {
		t.Fatalf("mapped parts %+v\nwant %+v", p.Body.Parts, want)
	}
	if q.Body.Parts[0].Name != "{{field}}" || q.Body.Parts[2].File != "samples/{{user}}.png" {
		t.Fatalf("Map changed the query's own parts: %+v", q.Body.Parts)
	}

	f := &Query{Body: Body{Kind: BodyFile, File: "uploads/{{name}}.csv", ContentType: "text/csv"}}
	if got, want := f.VariableNames(nil), []string{"name"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("file body VariableNames = %v, want %v", got, want)
	}
	fp := f.Parts(nil)
	fp.Map(func(s string) string { return strings.ReplaceAll(s, "{{name}}", "june") })
	if fp.Body.File != "uploads/june.csv" || fp.Body.ContentType != "text/csv" || fp.Body.Kind != BodyFile {
		t.Fatalf("file body parts %+v", fp.Body)
	}
}

func TestValidateBodies(t *testing.T) {
	base := Query{Name: "Upload", ResourceID: "r1", Method: "POST"}
	tests := []struct {
		name  string
		body  Body
		field string
		want  string
	}{
		{"multipart ok", Body{Kind: BodyMultipart, Parts: []Part{{Name: "a", Value: "line 1\nline 2", Enabled: true}, {Name: "f", File: "x.png", ContentType: "image/png"}}}, "", ""},
		{"part without name", Body{Kind: BodyMultipart, Parts: []Part{{Name: "a"}, {Name: " ", Value: "x"}}}, "body.parts[1].name", "Each field of the multipart form needs a name"},
		{"name on two lines", Body{Kind: BodyMultipart, Parts: []Part{{Name: "a\r\nX-Evil: 1"}}}, "body.parts[0].name", `The name of the field "a\r\nX-Evil: 1" must be on one line`},
		{"file part without file", Body{Kind: BodyMultipart, Parts: []Part{{Name: "doc", Filename: "doc.pdf"}}}, "body.parts[0].file", `The file field "doc" has no file: choose the file to send`},
		{"file name on two lines", Body{Kind: BodyMultipart, Parts: []Part{{Name: "doc", File: "a.pdf", Filename: "a\nb"}}}, "body.parts[0].filename", `The file name sent for "doc" must be on one line`},
		{"part content type", Body{Kind: BodyMultipart, Parts: []Part{{Name: "doc", File: "a.pdf", ContentType: "pdf"}}}, "body.parts[0].content_type", `Content type "pdf" is not valid`},
		{"file ok", Body{Kind: BodyFile, File: "data/x.bin"}, "", ""},
		{"file missing", Body{Kind: BodyFile, ContentType: "text/csv"}, "body.file", "Choose the file to send"},
		{"file content type", Body{Kind: BodyFile, File: "x.csv", ContentType: "text/csv; charset"}, "body.content_type", `Content type "text/csv; charset" is not valid`},
		{"unknown kind", Body{Kind: "xml"}, "body.kind", `Unknown body kind "xml": choose none, json, form, raw, multipart or file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := base
			q.Body = tt.body
			es := q.Validate()
			if tt.field == "" {
				if len(es) != 0 {
					t.Fatalf("valid body refused: %v", es)
				}
				return
			}
			if got := es.For(tt.field); got == "" || !strings.HasPrefix(got, tt.want) {
				t.Fatalf("message for %s = %q, want prefix %q (all: %v)", tt.field, got, tt.want, es)
			}
		})
	}
}

func TestContentTypeOf(t *testing.T) {
	for path, want := range map[string]string{
		"a/cat.PNG":   "image/png",
		"report.pdf":  "application/pdf",
		"data.json":   "application/json",
		"blob":        "application/octet-stream",
		"x.unknownxx": "application/octet-stream",
	} {
		if got := ContentTypeOf(path); got != want {
			t.Errorf("ContentTypeOf(%q) = %q, want %q", path, got, want)
		}
	}
}
