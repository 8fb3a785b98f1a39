package curl

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// splitWords splits a bash command line into the words bash would hand to curl. mvdan.cc/sh/v3/syntax parses
// it (quotes, $'…' strings, backslash escapes and continuations, CRLF line ends, # comments) and expand.Fields
// removes the quotes, as bash does, brace expansion included.
//
// Anything that would make bash do more than run one command with literal words is an error that says what
// to change: $VARIABLES and $(commands) (their values are not in the text), backquotes, pipes, background
// jobs, several commands, redirections and other shell syntax. Lines without continuation backslashes are read
// as one command, so a command whose backslashes were lost still reads.
//
// $'…' strings are decoded here, not by expand: browsers write them for bash but mean more by them than bash
// does (see ansiC), and a NUL in one is an error rather than the end of the word.
func splitWords(s string) ([]string, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return nil, syntaxErr(s, i, "the text contains a NUL character, which a command line cannot carry")
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(s), "")
	if err != nil {
		return nil, parseErr(s, err)
	}
	cfg := &expand.Config{Env: expand.FuncEnviron(keepTilde)}
	var words []string
	for _, st := range f.Stmts {
		call, err := plainCommand(s, st)
		if err != nil {
			return nil, err
		}
		for _, w := range call.Args {
			if err := literal(s, w); err != nil {
				return nil, err
			}
			fields, err := expand.Fields(cfg, w)
			if err != nil {
				return nil, syntaxErr(s, offset(w.Pos()), "bash cannot read this word: "+err.Error())
			}
			words = append(words, fields...)
		}
	}
	return words, nil
}

// keepTilde is the environment words are expanded in: ~ and ~name stand for themselves, so reading a pasted
// command never looks up this computer's home directories.
func keepTilde(name string) string {
	if user, ok := strings.CutPrefix(name, "HOME"); ok {
		return "~" + strings.TrimPrefix(user, " ")
	}
	return ""
}

// plainCommand returns the command of a statement that only runs a command with words.
func plainCommand(s string, st *syntax.Stmt) (*syntax.CallExpr, error) {
	switch {
	case st.Background:
		return nil, operatorErr(s, offset(st.Semicolon), "has an unquoted & (a URL with several parameters must be in quotes)")
	case st.Semicolon.IsValid():
		return nil, operatorErr(s, offset(st.Semicolon), "holds more than one command")
	case len(st.Redirs) > 0:
		return nil, operatorErr(s, offset(st.Redirs[0].OpPos), "redirects input or output")
	case st.Negated:
		return nil, operatorErr(s, offset(st.Pos()), "has an unquoted !")
	}
	switch cmd := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(cmd.Assigns) > 0 {
			return nil, syntaxErr(s, offset(cmd.Pos()), fmt.Sprintf("the command sets the shell variable %s first: paste only the curl command", cmd.Assigns[0].Name.Value))
		}
		return cmd, nil
	case *syntax.BinaryCmd:
		if cmd.Op == syntax.Pipe || cmd.Op == syntax.PipeAll {
			return nil, operatorErr(s, offset(cmd.OpPos), "pipes curl's output into another program")
		}
		return nil, operatorErr(s, offset(cmd.OpPos), "holds more than one command")
	case *syntax.Subshell:
		return nil, operatorErr(s, offset(cmd.Pos()), "has an unquoted parenthesis")
	}
	return nil, syntaxErr(s, offset(st.Pos()), "the text is shell code, not one curl command: paste only the curl command, with its URL and data in quotes")
}

// literal checks that a word has no expansion whose value is not in the text, and decodes its $'…' strings.
func literal(s string, w *syntax.Word) error {
	var err error
	syntax.Walk(w, func(n syntax.Node) bool {
		if err != nil {
			return false
		}
		switch n := n.(type) {
		case *syntax.ParamExp:
			err = expansionErr(s, n)
		case *syntax.CmdSubst:
			if n.Backquotes {
				err = syntaxErr(s, offset(n.Pos()), "the command runs another command in `backquotes`: paste the command with its result instead")
			} else {
				err = syntaxErr(s, offset(n.Pos()), "the command runs another command with $(…): paste the command with its result instead")
			}
		case *syntax.ArithmExp, *syntax.ProcSubst, *syntax.ExtGlob:
			err = syntaxErr(s, offset(n.Pos()), "the command uses a shell expansion whose value is not in the text: replace it by its value, or quote it with single quotes")
		case *syntax.SglQuoted:
			if n.Dollar {
				var text string
				if text, err = ansiC(s, n); err == nil {
					*n = syntax.SglQuoted{Left: n.Left, Right: n.Right, Value: text}
				}
			}
		}
		return err == nil
	})
	return err
}

