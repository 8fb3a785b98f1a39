package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// readSecret reads one secret: the whole of stdin (trailing newline trimmed) with --secret-stdin, else a hidden
// prompt when stdin is a terminal. Secrets are never command-line arguments: those show in `ps`. what names the
// secret in a sentence (secretOf).
func (c *cli) readSecret(fromStdin bool, what string) (string, error) {
	if fromStdin {
		b, err := io.ReadAll(io.LimitReader(c.stdin, 1<<20))
		if err != nil {
			return "", fmt.Errorf("could not read the secret from standard input: %w", err)
		}
		s := strings.TrimRight(string(b), "\r\n")
		if s == "" {
			return "", usagef("--secret-stdin was given but standard input was empty: pipe the secret in, e.g. echo \"$TOKEN\" | apidesk-cli …")
		}
		return s, nil
	}
	f, ok := c.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usagef("%s is needed: pipe it in with --secret-stdin (it is never taken as an argument)", what)
	}
	fmt.Fprintf(c.stderr, "Enter %s (input hidden): ", what)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(c.stderr)
	if err != nil {
		return "", fmt.Errorf("could not read the secret: %w", err)
	}
	if len(b) == 0 {
		return "", usagef("%s was empty", what)
	}
	return string(b), nil
}

// secretOf names a resource's secret of kind k in a sentence: "the bearer token of crm".
func secretOf(k resource.SecretKind, r *resource.Resource) string {
	return fmt.Sprintf("the %s of %s", k.Words(), r.Name)
}

// rowFlags are the key-value row flags shared by resource add, query save and request.
type rowFlags struct {
	headers, params, cookies []string
}

func (f *rowFlags) register(cmd *cobra.Command, what string) {
	cmd.Flags().StringArrayVar(&f.headers, "header", nil, "header 'Name: value' "+what+" (repeat for more)")
	cmd.Flags().StringArrayVar(&f.params, "param", nil, "URL param name=value "+what+" (repeat for more)")
	cmd.Flags().StringArrayVar(&f.cookies, "cookie", nil, "cookie name=value "+what+" (repeat for more)")
}

func (f *rowFlags) rows() (headers, params, cookies kv.List, err error) {
	if headers, err = parseRows("header", f.headers, kv.ParseHeader); err != nil {
		return
	}
	if params, err = parseRows("param", f.params, kv.ParsePair); err != nil {
		return
	}
	cookies, err = parseRows("cookie", f.cookies, kv.ParsePair)
	return
}

// parseRows parses repeated flag values into rows with parse (kv.ParsePair or kv.ParseHeader).
func parseRows(flag string, vals []string, parse func(string) (kv.Pair, error)) (kv.List, error) {
	var out kv.List
	for _, v := range vals {
		p, err := parse(v)
		if err != nil {
			return nil, usagef("--%s: %v", flag, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// parseVars parses --var k=v values.
// variables returns the values of the --var flags and of the --var-stdin ones, which read one line of
// standard input each, in order.
func (c *cli) variables(f outputFlags) (map[string]string, error) {
	vars, err := parseVars(f.vars)
	if err != nil || len(f.varStdin) == 0 {
		return vars, err
	}
	labels := make([]string, len(f.varStdin))
	for i, name := range f.varStdin {
		if !template.ValidName(name) {
			return nil, usagef("--var-stdin %q: a variable name may only use letters, digits, '_', '-' and '.'", name)
		}
		labels[i] = "{{" + name + "}}"
	}
	values, err := c.readLines(labels, func(i int) error {
		return usagef("--var-stdin %s: standard input has no line for it: pipe one line per --var-stdin, in their order", f.varStdin[i])
	})
	if err != nil {
		return nil, err
	}
	for i, name := range f.varStdin {
		vars[name] = values[i]
	}
	return vars, nil
}

// readLines reads one line of standard input for each of labels ("{{token}}", "api_token"), in order: the values
// of secrets piped in. missing is the error for the first label standard input has no line for.
func (c *cli) readLines(labels []string, missing func(i int) error) ([]string, error) {
	in := bufio.NewReader(io.LimitReader(c.stdin, maxStdin))
	out := make([]string, len(labels))
	for i, label := range labels {
		line, err := in.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("could not read the value of %s from standard input: %w", label, err)
		}
		if err == io.EOF && line == "" {
			return nil, missing(i)
		}
		out[i] = strings.TrimRight(line, "\r\n")
	}
	return out, nil
}

// maxStdin bounds what is read from standard input: a pasted curl command, the values of --var-stdin.
const maxStdin = 16 << 20

// askSecretVariables asks with a hidden prompt for each variable of q on r that has no value in vars and that
// is saved as secret or whose name says it holds one (sensitive.Variable), and puts the answer in vars. Without a terminal it says how
// to pipe the value in: a secret given with --var shows in ps and in the shell's history.
func (c *cli) askSecretVariables(q *query.Query, r *resource.Resource, vars map[string]string) error {
	for _, name := range q.VariableNames(r) {
		if _, ok := vars[name]; ok || !sensitive.Variable(name) && !q.Variable(name).Secret() {
			continue
		}
		if f, ok := c.stdin.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
			if s := c.active; s != nil && s.Env != nil && s.Env.Variable(name) != nil && s.Env.Variable(name).Secret {
				return usagef("the variable {{%s}} is secret in %s and you have not entered your value: enter it with apidesk-cli env set %s --secret %s (it is kept in your keychain)", name, s.Env.Name, shellQuote(s.Env.Name), name)
			}
			return usagef("the variable {{%s}} has no value and holds a secret: pipe it in with --var-stdin %s (a value given with --var shows in ps and your shell history)", name, name)
		}
		v, err := c.readSecret(false, fmt.Sprintf("the value of {{%s}}", name))
		if err != nil {
			return err
		}
		vars[name] = v
	}
	return nil
}

// checkVariables checks the values of q's variables on r against what the query saves for them (their type,
// pattern, lowest and highest value: query.Variable.Check, the words the window shows) and returns the values
// to send, in their canonical form. A value refused is bad usage.
func checkVariables(q *query.Query, r *resource.Resource, vars map[string]string) (map[string]string, error) {
	vals, problems, order := q.Fill(r, vars)
	if len(problems) == 0 {
		return vals, nil
	}
	words := make([]string, len(order))
	for i, name := range order {
		words[i] = problems[name].Error()
	}
	return nil, usagef("%s", strings.Join(words, "; "))
}

func parseVars(vals []string) (map[string]string, error) {
	out := make(map[string]string, len(vals))
	for _, v := range vals {
		p, err := kv.ParsePair(v)
		if err != nil {
			return nil, usagef("--var: %v", err)
		}
		out[p.Key] = p.Value
	}
	return out, nil
}
