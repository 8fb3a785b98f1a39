package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
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
