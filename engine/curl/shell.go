package curl

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// splitWords splits a bash command line into the words bash would hand to curl (see splitCommands): those of
// its first curl command.
func splitWords(s string) ([]string, error) {
	cs, err := splitCommands(s)
	if err != nil {
		return nil, err
	}
	return cs[0].words, nil
}

// command is one curl command line as bash would run it.
type command struct {
	words []string
	// stdin is what the command's standard input is, from a redirection or a pipe: nil when it has none.
	stdin *stdin
	// vars are the shell variables the command uses ($NAME, ${NAME}), in order: each is in the words as the
	// {{variable}} of the same name.
	vars []string
}

// stdin is a command's standard input: a file (< FILE, cat FILE |), text (a <<here-document, a <<< string,
// echo TEXT |), or the output of another program, which is not in the text.
type stdin struct {
	file    string // as written
	text    string
	isFile  bool
	program string // the program whose output it is, when it is neither a file nor text
}

// splitCommands splits a bash command line into the curl commands it runs, each as the words bash would
// hand to curl. mvdan.cc/sh/v3/syntax parses it (quotes, $'…' strings, backslash escapes and continuations,
// CRLF line ends, # comments) and expand.Fields removes the quotes, as bash does, brace expansion included.
// There is always at least one command.
//
// A shell variable ($NAME or ${NAME}, whose value is not in the text) becomes the {{variable}} NAME, so the
// query asks for it when it runs. What curl's output goes to (> FILE, 2>&1, | jq) is left out: it does not
// change the request. Standard input from a file, a here-document, a <<< string, echo or cat is kept, for the
// options that read it (@-). Several curl commands, on their own lines, after ';' or in a pipe, are each a
// command. A line that does not start with curl continues the command before it, so a command whose
// continuation backslashes were lost still reads. Anything else that would make bash do more than run curl
// with literal words is an error that says what to change: $(commands) and backquotes, other expansions,
// background jobs, && and ||, and other shell syntax.
//
// $'…' strings are decoded here, not by expand: browsers write them for bash but mean more by them than bash
// does (see ansiC), and a NUL in one is an error rather than the end of the word.
func splitCommands(s string) ([]*command, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return nil, syntaxErr(s, i, "the text contains a NUL character, which a command line cannot carry")
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(s), "")
	if err != nil {
		return nil, parseErr(s, err)
	}
	cfg := &expand.Config{Env: expand.FuncEnviron(keepTilde)}
	var cmds []*command
	var first *command       // the text's first command, curl or not
	var semicolon syntax.Pos // the ';' that ended the statement before, if one did
	for _, st := range f.Stmts {
		if semicolon.IsValid() && !startsWithCurl(st) {
			// After ';' (as in an unquoted URL with ;…), another command rather than a line of options.
			return nil, operatorErr(s, offset(semicolon), "holds more than one command")
		}
		members, err := pipeline(s, st)
		if err != nil {
			return nil, err
		}
		var prev *command // the member before, in a pipe
		for i, m := range members {
			c := &command{}
			for _, w := range m.Args {
				if err := literal(s, w, &c.vars); err != nil {
					return nil, err
				}
				fields, err := expand.Fields(cfg, w)
				if err != nil {
					return nil, syntaxErr(s, offset(w.Pos()), "bash cannot read this word: "+err.Error())
				}
				c.words = append(c.words, fields...)
			}
			for _, r := range m.redirs {
				in, err := redirect(s, cfg, r, &c.vars)
				if err != nil {
					return nil, err
				}
				if in != nil {
					c.stdin = in
				}
			}
			if first == nil {
				first = c
			}
			switch {
			case isCurl(c.words):
				if i > 0 && c.stdin == nil {
					c.stdin = pipedInput(prev)
				}
				cmds = append(cmds, c)
			case i == 0 && len(cmds) > 0:
				// A line of options after a command whose backslashes were lost, or a ;-separated statement.
				if semicolon.IsValid() {
					return nil, operatorErr(s, offset(semicolon), "holds more than one command")
				}
				last := cmds[len(cmds)-1]
				last.words = append(last.words, c.words...)
				last.vars = appendNew(last.vars, c.vars...)
				if c.stdin != nil {
					last.stdin = c.stdin
				}
			case i == 0 && len(members) == 1:
				cmds = append(cmds, c) // not curl: Parse says so
			}
			prev = c
		}
		semicolon = st.Semicolon
	}
	if len(cmds) == 0 {
		if first == nil {
			first = &command{}
		}
		return []*command{first}, nil
	}
	return cmds, nil
}

