package curl

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"apidesk/engine/query"
)

// formPart reads one -F (or, literal, --form-string) value into a multipart part, as curl's formparse does:
// name=value is a text field, name=@file a file sent as a file (with ;type= and ;filename=), name=<file a text
// field whose value is the file's content. A value in double quotes may hold ; and , (with \" and \\ for a
// quote and a backslash). --form-string takes the value as it is.
func (p *parser) formPart(opt, v string, literal bool) error {
	name, contents, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("%w: %s %s needs the form name=value", ErrBadRequest, opt, truncate(v))
	}
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("%w: %s gives a form field without a name: write it as %s 'name=value'", ErrBadRequest, opt, opt)
	}
	part := query.Part{Name: name, Enabled: true}
	if literal {
		part.Value = contents
		p.parts = append(p.parts, part)
		return nil
	}
	field := func(what string) string { return fmt.Sprintf("%s %s", opt, truncate(name+"="+what)) }
	switch {
	case strings.HasPrefix(contents, "("):
		return fmt.Errorf("%w: %s starts a nested multipart part, which apidesk cannot send: give each field with its own -F", ErrUnsupported, field("(…"))
	case strings.HasPrefix(contents, "@"):
		f, err := paramPart(opt, contents[1:], ',')
		if err != nil {
			return err
		}
		if f.sep == ',' {
			return fmt.Errorf("%w: %s sends several files in one field, which apidesk cannot do: give each file its own -F %s=@file", ErrUnsupported, field("@…,…"), name)
		}
		file, err := p.inputFile(opt, f.data)
		if err != nil {
			return err
		}
		part.File, part.Filename, part.ContentType = file, f.filename, f.ctype
		p.checkFile(opt, file)
	case strings.HasPrefix(contents, "<"):
		f, err := paramPart(opt, contents[1:], 0)
		if err != nil {
			return err
		}
		if f.data == "-" {
			if p.stdin == nil || p.stdin.isFile {
				return p.needStdin(opt)
			}
			part.Value = p.stdin.text
		} else {
			file := p.opts.path(f.data)
			switch b, err := readSmall(opt, file); {
			case err == nil && utf8.Valid(b):
				part.Value = string(b)
				p.note("The form field %s has the content of the file %s, read when the command was imported: a later change to the file is not sent.", name, f.data)
			case err == nil || !missing(file):
				// Not text, or too large to be a field's value: send it as a file, which servers mostly accept.
				part.File = file
				p.note("The form field %s is sent as the file %s (with a file name), not as a text field: its content is not text, or too long.", name, f.data)
			default:
				part.File = file
				p.checkFile(opt, file)
			}
		}
		part.ContentType = f.ctype
	default:
		f, err := paramPart(opt, contents, 0)
		if err != nil {
			return err
		}
		if f.filename != "" {
			return fmt.Errorf("%w: %s gives a text field a file name, which apidesk cannot send: upload a file with %s=@file;filename=…", ErrUnsupported, field("…;filename=…"), name)
		}
		part.Value, part.ContentType = f.data, f.ctype
	}
	p.parts = append(p.parts, part)
	return nil
}

// formField is what paramPart read: the data (a value or a file name), its ;type= and ;filename=, and the
// character that ended it (0, or the end character given).
type formField struct {
	data, ctype, filename string
	sep                   byte
}

