package openapi

import (
	"bytes"
	"encoding/json"
	"math"
	"mime"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/sensitive"
)

// A skeleton of a schema goes this deep, and has at most this many values, so that a large or recursive schema
// makes a body a person can read.
const (
	maxDepth = 6
	maxNodes = 2000
)

// bodyClass is how a media type's body is sent.
type bodyClass int

const (
	classJSON bodyClass = iota
	classForm
	classMultipart
	classRaw
	classFile
)

func classify(mediaType string, mt *openapi3.MediaType) bodyClass {
	base, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		base = strings.ToLower(strings.TrimSpace(mediaType))
	}
	switch {
	case base == "application/json" || strings.HasSuffix(base, "+json") || strings.HasSuffix(base, "/json") || strings.Contains(base, "json"):
		return classJSON
	case base == "application/x-www-form-urlencoded":
		return classForm
	case strings.HasPrefix(base, "multipart/"):
		return classMultipart
	case strings.HasPrefix(base, "text/") || strings.HasSuffix(base, "xml") || strings.Contains(base, "yaml") || strings.Contains(base, "graphql") || base == "application/javascript":
		return classRaw
	case base == "*/*" && mt != nil && mt.Schema != nil && mt.Schema.Value != nil && (typeIs(mt.Schema.Value, "object") || typeIs(mt.Schema.Value, "array")):
		return classJSON
	}
	return classFile
}

// body makes the query's body from an operation's request body: the first of its media types apidesk sends
// best (JSON, a form, a multipart form, text, a file).
func (r *reader) body(rb *openapi3.RequestBody, where string, names *namer) (query.Body, []query.Variable, error) {
	types := sortedKeys(rb.Content)
	if len(types) == 0 {
		return query.Body{Kind: query.BodyNone}, nil, nil
	}
	slices.SortStableFunc(types, func(a, b string) int {
		ca, cb := classify(a, rb.Content[a]), classify(b, rb.Content[b])
		if ca != cb {
			return int(ca) - int(cb)
		}
		// application/json before its variants
		return boolRank(!strings.EqualFold(a, "application/json")) - boolRank(!strings.EqualFold(b, "application/json"))
	})
	chosen := types[0]
	if len(types) > 1 {
		r.plan.Leave(where+".content", "the body as "+strings.Join(types[1:], ", "), "the query sends it as "+chosen+": change its body to send it another way")
	}
	mt := rb.Content[chosen]
	if mt == nil {
		mt = &openapi3.MediaType{}
	}
	if mt.Schema != nil && mt.Schema.Value == nil {
		return query.Body{}, nil, r.circular(where+".content."+chosen+".schema", mt.Schema.Ref)
	}
	k := &skeleton{r: r, names: names, where: where + ".content." + chosen + ".schema"}
	var b query.Body
	switch classify(chosen, mt) {
	case classJSON:
		b.Kind = query.BodyJSON
		if base, _, _ := mime.ParseMediaType(chosen); base != "application/json" && !strings.Contains(chosen, "*") && query.ValidateContentType(chosen) == nil {
			b.ContentType = chosen // query sets it as a header: a JSON body is sent as application/json
		}
		if text, ok := exampleText(mt); ok {
			b.Text = text
		} else if mt.Schema != nil {
			var sb strings.Builder
			k.write(&sb, mt.Schema, "", 0, nil, true)
			b.Text = sb.String()
		}
	case classForm:
		b.Kind = query.BodyForm
		props, required := k.props(schemaOf(mt.Schema))
		for _, name := range sortedKeys(props) {
			ps := props[name]
			if ps.Value == nil {
				k.fail(name, ps.Ref)
				continue
			}
			if ps.Value.ReadOnly {
				continue
			}
			if err := rowName("query", name); err != nil {
				r.plan.Leave(k.where+".properties."+name, "the form field "+name, lowerFirst(err.Error()))
				continue
			}
			v := describe(names.name(name, "body"), ps.Value, required[name], sensitive.Param(name))
			b.Form = append(b.Form, kv.Pair{Key: name, Value: "{{" + v.Name + "}}", Enabled: required[name] || v.Default != ""})
			k.vars = append(k.vars, v)
		}
	case classMultipart:
		b.Kind = query.BodyMultipart
		props, required := k.props(schemaOf(mt.Schema))
		for _, name := range sortedKeys(props) {
			ps := props[name]
			if ps.Value == nil {
				k.fail(name, ps.Ref)
				continue
			}
			if ps.Value.ReadOnly {
				continue
			}
			if err := rowName("query", name); err != nil {
				r.plan.Leave(k.where+".properties."+name, "the form field "+name, lowerFirst(err.Error()))
				continue
			}
			if isFile(ps.Value) {
				v := query.Variable{Name: names.name(name, "body"), Optional: !required[name], Description: clip(strings.TrimSpace(ps.Value.Description))}
				if v.Description == "" {
					v.Description = "The path of the file to send"
				}
				part := query.Part{Name: name, File: "{{" + v.Name + "}}", Enabled: required[name]}
				if e := mt.Encoding[name]; e != nil && !strings.ContainsAny(e.ContentType, "*,") && query.ValidateContentType(e.ContentType) == nil {
					part.ContentType = e.ContentType
				}
				b.Parts = append(b.Parts, part)
				k.vars = append(k.vars, v)
				continue
			}
			v := describe(names.name(name, "body"), ps.Value, required[name], sensitive.Param(name))
			b.Parts = append(b.Parts, query.Part{Name: name, Value: "{{" + v.Name + "}}", Enabled: required[name] || v.Default != ""})
			k.vars = append(k.vars, v)
		}
	case classRaw:
		b.Kind, b.ContentType = query.BodyRaw, chosen
		if s, ok := exampleValue(mt); ok {
			if str, isString := s.(string); isString {
				b.Text = str
			}
		}
	case classFile:
		v := query.Variable{Name: names.name("file", "body"), Description: clip(strings.TrimSpace(rb.Description))}
		if v.Description == "" {
			v.Description = "The path of the file to send"
		}
		b.Kind, b.File = query.BodyFile, "{{"+v.Name+"}}"
		if !strings.Contains(chosen, "*") && query.ValidateContentType(chosen) == nil {
			b.ContentType = chosen
		}
		k.vars = append(k.vars, v)
	}
	if k.err != nil {
		return b, nil, k.err
	}
	return b, k.vars, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isFile reports whether a multipart field's schema is a file: binary, or with a media type of its own.
func isFile(s *openapi3.Schema) bool {
	if typeIs(s, "array") && s.Items != nil && s.Items.Value != nil {
		s = s.Items.Value
	}
	return typeIs(s, "string") && (s.Format == "binary" || s.ContentMediaType != "") || types(s) == nil && s.Format == "binary"
}

// exampleValue is the media type's example: its own, the first of its named ones, or its schema's.
func exampleValue(mt *openapi3.MediaType) (any, bool) {
	if mt.Example != nil {
		return mt.Example, true
	}
	for _, name := range sortedKeys(mt.Examples) {
		if e := mt.Examples[name]; e != nil && e.Value != nil && e.Value.Value != nil {
			return e.Value.Value, true
		}
	}
	if s := schemaOf(mt.Schema); s != nil {
		if s.Example != nil {
			return s.Example, true
		}
		if len(s.Examples) > 0 && s.Examples[0] != nil {
			return s.Examples[0], true
		}
	}
	return nil, false
}

// exampleText is the media type's example as the text of a JSON body.
func exampleText(mt *openapi3.MediaType) (string, bool) {
	v, ok := exampleValue(mt)
	if !ok {
		return "", false
	}
	if s, isString := v.(string); isString && json.Valid([]byte(s)) {
		if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			return t, true
		}
	}
	text, err := marshalIndent(v, "")
	if err != nil {
		return "", false
	}
	return text, true
}