// startsWithCurl reports whether a statement is a curl command, as far as its first word says.
func startsWithCurl(st *syntax.Stmt) bool {
	for {
		switch cmd := st.Cmd.(type) {
		case *syntax.CallExpr:
			if len(cmd.Assigns) > 0 || len(cmd.Args) == 0 {
				return false
			}
			words := []string{cmd.Args[0].Lit()}
			if words[0] == "$" && len(cmd.Args) > 1 {
				words = append(words, cmd.Args[1].Lit())
			}
			return isCurl(words)
		case *syntax.BinaryCmd:
			st = cmd.X
		default:
			return false
		}
	}
}

// member is one command of a pipe, with its redirections.
type member struct {
	*syntax.CallExpr
	redirs []*syntax.Redirect
}

// pipeline returns the commands a statement runs: one, or those of a pipe in order.
func pipeline(s string, st *syntax.Stmt) ([]member, error) {
	switch {
	case st.Background:
		return nil, operatorErr(s, offset(st.Semicolon), "has an unquoted & (a URL with several parameters must be in quotes)")
	case st.Negated:
		return nil, operatorErr(s, offset(st.Pos()), "has an unquoted !")
	}
	switch cmd := st.Cmd.(type) {
	case nil:
		return nil, nil
	case *syntax.CallExpr:
		if len(cmd.Assigns) > 0 {
			return nil, syntaxErr(s, offset(cmd.Pos()), fmt.Sprintf("the command sets the shell variable %s first: paste only the curl command", cmd.Assigns[0].Name.Value))
		}
		return []member{{cmd, st.Redirs}}, nil
	case *syntax.BinaryCmd:
		if cmd.Op != syntax.Pipe && cmd.Op != syntax.PipeAll {
			return nil, operatorErr(s, offset(cmd.OpPos), "holds more than one command")
		}
		left, err := pipeline(s, cmd.X)
		if err != nil {
			return nil, err
		}
		right, err := pipeline(s, cmd.Y)
		if err != nil {
			return nil, err
		}
		return append(left, right...), nil
	case *syntax.Subshell:
		return nil, operatorErr(s, offset(cmd.Pos()), "has an unquoted parenthesis")
	}
	return nil, syntaxErr(s, offset(st.Pos()), "the text is shell code, not one curl command: paste only the curl command, with its URL and data in quotes")
}