// ansiC decodes a $'…' string (bash's ANSI-C quoting) of the command s. This is the part mvdan.cc/sh's expand
// does not do the way browsers mean it (the Firefox cases of the tests):
//
// Bytes written as \xHH are kept as bytes when together they spell UTF-8, as bash would send them; otherwise
// each is read as the character U+00HH, which is what Firefox means when it writes "é" as \xe9. A character
// outside the BMP written as two \u escapes (UTF-16 surrogates, as Firefox writes it) is one character. A NUL
// is an error.
func ansiC(src string, q *syntax.SglQuoted) (string, error) {
	s, i, start := q.Value, 0, offset(q.Pos())
	var b strings.Builder
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
		if c != '\\' {
			flush()
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s) {
			flush()
			b.WriteByte(c)
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
				return "", syntaxErr(src, start, "a $'…' string contains a NUL character (\\x00), which a command line cannot carry")
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
				return "", syntaxErr(src, start, "a $'…' string contains a NUL character, which a command line cannot carry")
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
				return "", syntaxErr(src, start, "a $'…' string contains a NUL character (\\u0000), which a command line cannot carry")
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
					return "", syntaxErr(src, start, "a $'…' string contains a NUL character (\\0), which a command line cannot carry")
				}
				b.WriteByte(byte(v))
				continue
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	flush()
	return b.String(), nil
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

// offset is the byte offset of a position in the command.
func offset(p syntax.Pos) int { return int(p.Offset()) }

// syntaxErr says what is wrong at byte offset off of the command, by line (when there are several) and column
// (in characters).
func syntaxErr(s string, off int, msg string) error {
	off = min(off, len(s))
	start := strings.LastIndexByte(s[:off], '\n') + 1
	col := utf8.RuneCountInString(s[start:off]) + 1
	if strings.Contains(s, "\n") {
		return fmt.Errorf("%w: line %d, column %d: %s", ErrSyntax, strings.Count(s[:start], "\n")+1, col, msg)
	}
	return fmt.Errorf("%w: column %d: %s", ErrSyntax, col, msg)
}

// parseErr says in the person's words why bash cannot read the command.
func parseErr(s string, err error) error {
	var pe syntax.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	off := offset(pe.Pos)
	if strings.HasPrefix(pe.Text, "reached EOF without closing quote") && off < len(s) {
		switch {
		case s[off] == '\'':
			return syntaxErr(s, off, "a single quote ' is never closed: close it, or paste the whole command")
		case s[off] == '"':
			return syntaxErr(s, off, `a double quote " is never closed: close it, or paste the whole command`)
		case strings.HasPrefix(s[off:], "$'"):
			return syntaxErr(s, off, "a $'…' string is never closed: close it with ', or paste the whole command")
		case s[off] == '`':
			return syntaxErr(s, off, "the command runs another command in `backquotes`: paste the command with its result instead")
		}
	}
	switch {
	case pe.Text == "invalid UTF-8 encoding":
		return syntaxErr(s, off, "the text holds bytes that are not UTF-8 text: paste the command as text")
	case off < len(s) && (s[off] == '(' || s[off] == ')'):
		return operatorErr(s, off, "has an unquoted parenthesis")
	case off < len(s) && strings.IndexByte("|&;<>", s[off]) >= 0:
		return operatorErr(s, off, "has an unquoted "+s[off:off+1])
	}
	return syntaxErr(s, off, "bash cannot read the command ("+pe.Text+"): paste only the curl command, with its URL and data in quotes")
}

func expansionErr(s string, pe *syntax.ParamExp) error {
	// Name the variable (a name is not a secret) so the person knows what to replace.
	if name := pe.Param.Value; syntax.ValidName(name) {
		return syntaxErr(s, offset(pe.Pos()), fmt.Sprintf("the command uses the shell variable $%s, whose value is not in the text: replace it by its value, or put the text in single quotes", name))
	}
	return syntaxErr(s, offset(pe.Pos()), "the command uses a shell expansion ($…) whose value is not in the text: replace it by its value, or quote it with single quotes")
}

// operatorErr says that the command does more than run curl (what) at byte offset off.
func operatorErr(s string, off int, what string) error {
	op, _ := utf8.DecodeRuneInString(s[min(off, len(s)):])
	return syntaxErr(s, off, fmt.Sprintf("the command %s at '%c': paste only the curl command, with its URL and data in quotes", what, op))
}
