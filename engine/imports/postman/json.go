package postman

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"apidesk/engine/imports"
	"apidesk/engine/query"
)

// The JSON of a Postman collection (v2.0 and v2.1) and environment, read leniently: Postman and the tools that
// write its format put a number where text is expected, a string where a list is, an object where v2.1 has a
// list (v2.0's auth), so the fields that vary are kept raw and read by the functions below.

type collection struct {
	Info struct {
		Name   text            `json:"name"`
		Schema text            `json:"schema"`
		Desc   json.RawMessage `json:"description"`
	} `json:"info"`
	Item     []item          `json:"item"`
	Auth     json.RawMessage `json:"auth"`
	Event    []event         `json:"event"`
	Variable []variable      `json:"variable"`

	// Postman's v1 format and environment files have these instead.
	Requests json.RawMessage `json:"requests"`
	Order    json.RawMessage `json:"order"`
	Values   json.RawMessage `json:"values"`
	Scope    text            `json:"_postman_variable_scope"`
}

type item struct {
	ID        text                       `json:"id"`
	PostmanID text                       `json:"_postman_id"`
	Name      text                       `json:"name"`
	Desc      json.RawMessage            `json:"description"`
	Items     *[]item                    `json:"item"` // set for a folder
	Request   json.RawMessage            `json:"request"`
	Response  []json.RawMessage          `json:"response"`
	Event     []event                    `json:"event"`
	Auth      json.RawMessage            `json:"auth"` // a folder's
	Variable  []variable                 `json:"variable"`
	Behavior  map[string]json.RawMessage `json:"protocolProfileBehavior"`
}

type request struct {
	URL         json.RawMessage `json:"url"`
	Method      text            `json:"method"`
	Header      json.RawMessage `json:"header"`
	Body        *body           `json:"body"`
	Auth        json.RawMessage `json:"auth"`
	Desc        json.RawMessage `json:"description"`
	Proxy       json.RawMessage `json:"proxy"`
	Certificate json.RawMessage `json:"certificate"`
}

type urlObject struct {
	Raw      text            `json:"raw"`
	Protocol text            `json:"protocol"`
	Host     json.RawMessage `json:"host"`
	Port     text            `json:"port"`
	Path     json.RawMessage `json:"path"`
	Query    []pair          `json:"query"`
	Variable []variable      `json:"variable"`
}

// pair is a header, a URL parameter, a form field (with Type and Src for a form-data file) or an auth
// attribute.
type pair struct {
	Key         text            `json:"key"`
	Value       text            `json:"value"`
	Disabled    flag            `json:"disabled"`
	Desc        json.RawMessage `json:"description"`
	Type        text            `json:"type"`
	Src         json.RawMessage `json:"src"`
	ContentType text            `json:"contentType"`
}

// pairList is a list of pairs (a body's form fields), read as Postman's library reads it: an object is a list
// of one, anything else (null, text) none.
type pairList []pair

func (ps *pairList) UnmarshalJSON(b []byte) error {
	*ps = nil
	switch {
	case len(b) > 0 && b[0] == '[':
		var l []pair
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		*ps = l
	case len(b) > 0 && b[0] == '{':
		var p pair
		if err := json.Unmarshal(b, &p); err != nil {
			return err
		}
		*ps = pairList{p}
	}
	return nil
}

type variable struct {
	ID       text            `json:"id"`
	Key      text            `json:"key"`
	Value    text            `json:"value"`
	Type     text            `json:"type"`
	Disabled flag            `json:"disabled"`
	Enabled  *flag           `json:"enabled"` // environments
	Desc     json.RawMessage `json:"description"`
}

func (v variable) name() string { return strings.TrimSpace(string(cmpText(v.Key, v.ID))) }

