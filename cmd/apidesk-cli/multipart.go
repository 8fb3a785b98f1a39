package main

import (
	"fmt"
	"os"
	"strings"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/workspace"
)

// maxInlineFile is the largest file name=<FILE puts in a text field. The text goes into the query (and its file,
// with query save); a larger file is sent as a file field, name=@FILE, streamed from disk.
const maxInlineFile = 64 << 10

// parseMultipart reads one --multipart value in curl's -F grammar:
//
//	name=value                       a text field
//	name=@path[;type=T][;filename=F] a file field, streamed from disk
//	name=<path[;type=T]              a text field whose value is the file's text, read now (at most 64 KB)
//	name="quoted;value"              a text field with ; or a leading @ or <, \" and \\ escaped
//
// type= also gives a text field its content type. Paths are made relative to the workspace when inside it
// (ws.RelPath); nil ws keeps them as given.
func parseMultipart(s string, ws *workspace.Workspace) (query.Part, error) {
	name, rest, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return query.Part{}, usagef("--multipart %q: write it as name=value, name=@FILE or name=<FILE", s)
	}
	p := query.Part{Name: name, Enabled: true}
	kind := byte(0)
	if rest != "" && (rest[0] == '@' || rest[0] == '<') {
		kind, rest = rest[0], rest[1:]
	}
	content, params, err := formWord(rest)
	if err != nil {
		return query.Part{}, usagef("--multipart %q: %v", s, err)
	}
	for _, prm := range params {
		key, value, _ := strings.Cut(prm, "=")
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "type":
			p.ContentType = value
		case "filename":
			if kind != '@' {
				return query.Part{}, usagef("--multipart %q: filename= goes with a file field, name=@FILE", s)
			}
			p.Filename = value
		case "headers", "encoder":
			return query.Part{}, usagef("--multipart %q: %s= is not supported: give the field's file, type= and filename=", s, key)
		default:
			return query.Part{}, usagef("--multipart %q: unknown ;%s: a field takes ;type=TYPE and, for a file, ;filename=NAME", s, prm)
		}
	}
	switch kind {
	case '@':
		if content == "" {
			return query.Part{}, usagef("--multipart %q: give the file after @, e.g. %s=@photo.png", s, name)
		}
		p.File = content
		if ws != nil {
			p.File = ws.RelPath(content)
		}
	case '<':
		text, err := inlineFile(content)
		if err != nil {
			return query.Part{}, usagef("--multipart %q: %v", s, err)
		}
		p.Value = text
	default:
		p.Value = content
	}
	return p, nil
}

// inlineFile reads the text of name=<FILE.
func inlineFile(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("could not read %s: %v", path, err)
	}
	if fi.IsDir() {
		return "", fmt.Errorf("%s is a folder, not a file", path)
	}
	if fi.Size() > maxInlineFile {
		return "", fmt.Errorf("%s is larger than 64 KB, too large to put in a text field: send it as a file field, name=@%s", path, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("could not read %s: %v", path, err)
	}
	return string(b), nil
}

// formWord splits what follows name= (and its @ or <) into the content and its ;params, as curl does: a
// quoted content ends at its closing quote (\" and \\ are escapes); an unquoted one ends at the first ; that
// starts type=, filename=, headers= or encoder=, so a value may hold other semicolons (and a type its
// charset=). A param's value may be quoted too.
func formWord(s string) (content string, params []string, err error) {
	rest := s
	if strings.HasPrefix(s, `"`) {
		content, rest, err = quoted(s)
		if err != nil {
			return "", nil, err
		}
		if rest != "" && rest[0] != ';' {
			return "", nil, fmt.Errorf("after the closing quote, write ;type=… or nothing")
		}
	} else {
		i := paramStart(s)
		content, rest = s[:i], s[i:]
	}
	for rest != "" {
		rest = strings.TrimPrefix(rest, ";")
		key, value, found := strings.Cut(rest, "=")
		if !found {
			return "", nil, fmt.Errorf("unknown ;%s: a field takes ;type=TYPE and, for a file, ;filename=NAME", rest)
		}
		key = strings.TrimSpace(key)
		if strings.HasPrefix(value, `"`) {
			v, after, err := quoted(value)
			if err != nil {
				return "", nil, err
			}
			params = append(params, key+"="+v)
			rest = after
			continue
		}
		i := paramStart(value)
		params = append(params, key+"="+value[:i])
		rest = value[i:]
	}
	return content, params, nil
}

// paramStart is where the ;params of an unquoted word start: the first ; followed by a param's key=, else the end.
func paramStart(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != ';' {
			continue
		}
		key, _, found := strings.Cut(s[i+1:], "=")
		if found && isParamKey(strings.TrimSpace(key)) {
			return i
		}
	}
	return len(s)
}

// isParamKey reports whether s is one of curl's -F params, which end a word: others (a ; in a value, a
// content type's charset=) are part of it.
func isParamKey(s string) bool {
	switch strings.ToLower(s) {
	case "type", "filename", "headers", "encoder":
		return true
	}
	return false
}

// quoted reads a "quoted" word at the start of s and returns it unescaped and what follows it.
func quoted(s string) (word, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			i++
		case c == '"':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("a quote is not closed: end the value with \"")
}

// bodyFlagWords says which flag a body problem of the query is about: --multipart, --body-file or
// --content-type; the other problems are flagWords'.
func bodyFlagWords(es resource.Errors) (body []string, rest resource.Errors) {
	for _, e := range es {
		switch {
		case strings.HasPrefix(e.Field, "body.parts["):
			body = append(body, "--multipart: "+e.Msg)
		case e.Field == "body.file":
			body = append(body, "--body-file: "+e.Msg)
		case e.Field == "body.content_type":
			body = append(body, "--content-type: "+e.Msg)
		default:
			rest = append(rest, e)
		}
	}
	return body, rest
}
