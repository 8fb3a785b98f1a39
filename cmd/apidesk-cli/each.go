package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"apidesk/engine/advice"
	"apidesk/engine/batch"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// eachFlags are run's flags for running a query once for every row of a CSV file.
type eachFlags struct {
	file        string
	results     string
	concurrency int
	delay       string
	stopOnError bool
}

// maxConcurrency bounds --concurrency: more requests at once than this is a load test, not a list.
const maxConcurrency = 64

func (e *eachFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&e.file, "each", "", "run the query once for every row of FILE.csv, whose first line names the {{variables}}")
	fl.StringVar(&e.results, "results", "", "with --each: write the results (CSV) to FILE instead of standard output")
	fl.IntVar(&e.concurrency, "concurrency", 1, "with --each: how many requests to send at once")
	fl.StringVar(&e.delay, "delay", "", "with --each: pause this long after each request, e.g. 200ms or 2s")
	fl.BoolVar(&e.stopOnError, "stop-on-error", false, "with --each: stop at the first row that fails")
}

// check refuses the flags that do not go together.
func (e *eachFlags) check(f outputFlags) error {
	if e.file == "" {
		for _, fl := range []struct {
			name string
			set  bool
		}{{"results", e.results != ""}, {"concurrency", e.concurrency != 1}, {"delay", e.delay != ""}, {"stop-on-error", e.stopOnError}} {
			if fl.set {
				return usagef("--%s goes with --each FILE.csv", fl.name)
			}
		}
		return nil
	}
	switch {
	case f.output != "":
		return usagef("--each writes a table of results, not one body: use --results FILE instead of --output")
	case f.include:
		return usagef("--each writes a table of results: --include does not go with it")
	case e.concurrency < 1 || e.concurrency > maxConcurrency:
		return usagef("--concurrency: give how many requests to send at once, from 1 to %d", maxConcurrency)
	}
	return nil
}

// pause is the --delay.
func (e *eachFlags) pause() (time.Duration, error) {
	d, err := resource.ParseTimeout(e.delay)
	switch {
	case err != nil:
		return 0, usagef("--delay: %v", strings.Replace(err.Error(), "Timeout", "The pause", 1))
	case d < 0:
		return 0, usagef("--delay: the pause may not be negative")
	}
	return d, nil
}

// runEach runs q once for every row of the --each file and writes the results. The file is read and checked
// whole before anything is sent; a malformed one is bad usage (exit 2), with its line.
func (c *cli) runEach(ctx context.Context, r *resource.Resource, q *query.Query, vars map[string]string, f outputFlags, e eachFlags) error {
	delay, err := e.pause()
	if err != nil {
		return err
	}
	rowTimeout, err := f.timeLimit()
	if err != nil {
		return err
	}
	l, err := readList(e.file)
	if err != nil {
		return err
	}
	// A secret variable no column fills is asked once, for every row.
	given := q.Values(vars)
	ask := make(map[string]string, len(given)+len(l.Header))
	for _, h := range l.Header {
		ask[h] = ""
	}
	for k, v := range given {
		ask[k] = v
	}
	if err := l.Check(q.VariableNames(r), ask); err != nil {
		return usageError{fmt.Errorf("%s: %w", e.file, err)}
	}
	if err := c.askSecretVariables(q, r, ask); err != nil {
		return err
	}
	for k, v := range ask {
		if !slices.Contains(l.Header, k) {
			given[k] = v // an answer to the prompt; a column of the same name wins over a --var anyway
		}
	}
	if f.ask && !f.yes && q.AsksFirst() {
		// Once for the whole list, with its row count, as the window asks.
		question := fmt.Sprintf("This will %s to %s: %s, once for each of the %d rows of %s. Run it?",
			q.EffectiveMethod(), r.Name, q.Name, len(l.Rows), e.file)
		if err := c.confirm(q, question); err != nil {
			return err
		}
	}
	f.maxTime = ""
	ctx, cancel, r, err := f.limits(ctx, r)
	if err != nil {
		return err
	}
	defer cancel()
	out := c.stdout
	if e.results != "" {
		file, err := os.Create(e.results)
		if err != nil {
			return fmt.Errorf("cannot write the results: %w", err)
		}
		defer file.Close()
		out = file
	}
	rn := c.runner()
	_, _ = rn.SweepTemp()
	p := newProgressLine(c.stderr)
	rs, runErr := batch.Run(ctx, rn, r, q, l, batch.Options{
		Concurrency: e.concurrency, Delay: delay, StopOnError: e.stopOnError, Vars: given, RowTimeout: rowTimeout,
		OnProgress: p.show,
	})
	p.clear()
	if err := rs.WriteCSV(out); err != nil {
		return fmt.Errorf("cannot write the results: %w", err)
	}
	if file, ok := out.(*os.File); ok && out != c.stdout {
		if err := file.Close(); err != nil {
			return fmt.Errorf("cannot write the results to %s: %w", e.results, err)
		}
	}
	fmt.Fprintln(c.stderr, summary(rs, e.results))
	switch {
	case errors.Is(runErr, resource.ErrNotSignedIn) && r.Auth.Kind == resource.AuthOAuth2:
		return fmt.Errorf("%w: sign in with apidesk-cli login %s", runErr, shellQuote(r.Name))
	case errors.Is(runErr, context.Canceled):
		return exitError{code: exitFailed, msg: "cancelled: the rows not run are marked so in the results"}
	case runErr != nil:
		return runErr
	case f.fail && len(rs.Failed()) > 0:
		return exitError{code: exitFailed}
	}
	return nil
}

