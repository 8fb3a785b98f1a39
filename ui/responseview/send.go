package responseview

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/environment"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/environ"
	"apidesk/ui/task"
)

// Sender is the Send/Cancel cycle of the query editor and run mode: its button sends the request off the UI
// goroutine and turns into Cancel while it runs, its activity row says how the request is going, and the
// answer, the error or "Cancelled" is shown in a View. Set its callbacks before the first Send.
type Sender struct {
	// OnNeedsSignIn is called instead of showing the error when the request fails because the resource needs
	// an OAuth 2.0 sign-in; retry sends it again. Nil shows the error.
	OnNeedsSignIn func(res *resource.Resource, err error, retry func())
	// OnOriginChanged is called instead of showing the error when the request was not sent because the
	// resource's address changed since its secrets were saved; retry sends it again. Nil shows the error.
	OnOriginChanged func(res *resource.Resource, err *resource.OriginChangedError, retry func())
	// OnFailed is called with any other error, before the View shows it.
	OnFailed func(err error)
	// OnAnswered is called with the answer once the View shows it (and owns it: it must not be closed).
	OnAnswered func(resp *runner.Response)
	// OnDone is called when a request sent by Send finished, with its answer or its error, before either is
	// shown (not when it was cancelled). It must not keep resp: the View closes it when it is replaced.
	OnDone func(resp *runner.Response, err error)
	// Env is the environment requests are sent in (nil: none): each request is sent as its scope says, with
	// the resource bound to it (environment.Scope.Bind). The callbacks above are given the resource as it was
	// passed to Send.
	Env *environ.Active

	view   *View
	runner *runner.Runner
	send   func() // the view's own send, for the button and a retry after signing in
	idle   SenderLabels

	job      *task.Job
	scope    *environment.Scope // the scope of the last request that came back
	progress *runner.Progress
	sentAt   time.Time
	anim     *fyne.Animation

	button   *widget.Button
	message  *widget.Label
	bar      *widget.ProgressBarInfinite
	activity *fyne.Container
}

// SenderLabels are what a Sender's button says while no request runs, and what its View says while the first
// answer is awaited.
type SenderLabels struct {
	Text    string
	Icon    fyne.Resource
	Waiting string
}

// NewSender returns the Send/Cancel cycle of requests sent by r and answered in v. send is the view's own
// Send: it collects the request and calls Sender.Send; the button calls it, and so does a retry after a
// sign-in.
func NewSender(v *View, r *runner.Runner, send func(), labels SenderLabels) *Sender {
	s := &Sender{view: v, runner: r, send: send, idle: labels}
	s.button = &widget.Button{OnTapped: s.onTapped}
	s.message = &widget.Label{Importance: widget.LowImportance}
	s.bar = widget.NewProgressBarInfinite()
	s.bar.Stop()
	s.activity = container.NewBorder(nil, nil, s.message, nil, s.bar)
	s.activity.Hide()
	s.refreshButton()
	v.onCancel = s.Cancel
	v.resend = send
	return s
}

// Button is Send (or Run) while no request runs, Cancel while one does.
func (s *Sender) Button() *widget.Button { return s.button }

// Activity is the row that says how the request is going; it is hidden while none runs.
func (s *Sender) Activity() fyne.CanvasObject { return s.activity }

// Running reports whether a request is on its way.
func (s *Sender) Running() bool { return s.job.Running() }

func (s *Sender) onTapped() {
	if s.Running() {
		s.Cancel()
		return
	}
	s.send()
}

// Scope is the scope the last request that came back was sent in (nil before one), for the requests that
// follow from it (Load more).
func (s *Sender) Scope() *environment.Scope { return s.scope }

// sent is a request's answer and the scope it was sent in.
type sent struct {
	resp  *runner.Response
	scope *environment.Scope
}

