package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"apidesk/engine/jsonview"
	"apidesk/engine/paging"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// outputFlags say what run and request print.
type outputFlags struct {
	vars     []string
	varStdin []string
	fail     bool
	include  bool
	output   string
	maxBody  string // overrides the resource's answer size limit
	maxTime  string // bounds the whole request, body included
	ask      bool   // a query that may change something is confirmed first (run, not request)
	yes      bool   // run without asking
}

func (f *outputFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.vars, "var", nil, "value of a {{variable}}: name=value (repeat for more); never a secret")
	fl.StringArrayVar(&f.varStdin, "var-stdin", nil, "read the value of the {{variable}} NAME from standard input, one line per --var-stdin in order (for secrets)")
	fl.BoolVar(&f.fail, "fail", false, "exit 1 when the answer's status is not 2xx (with --each: when any row failed)")
	fl.BoolVarP(&f.include, "include", "i", false, "print the response headers before the body")
	fl.StringVarP(&f.output, "output", "o", "", "write the body to FILE instead of standard output")
	fl.StringVar(&f.maxBody, "max-body", "", "stop answers larger than SIZE, e.g. 500MB or 5GB (default: the resource's limit, else "+
		resource.FormatMaxBody(resource.DefaultMaxBody)+")")
	fl.StringVar(&f.maxTime, "max-time", "", "give up when the whole answer has not arrived within this time, e.g. 90s or 10m")
}

// limits applies --max-body to the resource (a copy) and --max-time to the context.
func (f *outputFlags) limits(ctx context.Context, r *resource.Resource) (context.Context, context.CancelFunc, *resource.Resource, error) {
	n, err := resource.ParseMaxBody(f.maxBody)
	if err == nil {
		err = resource.ValidateMaxBody(n)
	}
	if err != nil {
		return nil, nil, nil, usagef("--max-body: %v", err)
	}
	if n != 0 {
		copied := *r
		copied.MaxBody, r = n, &copied
	}
	d, err := f.timeLimit()
	if err != nil {
		return nil, nil, nil, err
	}
	if d == 0 {
		ctx, cancel := context.WithCancel(ctx)
		return ctx, cancel, r, nil
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, r, nil
}

// timeLimit is the --max-time of a request, 0 when none is given.
func (f *outputFlags) timeLimit() (time.Duration, error) {
	d, err := resource.ParseTimeout(f.maxTime)
	switch {
	case err != nil:
		return 0, usagef("--max-time: %v", strings.Replace(err.Error(), "Timeout", "The time limit", 1))
	case d < 0:
		return 0, usagef("--max-time: the time limit may not be negative")
	}
	return d, nil
}

// pageFlags ask run for every page of a query that pages.
type pageFlags struct {
	all bool
	max int
}

func (c *cli) runCommand() *cobra.Command {
	var (
		f  outputFlags
		e  eachFlags
		pf pageFlags
	)
	cmd := &cobra.Command{
		Use:   "run QUERY [--var name=value]… [--var-stdin NAME]… [--each FILE.csv] [--yes]",
		Short: "Run a saved query: the body goes to standard output, the status line to standard error",
		Long: `Run a saved query: the body goes to standard output, the status line to standard error.

With --each FILE.csv the query runs once for every row of the file, whose first line names its {{variables}}
(other columns are kept). The results, as CSV, go to standard output or to --results FILE: the file's columns,
then status, error and the fields of each answer. "N of M rows succeeded" goes to standard error.

A query that may change something (any method but GET, HEAD and OPTIONS, or one whose file says
confirm: true) asks "Run it? [y/N]" first on a terminal; without a terminal it runs only with --yes.`,
		Example: `  apidesk-cli run users --var search=ann
  apidesk-cli run export --output export.json --fail
  apidesk-cli run refund --var order_id=1234 --var amount=10.00 --yes
  printf '%s\n' "$SESSION" | apidesk-cli run orders --var-stdin session_id
  apidesk-cli run customer --each emails.csv --results found.csv --concurrency 4 --delay 200ms --fail

  apidesk-cli run orders --all-pages --max-pages 20 > orders.json`,
		Args: exactArgs("QUERY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := e.check(f); err != nil {
				return err
			}
			vars, err := c.variables(f)
			if err != nil {
				return err
			}
			_, q, r, err := c.queryNamed(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			r, q, vals, s, err := c.inEnvironment(cmd.Context(), r, q, vars)
			if err != nil {
				return err
			}
			c.envNote(s)
			if e.file != "" {
				return c.runEach(cmd.Context(), r, q, vals, f, e)
			}
			if pf.all || cmd.Flags().Changed("max-pages") {
				return c.sendAllPages(cmd.Context(), r, q, vals, f, pf)
			}
			return c.send(cmd.Context(), r, q, vals, f)
		},
	}
	f.register(cmd)
	e.register(cmd)
	cmd.Flags().BoolVar(&pf.all, "all-pages", false, "load every page of a query that pages and write all their rows as one JSON array")
	cmd.Flags().IntVar(&pf.max, "max-pages", paging.DefaultMaxPages, "with --all-pages, load at most N pages")
	f.ask = true
	cmd.Flags().BoolVarP(&f.yes, "yes", "y", false, "run a query that may change something without asking first (needed without a terminal)")
	return cmd
}

// sendAllPages loads every page of q, as its paging rule says, and prints all their rows as one JSON array;
// how many there were and why the pages ended go to standard error.
func (c *cli) sendAllPages(ctx context.Context, r *resource.Resource, q *query.Query, vars map[string]string, f outputFlags, pf pageFlags) error {
	switch {
	case !q.Paging.Pages():
		return usagef("the query %s loads one page: say how its API pages in the editor's Paging tab (or the paging section of its file)", shellQuote(q.Name))
	case pf.max < 1:
		return usagef("--max-pages must be 1 or more")
	case f.include:
		return usagef("--include shows one answer's headers: leave it out with --all-pages")
	}
	ctx, cancel, r, err := f.limits(ctx, r)
	if err != nil {
		return err
	}
	defer cancel()
	if err := c.askSecretVariables(q, r, vars); err != nil {
		return err
	}
	if vars, err = checkVariables(q, r, vars); err != nil {
		return err
	}
	rn := c.runner()
	_, _ = rn.SweepTemp()
	pager := paging.New(q, r, vars, pf.max)
	var rows [][]byte
	err = paging.All(ctx, rn, r, q, vars, pager, func(page [][]byte) error {
		rows = append(rows, page...)
		return nil
	})
	if err != nil {
		return c.explain(ctx, r, f, err)
	}
	out := append(jsonview.JoinArray(rows), '\n')
	if f.output != "" {
		if err := os.WriteFile(f.output, out, 0o600); err != nil {
			return fmt.Errorf("cannot save the rows: %w", err)
		}
	} else if _, err := c.stdout.Write(out); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "%s. %s\n", pager.Count(), pager.Stopped())
	if f.fail && pager.Failed() {
		return exitError{code: exitFailed, msg: "a page was refused (--fail)"}
	}
	return nil
}

