// Package task runs a view's engine work off the UI goroutine. Each job runs on a goroutine of its own with
// a context the view cancels when the person edits, leaves or presses Cancel; its result comes back on the UI
// goroutine through fyne.Do, and is dropped when the job was cancelled meanwhile. A Group holds the jobs of
// one view and counts those whose result has not come back, so that tests (and the screenshot program) can
// wait for them without sleeping.
//
// Everything here but the work itself runs on the UI goroutine: start jobs, cancel them and read a group
// from Fyne callbacks (or, in tests, from the goroutine that runs the work handed to fyne.Do).
package task

import (
	"context"
	"io"

	"fyne.io/fyne/v2"
)

// Group is the background work of one view. Its zero value is ready to use.
type Group struct {
	ctx     context.Context // every job's context is derived from it; Cancel replaces it
	cancel  context.CancelFunc
	parent  *Group
	running int           // jobs whose result has not come back, here and in the groups included
	idle    chan struct{} // closed when running drops to 0
}

// Job is one piece of work started by Start or Run. Its methods may be called on a nil *Job.
type Job struct {
	ctx    context.Context
	cancel context.CancelFunc
	back   bool // the result came back (shown or dropped)
}

// Start runs work on a goroutine of its own with a context that Job.Cancel and Group.Cancel cancel, then
// done with its result on the UI goroutine. A job cancelled before its result comes back is dropped: done is
// not called, and a value that holds something to release (an io.Closer, like a response and its temporary
// file) is closed. done may be nil.
func Start[T any](g *Group, work func(ctx context.Context) (T, error), done func(T, error)) *Job {
	ctx, cancel := context.WithCancel(g.context())
	j := &Job{ctx: ctx, cancel: cancel}
	g.add(1)
	go func() {
		v, err := work(ctx)
		fyne.Do(func() {
			defer g.add(-1) // after done, so that work done starts keeps the group busy
			dropped := ctx.Err() != nil
			cancel()
			j.back = true
			switch {
			case dropped:
				if c, ok := any(v).(io.Closer); ok && err == nil {
					_ = c.Close()
				}
			case done != nil:
				done(v, err)
			}
		})
	}()
	return j
}

// Run is Start for work that returns only an error.
func Run(g *Group, work func(ctx context.Context) error, done func(error)) *Job {
	return Start(g, func(ctx context.Context) (struct{}, error) { return struct{}{}, work(ctx) }, func(_ struct{}, err error) {
		if done != nil {
			done(err)
		}
	})
}

// Cancel cancels the job and drops its result, unless that came back already.
func (j *Job) Cancel() {
	if j != nil {
		j.cancel()
	}
}

// Running reports whether the job's result is still to come: it was started, and neither came back nor was
// cancelled.
func (j *Job) Running() bool { return j != nil && !j.back && j.ctx.Err() == nil }

// Cancel cancels every job started in g so far and drops their results (not those of the groups included:
// their views cancel their own). Jobs started afterwards run as usual.
func (g *Group) Cancel() {
	if g.cancel != nil {
		g.cancel()
		g.ctx, g.cancel = nil, nil
	}
}

// Include counts sub's jobs as g's: g is busy while sub is. A group is included in one other at most.
func (g *Group) Include(sub *Group) {
	sub.parent = g
	g.add(sub.running)
}

// Busy reports whether a job of g, or of a group included, has a result still to come back (a cancelled job
// counts until its dropped result is back, so that no goroutine of the view's outlives a wait).
func (g *Group) Busy() bool { return g.running > 0 }

// Idle returns a channel that is closed once g is not busy; it is closed already when g is not busy now.
func (g *Group) Idle() <-chan struct{} {
	if g.running == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	return g.idle
}

func (g *Group) context() context.Context {
	if g.ctx == nil {
		g.ctx, g.cancel = context.WithCancel(context.Background())
	}
	return g.ctx
}

// add counts n more jobs (fewer when negative) in g and the groups that include it.
func (g *Group) add(n int) {
	if n == 0 {
		return
	}
	for p := g; p != nil; p = p.parent {
		was := p.running
		p.running += n
		switch {
		case was == 0 && p.running > 0:
			p.idle = make(chan struct{})
		case was > 0 && p.running == 0:
			close(p.idle)
		}
	}
}