// marshalIndent writes v as JSON indented by two spaces from prefix, as a person writes it (no \u003c for <).
func marshalIndent(v any, prefix string) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(jsonable(v)); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// jsonable is v with the maps YAML may decode (keys of any type) made maps of strings.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[scalarText(k)] = jsonable(e)
		}
		return m
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonable(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e)
		}
		return out
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil
		}
	}
	return v
}

// skeleton writes the JSON a schema describes, the top-level object's fields that hold one value each as
// {{variables}} (their types from the schema), the rest with the schema's examples or empty values.
type skeleton struct {
	r     *reader
	names *namer
	where string
	vars  []query.Variable
	nodes int
	err   error
}

func (k *skeleton) fail(name, ref string) {
	if k.err == nil {
		k.err = k.r.circular(k.where+".properties."+name, ref)
	}
}

// props are the properties of an object schema with those of its allOf parts (or, when it has none of its
// own, of its first oneOf or anyOf part), and which are required.
func (k *skeleton) props(s *openapi3.Schema) (openapi3.Schemas, map[string]bool) {
	props := openapi3.Schemas{}
	required := map[string]bool{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for name, p := range s.Properties {
			if _, ok := props[name]; !ok && p != nil {
				props[name] = p
			}
		}
		for _, name := range s.Required {
			required[name] = true
		}
		for _, part := range s.AllOf {
			if part != nil {
				if part.Value == nil {
					k.fail("allOf", part.Ref)
					continue
				}
				walk(part.Value)
			}
		}
		if len(s.Properties) == 0 {
			for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
				if len(list) > 0 && list[0] != nil && list[0].Value != nil {
					walk(list[0].Value)
					break
				}
			}
		}
	}
	walk(s)
	return props, required
}

// kind is the JSON type a schema describes: its type, or what its keywords imply.
func kind(s *openapi3.Schema) string {
	if ts := types(s); len(ts) > 0 {
		return ts[0]
	}
	switch {
	case len(s.Properties) > 0 || s.AdditionalProperties.Has != nil || s.AdditionalProperties.Schema != nil:
		return "object"
	case s.Items != nil:
		return "array"
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, part := range list {
			if part != nil && part.Value != nil && part.Value != s {
				if k := kind(part.Value); k != "" {
					return k
				}
			}
		}
	}
	if s.Type != nil && slices.Contains(*s.Type, "null") {
		return "null"
	}
	return ""
}