func (c *cli) requestCommand() *cobra.Command {
	var (
		f   outputFlags
		req requestFlags
	)
	cmd := &cobra.Command{
		Use:   "request RESOURCE METHOD PATH [flags]",
		Short: "Send a request on a resource without saving it",
		Example: `  apidesk-cli request github GET /users/octocat
  apidesk-cli request crm POST /users --json '{"name": "Ann"}' --fail
  apidesk-cli request crm POST /upload --multipart 'note=monthly' --multipart 'file=@report.pdf'
  apidesk-cli request crm PUT /backups/today --body-file backup.tar.gz`,
		Args: exactArgs("RESOURCE", "METHOD", "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			vars, err := c.variables(f)
			if err != nil {
				return err
			}
			req.resource, req.method, req.path = args[0], args[1], args[2]
			_, r, q, err := c.query(cmd.Context(), &req, "request")
			if err != nil {
				return err
			}
			r, q, vals, s, err := c.inEnvironment(cmd.Context(), r, q, vars)
			if err != nil {
				return err
			}
			c.envNote(s)
			return c.send(cmd.Context(), r, q, vals, f)
		},
	}
	req.register(cmd, false)
	f.register(cmd)
	return cmd
}

// send runs the request and prints the answer.
func (c *cli) send(ctx context.Context, r *resource.Resource, q *query.Query, vars map[string]string, f outputFlags) error {
	ctx, cancel, r, err := f.limits(ctx, r)
	if err != nil {
		return err
	}
	defer cancel()
	if err := c.askSecretVariables(q, r, vars); err != nil {
		return err
	}
	if vars, err = checkVariables(q, r, vars); err != nil {
		return err
	}
	if f.ask && !f.yes && q.AsksFirst() {
		if err := c.confirm(q, q.Confirmation(r, vars)); err != nil {
			return err
		}
	}
	rn := c.runner()
	_, _ = rn.SweepTemp() // what a crashed run left behind; a file it cannot remove is no reason to fail this one
	resp, err := rn.Do(ctx, r, q, vars)
	if err != nil {
		return c.explain(ctx, r, f, err)
	}
	defer resp.Close()
	fmt.Fprintf(c.stderr, "%s %s · %s · %s\n", resp.Proto, resp.Status, resp.Timing.Total.Round(time.Millisecond), runner.FormatSize(resp.Size))
	if f.include {
		fmt.Fprintf(c.stdout, "%s %s\n", resp.Proto, resp.Status)
		keys := make([]string, 0, len(resp.Header))
		for k := range resp.Header {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range resp.Header[k] {
				fmt.Fprintf(c.stdout, "%s: %s\n", k, v)
			}
		}
		fmt.Fprintln(c.stdout)
	}
	if f.output != "" {
		if err := resp.SaveTo(f.output); err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "Saved the body (%s) to %s\n", runner.FormatSize(resp.Size), f.output)
	} else if err := c.writeBody(resp); err != nil {
		return err
	}
	if f.fail && (resp.StatusCode < 200 || resp.StatusCode > 299) {
		return exitError{code: exitFailed, msg: fmt.Sprintf("the server answered %s (--fail)", resp.Status)}
	}
	return nil
}

