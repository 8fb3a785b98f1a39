package oauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CallbackPath is the path of the loopback redirect URI.
const CallbackPath = "/callback"

// shutdownGrace bounds how long the listener waits for the browser to receive its last page.
const shutdownGrace = 2 * time.Second

// RedirectURI is the redirect URI a resource signs in with: http://127.0.0.1:PORT/callback (RFC 8252 §7.3,
// an IP literal rather than localhost). With port 0 the port is picked at sign-in and the result shows
// "PORT"; providers that follow RFC 8252 (Google, Microsoft, Okta, fosite…) accept any port for a loopback
// redirect URI registered without one, others need a fixed RedirectPort registered exactly.
func RedirectURI(port int) string {
	p := "PORT"
	if port > 0 {
		p = strconv.Itoa(port)
	}
	return "http://127.0.0.1:" + p + CallbackPath
}

// loopback is the one-shot redirect listener of an authorization code sign-in, bound to 127.0.0.1 only.
type loopback struct {
	ln    net.Listener
	srv   *http.Server
	state string
	uri   string

	once     sync.Once
	result   chan callbackResult // receives exactly one valid callback
	outcome  chan error          // how the code exchange of that callback ended: the page the browser gets
	finished sync.Once
	closed   sync.Once
}

// exchangeWait bounds how long the browser's page waits for the code exchange before saying it goes on.
const exchangeWait = DefaultRequestTimeout + 5*time.Second

type callbackResult struct {
	code string
	err  error
}

// listenLoopback binds 127.0.0.1:port (0: a free port) and starts serving the callback for state.
func listenLoopback(port int, state string) (*loopback, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if port != 0 {
			return nil, fmt.Errorf("apidesk cannot receive the sign-in on port %d of this computer (is another program using it?): close that program, or choose another redirect port and register its redirect URI with the provider: %w", port, err)
		}
		return nil, fmt.Errorf("could not listen on 127.0.0.1 for the sign-in: %w", err)
	}
	l := &loopback{
		ln:      ln,
		state:   state,
		uri:     RedirectURI(ln.Addr().(*net.TCPAddr).Port),
		result:  make(chan callbackResult, 1),
		outcome: make(chan error, 1),
	}
	l.srv = &http.Server{Handler: http.HandlerFunc(l.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = l.srv.Serve(ln) }() // returns ErrServerClosed after close
	return l, nil
}

func (l *loopback) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.URL.Path != CallbackPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		page(w, http.StatusMethodNotAllowed, "Sign-in did not finish", "apidesk expected the provider to send your browser back here with a GET request.")
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(l.state)) != 1 {
		// Not the sign-in apidesk started (an old tab, another program, or a forged link): ignore it and keep
		// waiting for the real one.
		page(w, http.StatusBadRequest, "This sign-in link is not the one apidesk is waiting for",
			"It may come from an older sign-in attempt. Return to apidesk and start the sign-in again if it does not finish.")
		return
	}
	var res callbackResult
	switch code, e := q.Get("code"), q.Get("error"); {
	case e != "":
		res.err = &AuthorizationError{Code: e, Description: q.Get("error_description")}
	case code == "":
		res.err = errors.New("the provider sent the browser back without an authorization code: try signing in again")
	default:
		res.code = code
	}
	accepted := false
	l.once.Do(func() {
		accepted = true
		l.result <- res
	})
	switch {
	case !accepted:
		page(w, http.StatusConflict, "This sign-in has already finished", "You can close this tab and return to apidesk.")
	case res.err != nil:
		page(w, http.StatusOK, "Sign-in did not finish", res.err.Error()+". You can close this tab and return to apidesk.")
	default:
		// Say "Signed in" only once the code has been exchanged for tokens: the exchange can still fail.
		select {
		case err := <-l.outcome:
			if err != nil {
				page(w, http.StatusOK, "Sign-in did not finish", sentence(err.Error())+" Return to apidesk to try again.")
				return
			}
			page(w, http.StatusOK, "Signed in", "You can close this tab and return to apidesk.")
		case <-time.After(exchangeWait):
			page(w, http.StatusOK, "Finishing the sign-in", "apidesk is still waiting for the provider. Return to apidesk to see how it ends.")
		case <-r.Context().Done():
		}
	}
}

// finish tells the browser's page how the code exchange ended (nil: signed in). Only the first call counts.
func (l *loopback) finish(err error) {
	l.finished.Do(func() { l.outcome <- err })
}

// sentence makes s start with a capital letter and end with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		s = string(c-'a'+'A') + s[1:]
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// close stops the listener, giving the browser a moment to receive the page it is being sent.
func (l *loopback) close(ctx context.Context) {
	l.finish(errors.New("the sign-in was stopped in apidesk"))
	l.closed.Do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		defer cancel()
		if err := l.srv.Shutdown(ctx); err != nil {
			_ = l.srv.Close()
		}
	})
}

func page(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%[1]s · apidesk</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}</style>
</head><body><h1>%[1]s</h1><p>%[2]s</p></body></html>
`, html.EscapeString(title), html.EscapeString(msg))
}