type body struct {
	Mode       text            `json:"mode"`
	Raw        text            `json:"raw"`
	URLEncoded pairList        `json:"urlencoded"`
	FormData   pairList        `json:"formdata"`
	File       json.RawMessage `json:"file"`
	GraphQL    json.RawMessage `json:"graphql"`
	Disabled   flag            `json:"disabled"`
	Options    struct {
		Raw struct {
			Language text `json:"language"`
		} `json:"raw"`
	} `json:"options"`
}

type event struct {
	Listen   text `json:"listen"`
	Disabled flag `json:"disabled"`
	Script   struct {
		Exec json.RawMessage `json:"exec"`
	} `json:"script"`
}

// text is a JSON string, number or boolean as text; null is "", an object or array its JSON.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	default:
		*t = text(b)
	}
	return nil
}

func cmpText(ts ...text) text {
	for _, t := range ts {
		if t != "" {
			return t
		}
	}
	return ""
}

// flag is a JSON boolean, also written as a string or a number.
type flag bool

func (f *flag) UnmarshalJSON(b []byte) error {
	var t text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	v, err := strconv.ParseBool(strings.TrimSpace(string(t)))
	*f = flag(err == nil && v)
	return nil
}

// strings reads a string or a list of strings (a URL's host and path); a list's objects give their "value".
func stringList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var one text
	if raw[0] != '[' {
		if json.Unmarshal(raw, &one) == nil && one != "" {
			return []string{string(one)}
		}
		return nil
	}
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) != nil {
		return nil
	}
	out := make([]string, 0, len(many))
	for _, m := range many {
		var obj struct {
			Value text `json:"value"`
		}
		if len(m) > 0 && m[0] == '{' {
			if json.Unmarshal(m, &obj) == nil {
				out = append(out, string(obj.Value))
			}
			continue
		}
		var s text
		if json.Unmarshal(m, &s) == nil {
			out = append(out, string(s))
		}
	}
	return out
}

// description is a description's text: a string, or an object's "content".
func description(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	if raw[0] == '{' {
		var d struct {
			Content text `json:"content"`
		}
		_ = json.Unmarshal(raw, &d)
		return strings.TrimSpace(string(d.Content))
	}
	var s text
	_ = json.Unmarshal(raw, &s)
	return strings.TrimSpace(string(s))
}

// script is a script's code: its lines (a list, or one string).
func script(raw json.RawMessage) string {
	return strings.TrimSpace(strings.Join(stringList(raw), "\n"))
}

// decode reads data as v, saying what is wrong in a *imports.FormatError with the line of the problem.
func decode(data []byte, v any, format string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return &imports.FormatError{Format: format, Msg: "the file is empty"}
	}
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		where, problem := "", "it is not JSON"
		var je *query.JSONError
		if errors.As(query.ValidateJSON(string(data)), &je) && je.Line > 0 {
			where, problem = fmt.Sprintf("line %d", je.Line), je.Problem
		} else {
			where = fmt.Sprintf("line %d", line(data, int(se.Offset)-1))
		}
		return &imports.FormatError{Format: format, Where: where, Msg: "the JSON is broken here: " + problem}
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "the document"
		}
		return &imports.FormatError{Format: format, Where: fmt.Sprintf("line %d", line(data, int(te.Offset)-1)),
			Msg: fmt.Sprintf("%s is %s, where %s is expected", field, valueWords(te.Value), kindWords(te.Type.Kind().String()))}
	}
	return &imports.FormatError{Format: format, Msg: "it cannot be read"}
}

// valueWords names a JSON value's kind as encoding/json's UnmarshalTypeError.Value does, for a person.
func valueWords(v string) string {
	switch v {
	case "string":
		return "text"
	case "number":
		return "a number"
	case "object":
		return "an object"
	case "array":
		return "a list"
	case "bool":
		return "true or false"
	}
	return v
}

// kindWords names a Go kind as JSON.
func kindWords(k string) string {
	switch k {
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	case "string":
		return "text"
	case "bool":
		return "true or false"
	}
	return "a number"
}

// line is the line (from 1) of the byte at offset.
func line(data []byte, offset int) int {
	offset = max(0, min(offset, len(data)))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}