// isCurl reports whether words run curl (after a pasted "$ " prompt, if any).
func isCurl(words []string) bool {
	if len(words) > 1 && words[0] == "$" {
		words = words[1:]
	}
	if len(words) == 0 {
		return false
	}
	name := path.Base(strings.ReplaceAll(words[0], `\`, "/"))
	return name == "curl" || strings.EqualFold(name, "curl.exe")
}

// pipedInput is what a command in a pipe reads: what the command before it (prev) writes. echo TEXT writes
// the text, cat FILE the file; what another program writes is not in the text.
func pipedInput(prev *command) *stdin {
	if prev == nil || len(prev.words) == 0 {
		return &stdin{program: "another program"}
	}
	w := prev.words
	switch {
	case w[0] == "echo" && (len(w) == 1 || !strings.HasPrefix(w[1], "-")):
		return &stdin{text: strings.Join(w[1:], " ") + "\n"}
	case w[0] == "echo" && w[1] == "-n" && (len(w) == 2 || !strings.HasPrefix(w[2], "-")):
		return &stdin{text: strings.Join(w[2:], " ")}
	case w[0] == "cat" && len(w) == 2 && w[1] != "-" && !strings.HasPrefix(w[1], "-"):
		return &stdin{file: w[1], isFile: true}
	}
	return &stdin{program: w[0]}
}

func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		if !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}

// redirect reads one redirection: the standard input it gives the command, or nil for one that only sends
// curl's output elsewhere.
func redirect(s string, cfg *expand.Config, r *syntax.Redirect, vars *[]string) (*stdin, error) {
	switch r.Op {
	case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.DplOut, syntax.RdrAll, syntax.AppAll:
		return nil, nil // where curl writes what it gets: not part of the request
	case syntax.RdrIn:
		if hasExpansion(r.Word) {
			return nil, syntaxErr(s, offset(r.OpPos), "the command reads its input from a file whose name is not in the text: write the file's name")
		}
		if err := literal(s, r.Word, vars); err != nil {
			return nil, err
		}
		name, err := expand.Literal(cfg, r.Word)
		if err != nil || name == "" {
			return nil, syntaxErr(s, offset(r.OpPos), "bash cannot read the name of the file after <")
		}
		return &stdin{file: name, isFile: true}, nil
	case syntax.Hdoc, syntax.DashHdoc:
		if err := literal(s, r.Hdoc, vars); err != nil {
			return nil, err
		}
		text, err := expand.Document(cfg, r.Hdoc)
		if err != nil {
			return nil, syntaxErr(s, offset(r.OpPos), "bash cannot read the here-document: "+err.Error())
		}
		return &stdin{text: text}, nil
	case syntax.WordHdoc:
		if err := literal(s, r.Word, vars); err != nil {
			return nil, err
		}
		text, err := expand.Literal(cfg, r.Word)
		if err != nil {
			return nil, syntaxErr(s, offset(r.OpPos), "bash cannot read the text after <<<: "+err.Error())
		}
		return &stdin{text: text + "\n"}, nil
	}
	return nil, operatorErr(s, offset(r.OpPos), "redirects input or output")
}

// hasExpansion reports whether a word has a shell expansion ($NAME, $(…), `…`) outside single quotes.
func hasExpansion(w *syntax.Word) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp, *syntax.ProcSubst:
			found = true
		}
		return !found
	})
	return found
}

// keepTilde is the environment words are expanded in: ~ and ~name stand for themselves, so reading a pasted
// command never looks up this computer's home directories.
func keepTilde(name string) string {
	if user, ok := strings.CutPrefix(name, "HOME"); ok {
		return "~" + strings.TrimPrefix(user, " ")
	}
	return ""
}

// literal checks that a word has no expansion whose value is not in the text but for plain shell variables,
// which it replaces by {{variables}} (adding their names to vars), and decodes its $'…' strings.
func literal(s string, w *syntax.Word, vars *[]string) error {
	if w == nil { // an empty here-document
		return nil
	}
	var err error
	syntax.Walk(w, func(n syntax.Node) bool {
		if err != nil {
			return false
		}
		switch n := n.(type) {
		case *syntax.Word:
			n.Parts = variables(n.Parts, false, vars)
		case *syntax.DblQuoted:
			n.Parts = variables(n.Parts, true, vars)
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

// variables replaces each plain shell variable ($NAME, ${NAME}) among parts by the text {{NAME}}: quoted
// within double quotes, single-quoted elsewhere (bash would split an unquoted value; a {{variable}} stays
// one word). Other expansions stay, for literal to refuse.
func variables(parts []syntax.WordPart, inDouble bool, vars *[]string) []syntax.WordPart {
	for i, part := range parts {
		pe, ok := part.(*syntax.ParamExp)
		if !ok || !plainVariable(pe) {
			continue
		}
		name := pe.Param.Value
		*vars = appendNew(*vars, name)
		text := "{{" + name + "}}"
		if inDouble {
			parts[i] = &syntax.Lit{ValuePos: pe.Pos(), ValueEnd: pe.End(), Value: text}
		} else {
			parts[i] = &syntax.SglQuoted{Left: pe.Pos(), Right: pe.End(), Value: text}
		}
	}
	return parts
}

// plainVariable reports whether pe is $NAME or ${NAME} and nothing more, with a name a variable may have.
func plainVariable(pe *syntax.ParamExp) bool {
	return pe.Param != nil && syntax.ValidName(pe.Param.Value) && pe.Flags == nil && !pe.Excl && !pe.Length &&
		!pe.Width && !pe.IsSet && pe.NestedParam == nil && pe.Index == nil && len(pe.Modifiers) == 0 &&
		pe.Slice == nil && pe.Repl == nil && pe.Names == 0 && pe.Exp == nil
}

// ansiC decodes a $'…' string (bash's ANSI-C quoting) of the command s. This is the part mvdan.cc/sh's expand
// does not do the way browsers mean it (the Firefox cases of the tests):
//
// Bytes written as \xHH (or \nnn) are kept as bytes when together they spell UTF-8, as bash would send them; otherwise
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
		if e >= '0' && e <= '7' { // \nnn: one to three octal digits, a byte as \xHH is
			v, n := int(e-'0'), 0
			for n < 2 && i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '7' {
				v = v*8 + int(s[i+n]-'0')
				n++
			}
			i += n
			if v&0xff == 0 {
				return "", syntaxErr(src, start, "a $'…' string contains a NUL character (\\0), which a command line cannot carry")
			}
			hexRun = append(hexRun, byte(v))
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
