package query

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"apidesk/engine/template"
)

// JSONError says where a JSON body stops being JSON and what is likely wrong there, in words for a person
// rather than the parser's. The parser's own error is kept for errors.Unwrap.
type JSONError struct {
	Line, Column int    // of the character where reading stopped, from 1
	Offset       int    // the byte offset of that character in the body
	Problem      string // what is likely wrong: "a comma or } is missing"
	err          error
}

func (e *JSONError) Error() string {
	if e.Line == 0 {
		return "The body is not valid JSON: " + e.Problem
	}
	return fmt.Sprintf("The body is not valid JSON: line %d, %s", e.Line, e.Problem)
}

func (e *JSONError) Unwrap() error { return e.err }

// ValidateJSON checks a JSON body; a problem is a *JSONError. {{variables}} are replaced by a number before
// checking, so {"id": {{id}}} is accepted.
func ValidateJSON(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	probe := template.Blank(s) // keeps every byte where it was, so the position found is one in s
	var v any
	err := json.Unmarshal([]byte(probe), &v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &JSONError{Problem: "it cannot be read", err: err}
	}
	off := int(se.Offset) - 1 // the offset is that of the byte after the one refused
	if off < 0 {
		off = 0
	}
	if off >= len(probe) {
		off = len(probe) - 1
	}
	line, col := position(probe, off)
	return &JSONError{Line: line, Column: col, Offset: off, Problem: jsonProblem(se.Error(), probe[off]), err: err}
}

// jsonProblem says in plain words what encoding/json's message msg, refusing the byte c, likely means.
func jsonProblem(msg string, c byte) string {
	closing := c == '}' || c == ']'
	switch {
	case strings.Contains(msg, "unexpected end of JSON input"):
		return "it ends too early: a closing }, ] or \" is missing"
	case c == '\'':
		return `text must be in double quotes ", not single quotes '`
	case strings.Contains(msg, "looking for beginning of object key string"):
		if c == '}' {
			return "a comma is followed by }: remove the last comma"
		}
		return `a name in double quotes is expected, as in "name": value`
	case strings.Contains(msg, "looking for beginning of value"):
		if c == ',' {
			return "a value is missing before the comma"
		}
		if closing {
			return fmt.Sprintf("a value is missing before %c (or a comma is one too many)", c)
		}
		return `a value is expected here: text must be in double quotes, and true, false and null in lowercase`
	case strings.Contains(msg, "after object key:value pair"):
		return "a comma or } is missing"
	case strings.Contains(msg, "after object key"):
		return "a colon : is missing after the name"
	case strings.Contains(msg, "after array element"):
		return "a comma or ] is missing"
	case strings.Contains(msg, "after top-level value"):
		return "there is more after the end: the body must be one value, for example one {…}"
	case strings.Contains(msg, "in string literal"):
		return `a text in quotes runs on past its line: close it with ", or write a line break as \n`
	case strings.Contains(msg, "escape"):
		return `a backslash \ in a text is followed by a character it cannot go with: write \\ for a backslash`
	case strings.Contains(msg, "in literal"):
		return "write true, false and null in lowercase, and put text in double quotes"
	case strings.Contains(msg, "numeric literal"):
		return "a number is not written as JSON expects, for example 12, -3.5 or 1e6"
	}
	return "it cannot be read here"
}

// position is the line and column (in characters, from 1) of the byte at off in s.
func position(s string, off int) (line, col int) {
	line, col = 1, 1
	for i, r := range s {
		if i >= off {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
