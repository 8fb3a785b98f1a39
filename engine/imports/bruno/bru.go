package bruno

import (
	"fmt"
	"strings"
)

// A .bru file is a list of blocks, each a tag and its content between { and a } at the start of a line:
//
//	meta {                       a dictionary: one "name: value" per line; ~name is disabled; "quoted keys"
//	  name: Get user             may hold spaces and colons; a value of several lines is written between '''
//	  seq: 1                     lines; @annotations (@description('…'), @contentType(…)) go before or after
//	}                            a pair
//
//	body:json {                  a text: its lines, indented by two spaces
//	  {"id": 1}
//	}
//
//	vars:secret [                a list (environments): names separated by commas or lines
//	  token, password
//	]

// block is one block of a .bru file.
type block struct {
	tag   string
	line  int
	pairs []pair   // a dictionary's
	text  string   // a text block's
	items []string // a list's
}

// pair is one line of a dictionary.
type pair struct {
	key, value string
	enabled    bool
	line       int
	list       []string // a value written as a list: tags: [ … ]
}

// bru is a parsed .bru file.
type bru struct{ blocks []block }

// get returns the first block with the tag, or nil.
func (f *bru) get(tag string) *block {
	for i := range f.blocks {
		if f.blocks[i].tag == tag {
			return &f.blocks[i]
		}
	}
	return nil
}

// value returns the value of the first enabled pair named key, or "".
func (b *block) value(key string) string {
	if b == nil {
		return ""
	}
	for _, p := range b.pairs {
		if p.key == key && p.enabled {
			return p.value
		}
	}
	return ""
}

// textBlocks are the tags whose content is text rather than pairs.
var textBlocks = map[string]bool{
	"body": true, "body:json": true, "body:text": true, "body:xml": true, "body:sparql": true, "body:graphql": true,
	"body:graphql:vars": true, "script:pre-request": true, "script:post-response": true, "tests": true, "docs": true,
	"example": true,
}

// syntaxError is a problem in a .bru file, at a line.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// parse reads a .bru file. indent is how far a value of several lines is indented (4 in requests,
// collections and environments alike).
func parse(src string) (*bru, error) {
	src = strings.TrimPrefix(src, "\ufeff")
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	f := &bru{}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "color:") { // an environment's color
			continue
		}
		tag, open, ok := blockStart(line)
		if !ok {
			return nil, &syntaxError{i + 1, "this line does not start a block: a block is a name and {, as in get {, with a } at the start of the line that ends it"}
		}
		b := block{tag: tag, line: i + 1}
		if strings.HasSuffix(line, "{}") || strings.HasSuffix(line, "[]") { // empty, on one line
			f.blocks = append(f.blocks, b)
			continue
		}
		var err error
		switch {
		case open == '[':
			i, err = b.readList(lines, i+1)
		case textBlocks[tag]:
			i, err = b.readText(lines, i+1)
		default:
			i, err = b.readPairs(lines, i+1)
		}
		if err != nil {
			return nil, err
		}
		f.blocks = append(f.blocks, b)
	}
	return f, nil
}

// blockStart reads "tag {" or "tag [".
func blockStart(line string) (tag string, open byte, ok bool) {
	i := strings.IndexAny(line, "{[")
	if i <= 0 {
		return "", 0, false
	}
	tag = strings.TrimSpace(line[:i])
	rest := strings.TrimSpace(line[i+1:])
	if tag == "" || strings.ContainsAny(tag, " \t") || rest != "" && rest != "}" && rest != "]" {
		return "", 0, false
	}
	return tag, line[i], true
}

// closes reports whether a line ends a block: a } at its start.
func closes(line string) bool { return strings.HasPrefix(line, "}") }

func (b *block) unclosed() error {
	return &syntaxError{b.line, fmt.Sprintf("the block %s is not closed: a } at the start of a line is missing", b.tag)}
}

// readText reads a text block from lines[i:], returning the index of its closing line.
func (b *block) readText(lines []string, i int) (int, error) {
	var text []string
	for ; i < len(lines); i++ {
		if closes(lines[i]) {
			b.text = strings.Join(text, "\n")
			return i, nil
		}
		text = append(text, strings.TrimPrefix(lines[i], "  "))
	}
	return i, b.unclosed()
}

// readList reads a list block: names separated by commas or lines, up to a ].
func (b *block) readList(lines []string, i int) (int, error) {
	for ; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if strings.HasPrefix(line, "]") {
			return i, nil
		}
		for item := range strings.SplitSeq(line, ",") {
			if item = strings.TrimSpace(item); item != "" && !strings.HasPrefix(item, "@") {
				b.items = append(b.items, item)
			}
		}
	}
	return i, &syntaxError{b.line, fmt.Sprintf("the list %s is not closed: a ] is missing", b.tag)}
}