// readList reads and checks the --each file.
func readList(path string) (*batch.List, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, usagef("--each: cannot read the list: %v", err)
	}
	defer file.Close()
	l, err := batch.Read(file)
	if errors.Is(err, batch.ErrMalformed) {
		return nil, usageError{fmt.Errorf("%s: %w", path, err)}
	}
	return l, err
}

// summary is the line said when a list has run: "998 of 1000 rows succeeded; 2 failed (lines 4, 17)".
func summary(rs *batch.Results, resultsFile string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d rows succeeded", rs.Succeeded(), len(rs.Rows))
	if failed := rs.Failed(); len(failed) > 0 {
		lines := make([]string, 0, 10)
		for _, l := range failed[:min(len(failed), 10)] {
			lines = append(lines, strconv.Itoa(l))
		}
		more := ""
		if len(failed) > 10 {
			more = ", …"
		}
		word := "line"
		if len(failed) > 1 {
			word = "lines"
		}
		fmt.Fprintf(&b, "; %d failed (%s %s%s)", len(failed), word, strings.Join(lines, ", "), more)
	}
	if n := rs.NotRun(); n > 0 {
		fmt.Fprintf(&b, "; %d not run", n)
	}
	if resultsFile != "" {
		fmt.Fprintf(&b, ". Results in %s", resultsFile)
	}
	return b.String()
}

// progressLine shows a run's progress on one line of a terminal, at most ten times a second; elsewhere
// (a pipe, a log file) nothing.
type progressLine struct {
	w    io.Writer
	on   bool
	mu   sync.Mutex
	last time.Time
	used bool
}

func newProgressLine(w io.Writer) *progressLine {
	return &progressLine{w: w, on: isTerminal(w)}
}

func (p *progressLine) show(pr batch.Progress) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond && pr.Waiting == 0 && pr.Remaining() > 0 {
		return
	}
	p.last, p.used = time.Now(), true
	line := fmt.Sprintf("%d of %d rows · %d failed · %d left · %.1f rows/s", pr.Done, pr.Total, pr.Failed, pr.Remaining(), pr.Rate())
	if pr.Waiting > 0 {
		line += " · waiting " + advice.Duration(pr.Waiting) + ": the server asked to slow down"
	}
	fmt.Fprint(p.w, "\r\033[K"+line)
}

func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.used {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
