package postman

import (
	"encoding/json"
	"mime"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/query"
)

// languages are the content types of a raw body's language in Postman.
var languages = map[string]string{
	"json": "application/json", "xml": "application/xml", "html": "text/html", "javascript": "application/javascript",
	"text": "text/plain", "graphql": "application/json",
}

// body reads a request's body; a Content-Type header it makes redundant is dropped.
func (r *reader) body(p *pending, b *body) {
	q := &p.q
	if b == nil || b.Mode == "" {
		return
	}
	ct, hasCT := contentType(q.Headers)
	hasCT = hasCT && strings.TrimSpace(ct) != ""
	mode := strings.ToLower(string(b.Mode))
	if b.Disabled {
		r.plan.Leave(p.where, "its body", "it is switched off in Postman")
		return
	}
	switch mode {
	case "raw":
		text := string(b.Raw)
		if text == "" {
			return
		}
		lang := strings.ToLower(string(b.Options.Raw.Language))
		if !hasCT {
			ct = languages[lang]
			if ct == "" {
				ct = "text/plain"
			}
		}
		if mediaType(ct) == "application/json" && query.ValidateJSON(text) == nil {
			q.Body = query.Body{Kind: query.BodyJSON, Text: text}
		} else {
			q.Body = query.Body{Kind: query.BodyRaw, Text: text, ContentType: ct}
		}
	case "urlencoded":
		q.Body = query.Body{Kind: query.BodyForm, Form: rows(b.URLEncoded)}
		if len(q.Body.Form) == 0 {
			q.Body = query.Body{}
		}
	case "formdata":
		q.Body = query.Body{Kind: query.BodyMultipart}
		for _, f := range b.FormData {
			name := strings.TrimSpace(string(f.Key))
			if strings.EqualFold(string(f.Type), "file") {
				files := stringList(f.Src)
				if len(files) == 0 {
					if name != "" {
						r.plan.Leave(p.where, "the form field "+name, "no file is chosen for it in Postman")
					}
					continue
				}
				for _, src := range files {
					q.Body.Parts = append(q.Body.Parts, query.Part{Name: name, File: src, ContentType: string(f.ContentType), Enabled: !bool(f.Disabled)})
				}
				continue
			}
			if name == "" && f.Value == "" {
				continue
			}
			q.Body.Parts = append(q.Body.Parts, query.Part{Name: name, Value: string(f.Value), ContentType: string(f.ContentType), Enabled: !bool(f.Disabled)})
		}
		if len(q.Body.Parts) == 0 {
			q.Body = query.Body{}
		}
	case "file":
		var f struct {
			Src     text `json:"src"`
			Content text `json:"content"`
		}
		if len(b.File) > 0 && b.File[0] == '"' {
			_ = decodeQuiet(b.File, &f.Src)
		} else {
			_ = decodeQuiet(b.File, &f)
		}
		switch {
		case f.Src != "":
			q.Body = query.Body{Kind: query.BodyFile, File: string(f.Src), ContentType: ct}
		case f.Content != "":
			if ct == "" {
				ct = "application/octet-stream"
			}
			q.Body = query.Body{Kind: query.BodyRaw, Text: string(f.Content), ContentType: ct}
		default:
			r.plan.Leave(p.where, "its file body", "no file is chosen for it in Postman")
		}
	case "graphql":
		var g struct {
			Query         text `json:"query"`
			Variables     text `json:"variables"`
			OperationName text `json:"operationName"`
		}
		_ = decodeQuiet(b.GraphQL, &g)
		if strings.TrimSpace(string(g.Query)) == "" && strings.TrimSpace(string(g.Variables)) == "" {
			return // an empty GraphQL body, which Postman does not send
		}
		q.Body = graphQL(string(g.Query), string(g.Variables), string(g.OperationName))
		r.plan.Leave(p.where, "its GraphQL body as Postman keeps it", "apidesk sends it as the JSON a GraphQL server reads: {\"query\": …, \"variables\": …}")
	default:
		r.plan.Leave(p.where, "its body of the kind "+mode, "apidesk does not know it")
		return
	}
	if hasCT && implied(q.Body, ct) {
		q.Headers = withoutContentType(q.Headers)
	}
}

// graphQL is a GraphQL request as JSON: {"query": …, "variables": …}. Variables that are not JSON (they may
// hold {{variables}} where a value goes) are written as they are, so the body is raw JSON.
func graphQL(query_, vars, op string) query.Body {
	enc := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	text := `{"query": ` + enc(query_)
	if op != "" {
		text += `, "operationName": ` + enc(op)
	}
	if v := strings.TrimSpace(vars); v != "" {
		text += `, "variables": ` + v
	}
	text += "}"
	if query.ValidateJSON(text) == nil {
		return query.Body{Kind: query.BodyJSON, Text: text}
	}
	return query.Body{Kind: query.BodyRaw, Text: text, ContentType: "application/json"}
}

// contentType is the value of the enabled Content-Type header.
func contentType(h kv.List) (string, bool) {
	return h.Get("Content-Type", true)
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
		return strings.ToLower(strings.TrimSpace(mt))
	}
	return mt
}

// implied reports whether a Content-Type header says no more than the body does.
func implied(b query.Body, ct string) bool {
	switch b.Kind {
	case query.BodyJSON:
		return strings.EqualFold(strings.TrimSpace(ct), "application/json")
	case query.BodyForm:
		return mediaType(ct) == "application/x-www-form-urlencoded" && !strings.Contains(ct, ";")
	case query.BodyMultipart:
		return mediaType(ct) == "multipart/form-data"
	case query.BodyRaw, query.BodyFile:
		return ct == b.ContentType
	}
	return false
}

func withoutContentType(h kv.List) kv.List {
	var out kv.List
	for _, p := range h {
		if !(p.Enabled && strings.EqualFold(p.Key, "Content-Type")) {
			out = append(out, p)
		}
	}
	return out
}
