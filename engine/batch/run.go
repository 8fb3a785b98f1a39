package batch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"apidesk/engine/advice"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// Doer sends one query: *runner.Runner is one.
type Doer interface {
	Do(ctx context.Context, res *resource.Resource, q *query.Query, vars map[string]string) (*runner.Response, error)
}

// Defaults of Options.
const (
	DefaultMaxWait = 5 * time.Minute // the longest Retry-After a run waits for
	DefaultRetries = 5               // how many times a row answered 429 is sent again
)

// Options say how a list is run.
type Options struct {
	Concurrency int               // requests in flight at once; 1 when 0 or less
	Delay       time.Duration     // the pause after a request before the same worker sends the next
	StopOnError bool              // stop the run at the first row that fails
	Vars        map[string]string // values for every row (saved defaults, values given once); a column wins
	RowTimeout  time.Duration     // bounds each request, its body included; 0: only the resource's timeout
	MaxWait     time.Duration     // a 429 asking to wait longer stops the run; 0 is DefaultMaxWait
	Retries     int               // times a row answered 429 is sent again; 0 is DefaultRetries, < 0 none

	// OnProgress, when set, is called after each row and when the run starts waiting on a 429. Calls never
	// overlap; it runs on the run's goroutines, so it must be quick (a window hands it to its UI thread).
	OnProgress func(Progress)
}

// Progress is how far a run has come.
type Progress struct {
	Total, Done, Failed int           // rows in the list; rows answered (failed ones included); rows that failed
	Elapsed             time.Duration // since the run started
	Waiting             time.Duration // > 0: the server asked for a pause this long (429) and the run is waiting
}

// Remaining is how many rows have not been answered yet.
func (p Progress) Remaining() int { return p.Total - p.Done }

// Rate is the rows answered per second so far.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Done) / p.Elapsed.Seconds()
}

// ErrStopped is what Run returns (wrapped) when it stopped before the end of the list on its own: a row failed
// with StopOnError, the server asked to wait longer than MaxWait, or an error that every row would meet (not
// signed in, the resource's address changed). A cancelled context gives the context's error instead.
var ErrStopped = errors.New("the run stopped")

// stopError is an ErrStopped with its reason in words.
type stopError struct {
	msg   string
	cause error
}

func (e *stopError) Error() string   { return e.msg }
func (e *stopError) Unwrap() []error { return []error{ErrStopped, e.cause} }

// Run sends q on res once for every row of l, with the row's values for its variables (List.Vars with
// opt.Vars), and returns the results of every row, those not run included (Result.Ran false), in the list's
// order. A row that fails (no answer, or an answer that is not 2xx) is recorded and the run goes on, unless
// opt.StopOnError. An answer 429 Too Many Requests pauses every request for as long as its Retry-After says
// (1 s, 2 s, 4 s… when it does not) and sends the row again. Call l.Check first.
//
// The error is nil when every row was sent; otherwise it says why the run stopped, and matches ErrStopped or
// the context's error.
func Run(ctx context.Context, d Doer, res *resource.Resource, q *query.Query, l *List, opt Options) (*Results, error) {
	b := &batch{d: d, res: res, q: q, l: l, opt: opt, start: time.Now()}
	b.results = &Results{Header: l.Header, Rows: make([]Result, len(l.Rows))}
	for i, row := range l.Rows {
		b.results.Rows[i] = Result{Line: row.Line, Values: row.Values}
	}
	b.prog.Total = len(l.Rows)
	ctx, b.stop = context.WithCancelCause(ctx)
	defer b.stop(nil)
	n := max(opt.Concurrency, 1)
	rows := make(chan int)
	var wg sync.WaitGroup
	for range min(n, len(l.Rows)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent := false
			for i := range rows {
				if sent && opt.Delay > 0 && sleep(ctx, opt.Delay) != nil {
					return
				}
				b.row(ctx, i)
				sent = true
			}
		}()
	}
