// Command apidesk-cli is the headless face of apidesk: the same engine as the window, for scripts, support
// staff and tests. Exit status: 0 success, 1 a failed request (or a non-2xx answer with --fail), 2 bad usage.
// Errors go to stderr in one clear line. Secrets are never taken as arguments: --secret-stdin or a hidden prompt.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"apidesk/engine/resource"
	"apidesk/engine/template"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// usageError marks an error as bad usage (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// exitError carries a chosen exit status with an optional message (empty: nothing more to print).
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	root := c.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "apidesk-cli: "+oneLine(ee.msg))
		}
		return ee.code
	}
	msg := err.Error()
	var moved *resource.OriginChangedError
	if errors.As(err, &moved) {
		msg = strings.TrimSuffix(strings.TrimSpace(msg), ".") + ": apidesk-cli resource trust " + shellQuote(moved.Resource)
	}
	fmt.Fprintln(stderr, "apidesk-cli: "+oneLine(msg))
	var missing *template.MissingError
	if errors.As(err, &missing) {
		fmt.Fprintln(stderr, missingHint(missing.Names))
	}
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, template.ErrMissing) || isCobraUsage(err) {
		fmt.Fprintln(stderr, "Run 'apidesk-cli --help' for usage.")
		return exitUsage
	}
	return exitFailed
}

// missingHint says how to give the variables named a value on the command line.
func missingHint(names []string) string {
	it := "it"
	if len(names) > 1 {
		it = "each"
	}
	return fmt.Sprintf("Give %s a value with --var %s=… (or --var-stdin NAME for a secret).", it, strings.Join(names, "=… --var "))
}

// isCobraUsage recognises the errors cobra and pflag return for bad flags and arguments.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r", "")
	return strings.ReplaceAll(s, "\n", " ")
}
