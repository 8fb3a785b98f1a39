package task_test

import (
	"context"
	"errors"
	"testing"

	"apidesk/ui/task"
	"apidesk/ui/uitest"
)

// closer records whether it was closed: a dropped result must release what it holds.
type closer struct{ closed bool }

func (c *closer) Close() error {
	c.closed = true
	return nil
}

func TestAResultComesBackOnTheUIGoroutine(t *testing.T) {
	a := uitest.NewApp(t)
	var g task.Group
	var got string
	var gotErr error
	j := task.Start(&g, func(context.Context) (string, error) { return "answer", errors.New("and a problem") },
		func(v string, err error) { got, gotErr = v, err })
	if !j.Running() || !g.Busy() {
		t.Fatalf("right after Start: running %v, busy %v", j.Running(), g.Busy())
	}
	if got != "" {
		t.Fatal("done ran before the test goroutine ran the work handed to fyne.Do")
	}
	a.Wait(t, &g)
	if got != "answer" || gotErr == nil || gotErr.Error() != "and a problem" {
		t.Errorf("done got %q, %v", got, gotErr)
	}
	if j.Running() || g.Busy() {
		t.Errorf("after the result: running %v, busy %v", j.Running(), g.Busy())
	}
	select {
	case <-g.Idle():
	default:
		t.Error("Idle is not closed once the group is not busy")
	}
}

func TestACancelledJobIsDroppedAndReleased(t *testing.T) {
	a := uitest.NewApp(t)
	var g task.Group
	release := make(chan struct{})
	res := &closer{}
	called := false
	var seen context.Context
	j := task.Start(&g, func(ctx context.Context) (*closer, error) {
		seen = ctx
		<-release
		return res, nil
	}, func(*closer, error) { called = true })
	j.Cancel()
	if j.Running() {
		t.Error("a cancelled job still says it is running")
	}
	if !g.Busy() {
		t.Error("the group is idle while the cancelled job's goroutine still runs")
	}
	close(release)
	a.Wait(t, &g)
	if called {
		t.Error("done was called for a cancelled job")
	}
	if !res.closed {
		t.Error("the dropped result was not closed")
	}
	if seen.Err() == nil {
		t.Error("the work's context was not cancelled")
	}
}

func TestGroupCancelDropsWhatWasStartedOnly(t *testing.T) {
	a := uitest.NewApp(t)
	var g task.Group
	var done []string
	started := make(chan struct{})
	task.Run(&g, func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}, func(error) { done = append(done, "old") })
	<-started
	g.Cancel()
	task.Run(&g, func(context.Context) error { return nil }, func(error) { done = append(done, "new") })
	a.Wait(t, &g)
	if len(done) != 1 || done[0] != "new" {
		t.Errorf("done ran for %v; want only the job started after Cancel", done)
	}
}

func TestAnIncludedGroupKeepsItsParentBusy(t *testing.T) {
	a := uitest.NewApp(t)
	var parent, sub task.Group
	release := make(chan struct{})
	task.Run(&sub, func(context.Context) error { <-release; return nil }, nil)
	parent.Include(&sub) // after the sub-group's job started: it still counts
	if !parent.Busy() {
		t.Fatal("the parent is not busy while its sub-group is")
	}
	idle := parent.Idle()
	select {
	case <-idle:
		t.Fatal("the parent's Idle is closed while its sub-group is busy")
	default:
	}
	var chained bool
	close(release)
	task.Run(&sub, func(context.Context) error { return nil }, func(error) {
		// work started from done keeps the group busy until it comes back too
		task.Run(&sub, func(context.Context) error { return nil }, func(error) { chained = true })
	})
	a.Wait(t, &parent)
	if !chained || parent.Busy() || sub.Busy() {
		t.Errorf("after waiting for the parent: chained %v, parent busy %v, sub busy %v", chained, parent.Busy(), sub.Busy())
	}
	select {
	case <-idle:
	default:
		t.Error("the Idle channel taken while busy was not closed")
	}
	// Cancelling the parent leaves the sub-group's jobs alone: their views cancel their own.
	ran := false
	task.Run(&sub, func(context.Context) error { return nil }, func(error) { ran = true })
	parent.Cancel()
	a.Wait(t, &parent)
	if !ran {
		t.Error("cancelling the parent dropped a job of its sub-group")
	}
}

func TestANilJobIsNotRunning(t *testing.T) {
	var j *task.Job
	j.Cancel()
	if j.Running() {
		t.Error("a nil job runs")
	}
}