feed:
	for i := range l.Rows {
		select {
		case rows <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(rows)
	wg.Wait()
	if ctx.Err() == nil {
		return b.results, nil
	}
	return b.results, context.Cause(ctx)
}

// batch is one run in progress.
type batch struct {
	d     Doer
	res   *resource.Resource
	q     *query.Query
	l     *List
	opt   Options
	start time.Time
	stop  context.CancelCauseFunc

	mu         sync.Mutex
	prog       Progress
	pauseUntil time.Time // no request starts before this (a 429's Retry-After)
	results    *Results  // each row is written by the one worker that runs it
}

// row runs row i, sending it again after a 429 as long as its retries last.
func (b *batch) row(ctx context.Context, i int) {
	r := &b.results.Rows[i]
	vars := b.l.Vars(b.l.Rows[i], b.opt.Vars)
	retries := b.opt.Retries
	if retries == 0 {
		retries = DefaultRetries
	}
	for attempt := 0; ; attempt++ {
		if err := b.waitPause(ctx); err != nil {
			return // not run
		}
		if ctx.Err() != nil {
			return
		}
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if b.opt.RowTimeout > 0 {
			rctx, cancel = context.WithTimeout(ctx, b.opt.RowTimeout)
		}
		resp, err := b.d.Do(rctx, b.res, b.q, vars)
		if err == nil && resp.StatusCode == http.StatusTooManyRequests && attempt < retries {
			wait, ok := advice.RetryAfter(resp.Header, time.Now())
			if !ok {
				wait = time.Second << attempt
			}
			resp.Close()
			cancel()
			if err := b.pause(wait); err != nil {
				b.stop(err)
				return
			}
			continue
		}
		b.record(ctx, r, resp, err)
		if resp != nil {
			resp.Close()
		}
		cancel()
		return
	}
}

// record fills in a row's result from its answer or error, counts it, and stops the run when it must.
func (b *batch) record(ctx context.Context, r *Result, resp *runner.Response, err error) {
	if err != nil && ctx.Err() != nil {
		return // cancelled mid-request: left as not run
	}
	r.Ran = true
	switch {
	case err != nil:
		r.Err = err.Error()
	default:
		r.Status = resp.StatusCode
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			r.Err = "the server answered " + resp.Status
			if a := advice.For(resp, b.res.Auth.Kind, time.Now()); a != nil && a.Quote != "" {
				r.Err += ": “" + a.Quote + "”"
			}
		}
		f := fields(ctx, resp, b.q.Result)
		r.Fields, r.Array, r.Count, r.Records = f.Fields, f.Array, f.Count, f.Records
	}
	b.mu.Lock()
	b.prog.Done++
	if r.Failed() {
		b.prog.Failed++
	}
	b.prog.Elapsed, b.prog.Waiting = time.Since(b.start), 0
	b.report()
	b.mu.Unlock()
	switch {
	case err != nil && (errors.Is(err, resource.ErrNotSignedIn) || errors.Is(err, resource.ErrOriginChanged)):
		b.stop(&stopError{msg: fmt.Sprintf("the run stopped at line %d, since every other row would fail the same way: %v", r.Line, err), cause: err})
	case r.Failed() && b.opt.StopOnError:
		b.stop(&stopError{msg: fmt.Sprintf("the run stopped at line %d, the first row that failed: %s", r.Line, r.Err)})
	}
}

// report calls OnProgress; b.mu is held, so calls never overlap.
func (b *batch) report() {
	if b.opt.OnProgress != nil {
		b.opt.OnProgress(b.prog)
	}
}

// pause makes every request wait for d from now, or returns why the run must stop instead.
func (b *batch) pause(d time.Duration) error {
	limit := b.opt.MaxWait
	if limit <= 0 {
		limit = DefaultMaxWait
	}
	if d > limit {
		return &stopError{msg: fmt.Sprintf("%s asked to wait %s before more requests (429 Too Many Requests), longer than %s: the run stopped; run the rows left later",
			host(b.res.BaseURL), advice.Duration(d), advice.Duration(limit))}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if until := time.Now().Add(d); until.After(b.pauseUntil) {
		b.pauseUntil = until
	}
	b.prog.Elapsed, b.prog.Waiting = time.Since(b.start), d
	b.report()
	return nil
}

// waitPause waits until the pause a 429 asked for is over.
func (b *batch) waitPause(ctx context.Context) error {
	for {
		b.mu.Lock()
		d := time.Until(b.pauseUntil)
		b.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// host names the server of a base URL in a sentence.
func host(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return "the server"
}