// readPairs reads a dictionary block.
func (b *block) readPairs(lines []string, i int) (int, error) {
	for ; i < len(lines); i++ {
		raw := lines[i]
		if closes(raw) {
			return i, nil
		}
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "@") && !isPairKey(line) {
			var err error
			if i, err = skipAnnotation(lines, i, b); err != nil {
				return i, err
			}
			continue
		}
		p := pair{enabled: true, line: i + 1}
		rest := line
		if strings.HasPrefix(rest, "~") {
			p.enabled, rest = false, rest[1:]
		}
		if strings.HasPrefix(rest, `"`) {
			key, after, ok := quotedKey(rest)
			if !ok {
				return i, &syntaxError{i + 1, "a quoted name is not closed: a \" is missing"}
			}
			p.key, rest = key, strings.TrimLeft(after, " \t")
			if !strings.HasPrefix(rest, ":") {
				return i, &syntaxError{i + 1, fmt.Sprintf("in %s, write each line as name: value", b.tag)}
			}
			rest = rest[1:]
		} else {
			key, after, ok := strings.Cut(rest, ":")
			if !ok || strings.TrimSpace(key) == "" || strings.ContainsAny(strings.TrimSpace(key), " \t") {
				return i, &syntaxError{i + 1, fmt.Sprintf("in %s, write each line as name: value", b.tag)}
			}
			p.key, rest = strings.TrimSpace(key), after
		}
		value := strings.TrimSpace(rest)
		switch {
		case strings.HasPrefix(value, "'''") && !strings.Contains(value[3:], "'''"):
			// A value of several lines, up to a line that starts with '''.
			var text []string
			j := i + 1
			for ; j < len(lines) && !closes(lines[j]); j++ {
				if t := strings.TrimSpace(lines[j]); strings.HasPrefix(t, "'''") {
					value = strings.Join(text, "\n")
					if after := strings.TrimSpace(t[3:]); after != "" {
						value += " " + after // @contentType(…)
					}
					break
				}
				text = append(text, outdent(lines[j], 4))
			}
			if j >= len(lines) || closes(lines[j]) {
				return i, &syntaxError{i + 1, fmt.Sprintf("the text of %s that starts here is not closed: a line with ''' is missing", p.key)}
			}
			i = j
		case strings.HasPrefix(value, "'''"):
			end := strings.Index(value[3:], "'''") + 3
			value = value[3:end] + value[end+3:]
		case value == "[":
			j := i + 1
			for ; j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), "]"); j++ {
				if closes(lines[j]) {
					return i, &syntaxError{i + 1, fmt.Sprintf("the list %s is not closed: a ] is missing", p.key)}
				}
				if item := strings.TrimSpace(lines[j]); item != "" {
					p.list = append(p.list, item)
				}
			}
			if j >= len(lines) {
				return i, &syntaxError{i + 1, fmt.Sprintf("the list %s is not closed: a ] is missing", p.key)}
			}
			value, i = "", j
		}
		p.value = value
		b.pairs = append(b.pairs, p)
	}
	return i, b.unclosed()
}

// isPairKey reports whether a line that starts with @ is a pair whose name starts with @ (a local variable,
// @name: value) rather than an annotation.
func isPairKey(line string) bool {
	end := strings.IndexAny(line, "( \t:")
	return end > 1 && line[end] == ':'
}

// skipAnnotation skips an annotation (@name or @name(args)), whose args may run over several lines between
// ”'; it returns the index of its last line.
func skipAnnotation(lines []string, i int, b *block) (int, error) {
	line := strings.TrimSpace(lines[i])
	open := strings.IndexByte(line, '(')
	if open < 0 {
		return i, nil
	}
	args := line[open+1:]
	if !strings.HasPrefix(strings.TrimSpace(args), "'''") || strings.Count(args, "'''") >= 2 {
		return i, nil
	}
	for j := i + 1; j < len(lines); j++ {
		if closes(lines[j]) {
			break
		}
		if strings.Contains(lines[j], "'''") {
			return j, nil
		}
	}
	return i, &syntaxError{i + 1, fmt.Sprintf("the annotation in %s that starts here is not closed: a line with ''' is missing", b.tag)}
}

// quotedKey reads "a \"b\"" at the start of s.
func quotedKey(s string) (key, rest string, ok bool) {
	var k strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			k.WriteByte('"')
			i++
		case s[i] == '"':
			return k.String(), s[i+1:], true
		default:
			k.WriteByte(s[i])
		}
	}
	return "", "", false
}

// outdent removes up to n spaces from the start of line.
func outdent(line string, n int) string {
	for range n {
		if !strings.HasPrefix(line, " ") {
			break
		}
		line = line[1:]
	}
	return line
}
