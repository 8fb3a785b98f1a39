package curl

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// splitWords splits a bash command line into words the way bash would hand them to curl: 'single quotes',
// "double quotes" with their backslash escapes, $'ANSI-C strings' (Chrome and Firefox emit them),
// backslash escapes, backslash-newline continuations (also with CRLF) and # comments.
//
// Anything that would make bash do more than run one command with literal words is an error that says what
// to change: $VARIABLES and $(commands) (their values are not in the text), backquotes, and unquoted
// | & ; < > ( ) (pipes, background jobs, several commands, redirections). A newline outside quotes is taken
// as a space, so a command whose continuation backslashes were lost still reads as one command.
func splitWords(s string) ([]string, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return nil, syntaxErr(s, i, "the text contains a NUL character, which a command line cannot carry")
	}
	var (
		words  []string
		cur    strings.Builder
		inWord bool // cur holds a word, maybe empty ('')
	)
	end := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			end()
			i++
		case '\\':
			switch {
			case strings.HasPrefix(s[i+1:], "\n"):
				i += 2 // line continuation: the word goes on
			case strings.HasPrefix(s[i+1:], "\r\n"):
				i += 3
			case i+1 < len(s):
				cur.WriteByte(s[i+1])
				inWord = true
				i += 2
			default:
				i++ // a backslash at the very end: nothing to escape
			}
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, syntaxErr(s, i, "a single quote ' is never closed: close it, or paste the whole command")
			}
			cur.WriteString(s[i+1 : i+1+j])
			inWord = true
			i += j + 2
		case '"':
			n, err := doubleQuoted(s, i+1, &cur)
			if err != nil {
				return nil, err
			}
			inWord = true
			i = n
		case '$':
			switch next := byteAt(s, i+1); {
			case next == '\'':
				n, err := ansiC(s, i+2, &cur)
				if err != nil {
					return nil, err
				}
				inWord = true
				i = n
			case next == '"': // $"…" is a translated string: the same as "…" here
				n, err := doubleQuoted(s, i+2, &cur)
				if err != nil {
					return nil, err
				}
				inWord = true
				i = n
			case expands(next):
				return nil, expansionErr(s, i)
			default:
				cur.WriteByte('$')
				inWord = true
				i++
			}
		case '`':
			return nil, syntaxErr(s, i, "the command runs another command in `backquotes`: paste the command with its result instead")
		case '#':
			if inWord {
				cur.WriteByte(c)
				i++
				break
			}
			j := strings.IndexByte(s[i:], '\n') // a comment runs to the end of the line
			if j < 0 {
				i = len(s)
			} else {
				i += j
			}
		case '|', '&', ';', '<', '>', '(', ')':
			return nil, operatorErr(s, i)
		default:
			cur.WriteByte(c)
			inWord = true
			i++
		}
	}
	end()
	return words, nil
}

func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// expands reports whether a '$' followed by c is a bash expansion ($NAME, ${…}, $(…), $1, $?, …).
func expands(c byte) bool {
	return c == '_' || c == '{' || c == '(' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c >= '0' && c <= '9' || strings.IndexByte("@*#?$!-", c) >= 0 && c != 0
}

// doubleQuoted reads the inside of "…" from s[i:], writes its text to b and returns the index after the
// closing quote. Inside double quotes a backslash escapes only $ ` " \ and a newline.
func doubleQuoted(s string, i int, b *strings.Builder) (int, error) {
	start := i - 1
	for i < len(s) {
		c := s[i]
		switch c {
		case '"':
			return i + 1, nil
		case '\\':
			switch next := byteAt(s, i+1); {
			case next == '\n':
				i += 2
			case next == '\r' && byteAt(s, i+2) == '\n':
				i += 3
			case next == '$' || next == '`' || next == '"' || next == '\\':
				b.WriteByte(next)
				i += 2
			default:
				b.WriteByte('\\')
				i++
			}
		case '$':
			if expands(byteAt(s, i+1)) {
				return 0, expansionErr(s, i)
			}
			b.WriteByte('$')
			i++
		case '`':
			return 0, syntaxErr(s, i, "the command runs another command in `backquotes`: paste the command with its result instead")
		default:
			b.WriteByte(c)
			i++
		}
	}
	return 0, syntaxErr(s, start, `a double quote " is never closed: close it, or paste the whole command`)
}