// explain adds to a failed request's error what to do about it on the command line.
func (c *cli) explain(ctx context.Context, r *resource.Resource, f outputFlags, err error) error {
	if errors.Is(err, resource.ErrNotSignedIn) && r.Auth.Kind == resource.AuthOAuth2 {
		return fmt.Errorf("%w: sign in with apidesk-cli login %s%s", err, shellQuote(r.Name), c.envFlag())
	}
	if c.active != nil {
		err = c.active.Missing(err)
	}
	if errors.Is(err, runner.ErrTooLarge) {
		where := "the resource's file"
		if ws, werr := c.workspace(ctx); werr == nil {
			if file, ok := ws.File(ownID(r.ID)); ok {
				where = file
			}
		}
		return fmt.Errorf("%w. The setting is max_body in %s; for this run only, pass --max-body with a larger size", err, where)
	}
	if errors.Is(err, runner.ErrTimeout) && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w (--max-time %s)", err, f.maxTime)
	}
	return err
}

// confirm asks question on the terminal (the window's words for running q, a query that may change something).
// Without a terminal to ask on it refuses (bad usage): a script says --yes.
func (c *cli) confirm(q *query.Query, question string) error {
	in, ok := c.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		why := "it may change something (" + q.EffectiveMethod() + ")"
		if !query.Writes(q.Method) {
			why = "its file asks for a confirmation"
		}
		return usagef("%s was not run: %s, and there is no terminal to ask you on. Pass --yes to run it without asking", q.Name, why)
	}
	fmt.Fprintf(c.stderr, "%s [y/N] ", question)
	line, err := bufio.NewReader(io.LimitReader(in, 1024)).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("could not read your answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return exitError{code: exitFailed, msg: "Not run."}
}

// writeBody prints the body: pretty JSON when stdout is a terminal and the body is JSON that fits in memory,
// else the bytes as they came.
func (c *cli) writeBody(resp *runner.Response) error {
	if isTerminal(c.stdout) && !resp.Truncated && isJSON(resp.Header.Get("Content-Type"), resp.Body) {
		var buf bytes.Buffer
		if json.Indent(&buf, resp.Body, "", "  ") == nil {
			buf.WriteByte('\n')
			_, err := buf.WriteTo(c.stdout)
			return err
		}
	}
	_, err := resp.WriteTo(c.stdout)
	if err == nil && isTerminal(c.stdout) && resp.Size > 0 {
		fmt.Fprintln(c.stdout)
	}
	return err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func isJSON(contentType string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/json" || strings.HasSuffix(mt, "+json") {
		return true
	}
	t := bytes.TrimSpace(body)
	return mt == "" && len(t) > 0 && (t[0] == '{' || t[0] == '[')
}
