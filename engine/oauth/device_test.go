package oauth

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"apidesk/engine/resource"
)

// recordWait is a Client.Wait that records the intervals asked for and hardly waits.
type recordWait struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *recordWait) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.waits = append(w.waits, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *recordWait) got() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.waits)
}

func TestDeviceFlow(t *testing.T) {
	s := time.Second
	tests := []struct {
		name    string
		answers []string // the token endpoint's answers to the polls; "" is the token
		wantErr error
		waits   []time.Duration
	}{
		{"approved after pending and slow_down", []string{"authorization_pending", "slow_down", "authorization_pending", ""}, nil, []time.Duration{s, s, 6 * s, 6 * s}},
		{"denied", []string{"authorization_pending", "access_denied"}, ErrAccessDenied, []time.Duration{s, s}},
		{"expired", []string{"authorization_pending", "expired_token"}, ErrTimeout, []time.Duration{s, s}},
		{"server busy, then approved", []string{"HTTP 503", "HTTP 502", "HTTP 429 retry=7", "authorization_pending", ""}, nil, []time.Duration{s, 2 * s, 4 * s, 7 * s, s}},
		{"retry-after shorter than the interval", []string{"HTTP 500 retry=0", ""}, nil, []time.Duration{s, s}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAS(t)
			a.secret = ""
			a.device = tt.answers
			r := a.resource()
			r.Auth.OAuth2.Grant = resource.GrantDevice
			store := newMemStore()
			w := &recordWait{}
			c := &Client{Secrets: store, LockDir: t.TempDir(), Wait: w.wait}
			var shown DeviceCode
			st, err := c.SignIn(t.Context(), r, Prompt{OnDeviceCode: func(d DeviceCode) { shown = d }})
			if shown.UserCode != "BCDF-GHJK" || shown.VerificationURI != a.srv.URL+"/verify" || shown.VerificationURIComplete == "" || time.Until(shown.Expires) < 9*time.Minute {
				t.Errorf("shown = %+v", shown)
			}
			if !slices.Equal(w.got(), tt.waits) {
				t.Errorf("waits = %v, want %v", w.got(), tt.waits)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
				if store.token(t, r.ID) != nil {
					t.Errorf("a token was stored")
				}
				return
			}
			if err != nil || st.State != SignedIn || !st.Refreshable {
				t.Fatalf("SignIn = %+v, %v", st, err)
			}
			if tok := store.token(t, r.ID); tok == nil || tok.Grant != resource.GrantDevice {
				t.Errorf("stored = %+v", tok)
			}
		})
	}
}

func TestDeviceFlowCancel(t *testing.T) {
	a := newTestAS(t)
	a.secret = ""
	a.device = []string{"authorization_pending", "authorization_pending", "authorization_pending"}
	r := a.resource()
	r.Auth.OAuth2.Grant = resource.GrantDevice
	ctx, cancel := context.WithCancel(t.Context())
	polls := 0
	c := &Client{Secrets: newMemStore(), LockDir: t.TempDir(), Wait: func(ctx context.Context, d time.Duration) error {
		if polls++; polls == 2 {
			cancel()
		}
		return ctx.Err()
	}}
	_, err := c.SignIn(ctx, r, Prompt{OnDeviceCode: func(DeviceCode) {}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}

	// The real waiting honours the timeout too.
	c.Wait = nil
	_, err = c.SignIn(t.Context(), r, Prompt{OnDeviceCode: func(DeviceCode) {}, Timeout: 20 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("timeout: err = %v, want ErrTimeout", err)
	}
}

// A confidential client with auto client authentication polls once an interval. x/oauth2's
// AuthStyleAutoDetect falls short here: it retries every failed request the other way, and every poll but the
// last fails (authorization_pending), so it would poll twice an interval.
func TestDeviceFlowConfidentialClientAuto(t *testing.T) {
	for _, tt := range []struct {
		server     string // what the server takes: "" either, "body" only the body
		fails      int    // requests refused for their client authentication
		remembered string
	}{
		{"", 0, resource.ClientAuthBasic},
		{"body", 1, resource.ClientAuthBody},
	} {
		t.Run("server takes "+cmp.Or(tt.server, "either"), func(t *testing.T) {
			a := newTestAS(t)
			a.clientAuth = tt.server
			a.device = []string{"authorization_pending", "authorization_pending", ""}
			r := a.resource()
			r.Auth.OAuth2.Grant = resource.GrantDevice
			store := newMemStore()
			store.Set(t.Context(), r.ID, resource.SecretClientSecret, a.secret)
			w := &recordWait{}
			c := &Client{Secrets: store, LockDir: t.TempDir(), Wait: w.wait}
			if _, err := c.SignIn(t.Context(), r, Prompt{OnDeviceCode: func(DeviceCode) {}}); err != nil {
				t.Fatalf("SignIn: %v", err)
			}
			a.mu.Lock()
			fails := a.authFails
			a.mu.Unlock()
			if polls := a.count(deviceGrantType); polls != 3 || len(w.got()) != 3 || fails != tt.fails {
				t.Errorf("%d polls in %d intervals, %d refused for client authentication; want 3 in 3, %d refused", polls, len(w.got()), fails, tt.fails)
			}
			if tok := store.token(t, r.ID); tok == nil || tok.ClientAuth != tt.remembered {
				t.Errorf("stored = %+v, want client authentication %q", tok, tt.remembered)
			}
		})
	}
}

// The addresses the device authorization answer gives are opened and shown: only web pages.
func TestDeviceFlowOpensOnlyWebPages(t *testing.T) {
	run := func(answer map[string]any) (DeviceCode, error) {
		a := newTestAS(t)
		a.secret = ""
		a.device = []string{""}
		a.deviceAnswer = answer
		r := a.resource()
		r.Auth.OAuth2.Grant = resource.GrantDevice
		c := &Client{Secrets: newMemStore(), LockDir: t.TempDir(), Wait: (&recordWait{}).wait}
		var shown DeviceCode
		_, err := c.SignIn(t.Context(), r, Prompt{OnDeviceCode: func(d DeviceCode) { shown = d }})
		return shown, err
	}
	shown, err := run(map[string]any{"verification_uri_complete": "javascript:alert(document.cookie)"})
	if err != nil || shown.VerificationURIComplete != "" || shown.VerificationURI == "" {
		t.Errorf("javascript: complete URI: shown %+v, %v; want it dropped and the sign-in to go on", shown, err)
	}
	shown, err = run(map[string]any{"verification_uri": "file:///etc/passwd", "verification_uri_complete": ""})
	if err == nil || shown.UserCode != "" {
		t.Errorf("file: verification URI: shown %+v, err %v; want it refused before anything is shown", shown, err)
	}
}