// literal is the value a schema gives as its own: const, example, default or first choice.
func literal(s *openapi3.Schema) (any, bool) {
	switch {
	case s.Const != nil:
		return s.Const, true
	case s.Example != nil:
		return s.Example, true
	case len(s.Examples) > 0 && s.Examples[0] != nil:
		return s.Examples[0], true
	case s.Default != nil:
		return s.Default, true
	case len(s.Enum) > 0 && s.Enum[0] != nil:
		return s.Enum[0], true
	}
	return nil, false
}

// write writes the value of ref at depth, its lines indented by indent; stack holds the schemas it is inside,
// so a recursive schema stops. top is the body itself.
func (k *skeleton) write(b *strings.Builder, ref *openapi3.SchemaRef, indent string, depth int, stack []*openapi3.Schema, top bool) {
	k.nodes++
	if ref == nil {
		b.WriteString("null")
		return
	}
	if ref.Value == nil {
		if k.err == nil {
			k.err = k.r.circular(k.where, ref.Ref)
		}
		b.WriteString("null")
		return
	}
	s := ref.Value
	if v, ok := literal(s); ok && !top {
		if text, err := marshalIndent(v, indent); err == nil {
			b.WriteString(text)
			return
		}
	}
	kd := kind(s)
	if slices.Contains(stack, s) || depth >= maxDepth || k.nodes > maxNodes {
		b.WriteString(zero(kd, true))
		return
	}
	stack = append(stack, s)
	switch kd {
	case "object":
		k.object(b, s, indent, depth, stack, top)
	case "array":
		if s.Items == nil {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n" + indent + "  ")
		k.write(b, s.Items, indent+"  ", depth+1, stack, false)
		b.WriteString("\n" + indent + "]")
	default:
		if kd == "" {
			for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
				if len(list) > 0 {
					k.write(b, list[0], indent, depth+1, stack, top)
					return
				}
			}
		}
		b.WriteString(zero(kd, false))
	}
}

// zero is the empty value of a JSON type; short says an object or list is written without its contents.
func zero(kind string, short bool) string {
	switch kind {
	case "object":
		return "{}"
	case "array":
		return "[]"
	case "string":
		return `""`
	case "integer", "number":
		return "0"
	case "boolean":
		return "false"
	}
	if short {
		return "{}"
	}
	return "null"
}

func (k *skeleton) object(b *strings.Builder, s *openapi3.Schema, indent string, depth int, stack []*openapi3.Schema, top bool) {
	props, required := k.props(s)
	names := sortedKeys(props)
	n := 0
	for _, name := range names {
		ps := props[name]
		if ps.Value == nil {
			k.fail(name, ps.Ref)
			continue
		}
		if ps.Value.ReadOnly {
			continue
		}
		if n == 0 {
			b.WriteString("{\n")
		} else {
			b.WriteString(",\n")
		}
		n++
		key, _ := json.Marshal(name)
		b.WriteString(indent + "  " + string(key) + ": ")
		if top {
			if placeholder, ok := k.variable(name, ps.Value, required[name]); ok {
				b.WriteString(placeholder)
				continue
			}
		}
		k.write(b, ps, indent+"  ", depth+1, stack, false)
	}
	if n == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("\n" + indent + "}")
}

// variable makes a top-level field that holds one value a {{variable}}, and returns what to write for it: the
// variable in quotes for text, bare for a number or yes-or-no (which JSON cannot send empty, so it is not
// optional).
func (k *skeleton) variable(name string, s *openapi3.Schema, required bool) (string, bool) {
	c := concrete(s)
	jt := kind(c)
	if len(c.Enum) > 0 {
		jt = ""
		for _, e := range c.Enum {
			t := "number"
			switch e.(type) {
			case string:
				t = "string"
			case bool:
				t = "boolean"
			case nil, map[string]any, []any:
				return "", false
			}
			if jt != "" && jt != t {
				return "", false
			}
			jt = t
		}
	}
	switch jt {
	case "string", "integer", "number", "boolean":
	default:
		return "", false
	}
	v := describe(k.names.name(name, "body"), c, required, sensitive.Param(name))
	k.vars = append(k.vars, v)
	vp := &k.vars[len(k.vars)-1]
	if jt == "string" {
		return `"{{` + v.Name + `}}"`, true
	}
	if !vp.Optional || vp.Kind() == query.TypeBoolean {
		return "{{" + v.Name + "}}", true
	}
	vp.Optional = false
	if vp.Default == "" && !vp.Secret() {
		if e, ok := literal(c); ok {
			if d, ok := scalar(e); ok && vp.Check(d) == nil {
				vp.Default = d
			}
		}
	}
	return "{{" + v.Name + "}}", true
}

// scalar is a text, number or yes-or-no value as apidesk writes it.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return number(x), true
	case float32:
		return number(float64(x)), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

// scalarText is any value as text, for a map key.
func scalarText(v any) string {
	if s, ok := scalar(v); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// number writes a number without an exponent when it is a whole one.
func number(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func ceil(f float64) float64  { return math.Ceil(f) }
func floor(f float64) float64 { return math.Floor(f) }

// sortedKeys are a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
