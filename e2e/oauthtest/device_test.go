package oauthtest

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"apidesk/e2e/oauthpeer"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
)

// pacer is the Client.Wait of the device tests: it records the interval apidesk asks for and waits for real
// only as long as the server needs (its interval is whole seconds), and runs a hook before a given poll.
type pacer struct {
	mu     sync.Mutex
	asked  []time.Duration
	before map[int]func() // run before poll n (1-based)
}

func (p *pacer) wait(ctx context.Context, d time.Duration) error {
	p.mu.Lock()
	p.asked = append(p.asked, d)
	n := len(p.asked)
	hook := p.before[n]
	p.mu.Unlock()
	if hook != nil {
		hook()
	}
	pause, cancel := context.WithTimeout(ctx, min(d, 1300*time.Millisecond))
	defer cancel()
	<-pause.Done()
	return ctx.Err() // nil when only the pause ended
}

func (p *pacer) got() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.asked)
}

// deviceEnv starts a server for a device test. The device tests wait for real (the server's interval is a
// whole second), so they run in parallel.
func deviceEnv(t *testing.T) (*env, *resource.Resource, *pacer) {
	t.Parallel()
	e := newEnv(t, oauthpeer.WithDeviceInterval(time.Second), oauthpeer.WithDeviceSlowDownStep(100*time.Millisecond))
	r := e.resource(oauthpeer.PublicClientID)
	r.Auth.OAuth2.Grant = resource.GrantDevice
	p := &pacer{before: map[int]func(){}}
	e.client.Wait = p.wait
	return e, r, p
}

func TestDeviceFlowApproved(t *testing.T) {
	e, r, p := deviceEnv(t)
	var shown oauth.DeviceCode
	st, err := e.client.SignIn(t.Context(), r, oauth.Prompt{OnDeviceCode: func(d oauth.DeviceCode) {
		shown = d
		// The person opens the link on their phone and approves.
		u, _ := url.Parse(d.VerificationURIComplete)
		if err := e.browser.OpenURL(u); err != nil {
			t.Error(err)
		}
		e.browser.Wait()
	}})
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if shown.UserCode == "" || shown.VerificationURI != e.srv.URL+oauthpeer.PathDeviceVerify || shown.Expires.IsZero() {
		t.Errorf("shown %+v", shown)
	}
	if st.State != oauth.SignedIn || !st.Refreshable || st.Grant != resource.GrantDevice {
		t.Errorf("status %+v", st)
	}
	if !slices.Equal(p.got(), []time.Duration{time.Second}) {
		t.Errorf("waits = %v", p.got())
	}
	if lc, err := e.client.CheckLogin(t.Context(), r); err != nil || !lc.OK {
		t.Errorf("CheckLogin = %+v, %v", lc, err)
	}
}

func TestDeviceFlowSlowDown(t *testing.T) {
	e, r, p := deviceEnv(t)
	var code string
	e.srv.SlowDownNextDevicePoll()
	p.before[3] = func() {
		if err := e.srv.ApproveDevice(code); err != nil {
			t.Error(err)
		}
	}
	_, err := e.client.SignIn(t.Context(), r, oauth.Prompt{OnDeviceCode: func(d oauth.DeviceCode) { code = d.UserCode }})
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	// 1 s as announced; slow_down adds 5 s for this and every later poll (RFC 8628 §3.5).
	if want := []time.Duration{time.Second, 6 * time.Second, 6 * time.Second}; !slices.Equal(p.got(), want) {
		t.Errorf("waits = %v, want %v", p.got(), want)
	}
	if n := e.srv.TokenRequestCount(oauthpeer.GrantDeviceCode); n != 3 {
		t.Errorf("%d polls, want 3", n)
	}
}

func TestDeviceFlowStops(t *testing.T) {
	for _, tt := range []struct {
		name string
		act  func(e *env, code string, cancel context.CancelFunc)
		want error
	}{
		{"denied", func(e *env, code string, _ context.CancelFunc) { _ = e.srv.DenyDevice(code) }, oauth.ErrAccessDenied},
		{"expired", func(e *env, _ string, _ context.CancelFunc) { e.srv.ExpireDeviceCodes() }, oauth.ErrTimeout},
		{"cancelled", func(_ *env, _ string, cancel context.CancelFunc) { cancel() }, context.Canceled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, r, p := deviceEnv(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var code string
			p.before[2] = func() { tt.act(e, code, cancel) }
			_, err := e.client.SignIn(ctx, r, oauth.Prompt{OnDeviceCode: func(d oauth.DeviceCode) { code = d.UserCode }})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if e.stored(r) != nil {
				t.Errorf("a token was stored")
			}
		})
	}
}