// ansiC reads the inside of $'…' from s[i:] (bash's ANSI-C quoting), writes its text to b and returns the
// index after the closing quote.
//
// Bytes written as \xHH are kept as bytes when together they spell UTF-8, as bash would send them; otherwise
// each is read as the character U+00HH, which is what Firefox means when it writes "é" as \xe9.
func ansiC(s string, i int, b *strings.Builder) (int, error) {
	start := i - 2
	var hexRun []byte // consecutive \xHH bytes, written out by flush
	flush := func() {
		if utf8.Valid(hexRun) {
			b.Write(hexRun)
		} else {
			for _, c := range hexRun {
				b.WriteRune(rune(c))
			}
		}
		hexRun = hexRun[:0]
	}
	for i < len(s) {
		c := s[i]
		if c == '\'' {
			flush()
			return i + 1, nil
		}
		if c != '\\' {
			flush()
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s) {
			break
		}
		e := s[i+1]
		i += 2
		if e == 'x' {
			v, n := hexDigits(s[i:], 2)
			if n == 0 {
				flush()
				b.WriteString(`\x`)
				continue
			}
			if v == 0 {
				return 0, syntaxErr(s, start, "a $'…' string contains a NUL character (\\x00), which a command line cannot carry")
			}
			hexRun = append(hexRun, byte(v))
			i += n
			continue
		}
		flush()
		switch e {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'e', 'E':
			b.WriteByte(0x1b)
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\', '\'', '"', '?':
			b.WriteByte(e)
		case 'c':
			if i >= len(s) {
				b.WriteString(`\c`)
				continue
			}
			ctl := s[i] & 0x1f
			if ctl == 0 {
				return 0, syntaxErr(s, start, "a $'…' string contains a NUL character, which a command line cannot carry")
			}
			b.WriteByte(ctl)
			i++
		case 'u', 'U':
			width := 4
			if e == 'U' {
				width = 8
			}
			v, n := hexDigits(s[i:], width)
			if n == 0 {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			i += n
			if v == 0 {
				return 0, syntaxErr(s, start, "a $'…' string contains a NUL character (\\u0000), which a command line cannot carry")
			}
			// Firefox writes characters outside the BMP as two \u escapes (UTF-16 surrogates): join them.
			if v >= 0xd800 && v < 0xdc00 && strings.HasPrefix(s[i:], `\u`) {
				if lo, m := hexDigits(s[i+2:], 4); m == 4 && lo >= 0xdc00 && lo < 0xe000 {
					v = 0x10000 + (v-0xd800)<<10 + (lo - 0xdc00)
					i += 2 + m
				}
			}
			if v > utf8.MaxRune || v >= 0xd800 && v < 0xe000 {
				v = utf8.RuneError
			}
			b.WriteRune(rune(v))
		default:
			if e >= '0' && e <= '7' { // \nnn: one to three octal digits
				v, n := int(e-'0'), 0
				for n < 2 && i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '7' {
					v = v*8 + int(s[i+n]-'0')
					n++
				}
				i += n
				if v&0xff == 0 {
					return 0, syntaxErr(s, start, "a $'…' string contains a NUL character (\\0), which a command line cannot carry")
				}
				b.WriteByte(byte(v))
				continue
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return 0, syntaxErr(s, start, "a $'…' string is never closed: close it with ', or paste the whole command")
}

// hexDigits reads up to max hex digits from the start of s and returns their value and how many it read.
func hexDigits(s string, max int) (v, n int) {
	for n < max && n < len(s) {
		c := s[n]
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c >= 'a' && c <= 'f':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = int(c-'A') + 10
		default:
			return v, n
		}
		v = v*16 + d
		n++
	}
	return v, n
}

// position returns the line and column (1-based, in characters) of byte offset off in s.
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

func syntaxErr(s string, off int, msg string) error {
	line, col := position(s, off)
	if strings.Contains(s, "\n") {
		return fmt.Errorf("%w: line %d, column %d: %s", ErrSyntax, line, col, msg)
	}
	return fmt.Errorf("%w: column %d: %s", ErrSyntax, col, msg)
}

func expansionErr(s string, off int) error {
	// Name the variable (a name is not a secret) so the person knows what to replace.
	name := s[off+1:]
	if strings.HasPrefix(name, "{") {
		if j := strings.IndexByte(name, '}'); j > 0 {
			name = name[1:j]
		}
	} else if strings.HasPrefix(name, "(") {
		return syntaxErr(s, off, "the command runs another command with $(…): paste the command with its result instead")
	}
	j := 0
	for j < len(name) && (name[j] == '_' || name[j] >= 'a' && name[j] <= 'z' || name[j] >= 'A' && name[j] <= 'Z' || name[j] >= '0' && name[j] <= '9') {
		j++
	}
	if j == 0 {
		return syntaxErr(s, off, "the command uses a shell expansion ($…) whose value is not in the text: replace it by its value, or quote it with single quotes")
	}
	return syntaxErr(s, off, fmt.Sprintf("the command uses the shell variable $%s, whose value is not in the text: replace it by its value, or put the text in single quotes", name[:j]))
}

func operatorErr(s string, off int) error {
	op := s[off : off+1]
	var what string
	switch op {
	case "|":
		what = "pipes curl's output into another program"
	case "&":
		what = "has an unquoted & (a URL with several parameters must be in quotes)"
	case ";":
		what = "holds more than one command"
	case "<", ">":
		what = "redirects input or output"
	default:
		what = "has an unquoted parenthesis"
	}
	return syntaxErr(s, off, fmt.Sprintf("the command %s at '%s': paste only the curl command, with its URL and data in quotes", what, op))
}