// paramPart reads "data;type=…;filename=…" up to the end or to end (curl's get_param_part). Unknown
// ;name=value attributes are skipped, as curl skips them; ;headers= and ;encoder= are refused.
func paramPart(opt, s string, end byte) (formField, error) {
	var f formField
	i := skipSpace(s, 0)
	data, j, quoted := paramWord(s, i, end)
	if !quoted {
		data = strings.TrimRight(data, " \t\r\n\v\f")
	}
	f.data = data
	i = j
	typeStart, typeEnd := -1, -1 // the type runs on over ; until another attribute ends it
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	for at(i) == ';' {
		i = skipSpace(s, i+1)
		rest := s[i:]
		switch {
		case typeEnd < 0 && hasPrefixFold(rest, "type="):
			i = skipSpace(s, i+5)
			n, ok := mediaTypeLen(s[i:])
			if !ok {
				return f, fmt.Errorf("%w: %s has a ;type= that is not a content type such as image/png", ErrBadRequest, opt)
			}
			typeStart = i
			i += n
			typeEnd = i
			for ; i < len(s) && s[i] != ';' && (end == 0 || s[i] != end); i++ {
				if !isSpace(s[i]) {
					typeEnd = i + 1
				}
			}
			f.ctype = s[typeStart:typeEnd]
		case hasPrefixFold(rest, "filename="):
			typeEnd = -2 // the type, if any, ends here
			i = skipSpace(s, i+9)
			name, j, quoted := paramWord(s, i, end)
			if !quoted {
				name = strings.TrimRight(name, " \t\r\n\v\f")
			}
			f.filename, i = name, j
		case hasPrefixFold(rest, "headers="):
			return f, fmt.Errorf("%w: %s gives a part its own headers (;headers=), which apidesk cannot send", ErrUnsupported, opt)
		case hasPrefixFold(rest, "encoder="):
			return f, fmt.Errorf("%w: %s gives a part an encoder (;encoder=), which apidesk cannot send", ErrUnsupported, opt)
		case typeEnd >= 0:
			for ; i < len(s) && s[i] != ';' && (end == 0 || s[i] != end); i++ {
				if !isSpace(s[i]) {
					typeEnd = i + 1
				}
			}
			f.ctype = s[typeStart:typeEnd]
		default:
			_, i, _ = paramWord(s, i, end) // curl skips an attribute it does not know
		}
	}
	f.sep = at(i)
	return f, nil
}

// paramWord reads a word from s[i:] up to ; or end (curl's get_param_word): "quoted" (with \" and \\), then
// anything up to the next ; or end is dropped; else plain text. A quote never closed is plain text.
func paramWord(s string, i int, end byte) (word string, next int, quoted bool) {
	stop := func(c byte) bool { return c == ';' || end != 0 && c == end }
	if i < len(s) && s[i] == '"' {
		var b strings.Builder
		for j := i + 1; j < len(s); j++ {
			c := s[j]
			if c == '\\' && j+1 < len(s) && (s[j+1] == '\\' || s[j+1] == '"') {
				b.WriteByte(s[j+1])
				j++
				continue
			}
			if c == '"' {
				k := j + 1
				for k < len(s) && !stop(s[k]) {
					k++
				}
				return b.String(), k, true
			}
			b.WriteByte(c)
		}
	}
	j := i
	for j < len(s) && !stop(s[j]) {
		j++
	}
	return s[i:j], j, false
}

// mediaTypeLen is the length of the type/subtype at the start of s, as curl checks a ;type=: a major type
// without '/' or space, '/', and a subtype without ';', ',', space or line break.
func mediaTypeLen(s string) (int, bool) {
	slash := strings.IndexAny(s, "/ ")
	if slash <= 0 || s[slash] != '/' || slash > 127 {
		return 0, false
	}
	n := slash + 1
	for n < len(s) && !strings.ContainsRune(";, \n", rune(s[n])) {
		n++
	}
	if n == slash+1 {
		return 0, false
	}
	return n, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// formQuote writes a form value or file name so that paramWord reads it back as it is: plain when it can be,
// else in double quotes with \" and \\.
func formQuote(s string, end byte) string {
	plain := s != "" && !strings.ContainsAny(s, `;"\`) && !isSpace(s[0]) && !isSpace(s[len(s)-1]) &&
		!strings.ContainsAny(s[:1], "@<(") && (end == 0 || strings.IndexByte(s, end) < 0)
	if plain {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
