package secret

import (
	"context"
	"errors"
	"fmt"
	"runtime"
)

// op is one Store operation: it holds the Store's turn and makes the backend calls, each bounded
// by ctx.
type op struct {
	s      *Store
	ctx    context.Context
	cancel context.CancelFunc
	// held reports whether op still owns the turn. After a call outlives ctx, the call's
	// goroutine owns it instead and gives it back when the backend returns.
	held bool
}

// begin waits for the Store's turn, bounded by ctx (given the Store's timeout when it has no
// deadline).
func (s *Store) begin(ctx context.Context) (*op, error) {
	var cancel context.CancelFunc
	if _, ok := ctx.Deadline(); ok {
		ctx, cancel = context.WithCancel(ctx)
	} else {
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
	}
	if err := ctx.Err(); err != nil {
		cancel()
		return nil, stopped(err, "")
	}
	select {
	case s.turn <- struct{}{}:
		return &op{s: s, ctx: ctx, cancel: cancel, held: true}, nil
	case <-ctx.Done():
		cancel()
		return nil, stopped(ctx.Err(), "an earlier keychain request is still waiting for an answer"+
			" (often a locked keyring waiting for its password)")
	}
}

// end gives the turn back, unless a call that outlived ctx still holds it.
func (o *op) end() {
	if o.held {
		<-o.s.turn
		o.held = false
	}
	o.cancel()
}

// call runs fn, one backend call, and waits for it or for ctx. A call still running when ctx ends
// keeps the turn until it returns, so no other backend call starts meanwhile.
func (o *op) call(fn func() error) error {
	if !o.held {
		return errors.New("secret: internal error: backend call after the operation gave up its turn")
	}
	if err := o.ctx.Err(); err != nil {
		return stopped(err, "")
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-o.ctx.Done():
		o.held = false
		turn := o.s.turn
		go func() {
			<-done
			<-turn
		}()
		return stopped(o.ctx.Err(), "the keychain did not answer in time")
	}
}

// stopped reports an operation its context ended: a cancel is passed on as it is; a deadline
// means the keychain is unavailable, and the message says what to do.
func stopped(ctxErr error, what string) error {
	if errors.Is(ctxErr, context.Canceled) {
		return fmt.Errorf("keychain request canceled: %w", ctxErr)
	}
	if what == "" {
		what = "no time was left for the keychain request"
	}
	return fmt.Errorf("%w: %s; %s (%w)", ErrUnavailable, what, unlockHint(runtime.GOOS), ctxErr)
}

// unlockHint tells a person what to do when the keychain does not answer.
func unlockHint(goos string) string {
	switch goos {
	case "darwin":
		return "if macOS asks for your keychain password, enter it, or unlock the login keychain in Keychain Access, then try again"
	case "windows":
		return "check that Windows Credential Manager works for your account, then try again"
	default:
		return "if your desktop asks to unlock your keyring, unlock it (or unlock the login keyring in Passwords and Keys), " +
			"and check that a Secret Service such as gnome-keyring or KeePassXC is running, then try again"
	}
}