// Close closes the answer of a request that was cancelled (task.Start closes what it drops).
func (r sent) Close() error {
	if r.resp == nil {
		return nil
	}
	return r.resp.Close()
}

// Send sends q, a query on res, with vals in the environment active (Env), unless a request is on its way
// already.
func (s *Sender) Send(res *resource.Resource, q *query.Query, vals map[string]string) {
	if s.Running() {
		return
	}
	progress := &runner.Progress{}
	s.start(progress)
	scope := s.Env.For(res)
	s.job = task.Start(&s.view.tasks, func(ctx context.Context) (sent, error) {
		sc, err := scope(ctx)
		if err != nil {
			return sent{}, err
		}
		resp, err := s.runner.Do(runner.WithProgress(ctx, progress), sc.Bind(res), sc.Query(q), environ.Values(sc, q, vals))
		return sent{resp, sc}, sc.Missing(err)
	}, func(r sent, err error) {
		resp := r.resp
		s.stop()
		if err == nil {
			s.scope = r.scope
		}
		if s.OnDone != nil {
			s.OnDone(resp, err)
		}
		var moved *resource.OriginChangedError
		switch {
		case err == nil:
			s.view.SetResponseFrom(res, resp)
			if s.OnAnswered != nil {
				s.OnAnswered(resp)
			}
		case errors.Is(err, resource.ErrNotSignedIn) && s.OnNeedsSignIn != nil:
			s.view.Clear()
			s.OnNeedsSignIn(res, err, s.send)
		case errors.As(err, &moved) && s.OnOriginChanged != nil:
			s.view.Clear()
			s.OnOriginChanged(res, moved, s.send)
		default:
			if s.OnFailed != nil {
				s.OnFailed(err)
			}
			s.view.SetError(err)
		}
	})
}

// Cancel stops the request on its way, if any, and says so where the answer would be.
func (s *Sender) Cancel() {
	if !s.Running() {
		return
	}
	s.job.Cancel()
	s.stop()
	s.view.SetError(errCancelled)
}

func (s *Sender) start(p *runner.Progress) {
	s.progress = p
	s.refreshButton()
	s.sentAt = time.Now()
	s.message.SetText("Sending…")
	s.activity.Show()
	s.bar.Start()
	s.anim = &fyne.Animation{Duration: time.Second, RepeatCount: fyne.AnimationRepeatForever, Curve: fyne.AnimationLinear,
		Tick: func(float32) { s.refreshActivity() }}
	s.anim.Start()
	s.view.SetWaiting(s.idle.Waiting)
}

func (s *Sender) stop() {
	if s.anim != nil {
		s.anim.Stop()
		s.anim = nil
	}
	s.progress = nil
	s.bar.Stop()
	s.activity.Hide()
	s.refreshButton()
}

// refreshButton makes the button Cancel while a request runs, else what it says when idle.
func (s *Sender) refreshButton() {
	if s.progress != nil {
		s.button.Text, s.button.Icon, s.button.Importance = "Cancel", theme.CancelIcon(), widget.DangerImportance
	} else {
		s.button.Text, s.button.Icon, s.button.Importance = s.idle.Text, s.idle.Icon, widget.HighImportance
	}
	s.button.Refresh()
}

// refreshActivity says how the request is going: waiting for the server, or how much of the body arrived.
func (s *Sender) refreshActivity() {
	if s.progress == nil {
		return
	}
	elapsed := time.Since(s.sentAt).Truncate(100 * time.Millisecond)
	msg := fmt.Sprintf("Waiting for the server… %s", elapsed)
	if n := s.progress.Read(); n > 0 {
		if total := s.progress.Total(); total > 0 {
			msg = fmt.Sprintf("Receiving… %s of %s", runner.FormatSize(n), runner.FormatSize(total))
		} else {
			msg = fmt.Sprintf("Receiving… %s", runner.FormatSize(n))
		}
	}
	if msg != s.message.Text {
		s.message.SetText(msg)
	}
}
