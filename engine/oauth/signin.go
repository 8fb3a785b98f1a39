package oauth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"apidesk/engine/advice"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// Prompt is how a sign-in reaches the person. The window passes Fyne's App.OpenURL; the CLI passes
// SystemBrowser and prints what the callbacks tell it.
type Prompt struct {
	// OpenURL opens a URL in the browser (authorization code grant; required for it). It is called on its
	// own goroutine and may block; when it fails the sign-in keeps waiting, since the person can open the
	// URL OnOpen showed by hand.
	OpenURL func(*url.URL) error

	// OnListening is told the redirect URI once the loopback listener runs, before the browser opens, so
	// it can be shown ("register this redirect URI with the provider").
	OnListening func(redirectURI string)

	// OnOpen is told the authorization URL about to be opened, so a CLI can print it for machines with no
	// browser.
	OnOpen func(authURL *url.URL)

	// OnBrowserError is told when OpenURL fails.
	OnBrowserError func(error)

	// OnDeviceCode shows the code to enter and where (device grant; required for it).
	OnDeviceCode func(DeviceCode)

	// Timeout bounds the wait for the browser (default DefaultSignInTimeout) or, for the device grant, for
	// the code to be entered (default: until the code expires).
	Timeout time.Duration

	// Vars give values to {{variables}} in the OAuth URLs beyond those this package fills in
	// (client_id, redirect_uri, scope, state, response_type, code_challenge, code_challenge_method).
	Vars map[string]string
}

// DeviceCode is what the person needs to approve a device sign-in (RFC 8628 §3.3).
type DeviceCode struct {
	UserCode                string    // type this…
	VerificationURI         string    // …at this address
	VerificationURIComplete string    // or open this one, which carries the code; may be empty
	Expires                 time.Time // zero when the server did not say
}

// SignIn signs the person in to the resource with its grant: the authorization code grant opens the browser
// and waits for the redirect, the device grant shows a code and polls, the client credentials grant just
// asks for a token. The tokens replace any earlier ones in the keychain and the new status is returned.
func (c *Client) SignIn(ctx context.Context, r *resource.Resource, p Prompt) (Status, error) {
	ctx = forResource(ctx, r)
	o, err := oauth2Of(r)
	if err != nil {
		return Status{}, err
	}
	if es := o.Validate(); len(es) > 0 {
		return Status{}, es
	}
	grant := grantOf(o)
	switch {
	case grant == resource.GrantDevice && p.OnDeviceCode == nil:
		return Status{}, errors.New("no way to show the device code was given")
	case grant == resource.GrantAuthorizationCode && p.OpenURL == nil:
		return Status{}, errors.New("no way to open the browser was given")
	}
	var t *Token
	if grant == resource.GrantClientCredentials {
		t, err = c.clientCredentials(ctx, r, "")
	} else {
		t, err = c.signInPerson(ctx, r, grant, p)
	}
	if err != nil {
		return Status{}, err
	}
	if err := c.replaceToken(ctx, r.ID, t); err != nil {
		// Tokens the keychain refused are kept in memory and OnUnsaved was told: the person is signed in.
		var ue *UnsavedError
		if !errors.As(err, &ue) {
			return Status{}, err
		}
	}
	c.bindSignIn(context.WithoutCancel(ctx), r)
	return statusOf(t, o, time.Now()), nil
}

// signInPerson runs a grant in which the person approves: the device grant, or the authorization code grant.
func (c *Client) signInPerson(ctx context.Context, r *resource.Resource, grant string, p Prompt) (*Token, error) {
	secret, err := c.requiredSecret(ctx, r)
	if err != nil {
		return nil, err
	}
	if secret != "" { // a public client's sign-in sends nothing saved: its new tokens are bound where they come from
		if err := c.checkTokenOrigin(ctx, r, r.Auth.OAuth2.TokenURL); err != nil {
			return nil, err
		}
	}
	if grant == resource.GrantDevice {
		return c.signInDevice(ctx, &r.Auth.OAuth2, secret, p)
	}
	return c.signInCode(ctx, &r.Auth.OAuth2, secret, p)
}

func (c *Client) signInCode(ctx context.Context, o *resource.OAuth2, secret string, p Prompt) (*Token, error) {
	state := rand.Text() // 26 characters, 130 bits; fosite wants at least 8
	verifier := ""
	if !o.DisablePKCE {
		verifier = oauth2.GenerateVerifier()
	}

	l, err := listenLoopback(o.RedirectPort, state)
	if err != nil {
		return nil, err
	}
	defer l.close(ctx)
	authURL, err := authCodeURL(o, p.Vars, l.uri, state, verifier)
	if err != nil {
		return nil, err
	}
	if p.OnListening != nil {
		p.OnListening(l.uri)
	}
	if p.OnOpen != nil {
		p.OnOpen(authURL)
	}
	opened := make(chan error, 1)
	go func() { opened <- p.OpenURL(authURL) }()

	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultSignInTimeout
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var code string
	for waiting := true; waiting; {
		select {
		case err := <-opened:
			opened = nil
			if err != nil && p.OnBrowserError != nil {
				p.OnBrowserError(fmt.Errorf("could not open the browser: %w", err))
			}
		case res := <-l.result:
			if res.err != nil {
				return nil, res.err
			}
			code, waiting = res.code, false
		case <-wctx.Done():
			return nil, waitError(ctx, timeout, "no answer came from the browser: try again, and check that the provider lists the redirect URI "+l.uri)
		}
	}
	// The code exchange (RFC 6749 §4.1.3) is oauth2.Config.Exchange, with the verifier and the resource's
	// token params as options.
	ours := []string{"grant_type", "code", "redirect_uri", "code_verifier"}
	ot, style, err := c.tokenCall(ctx, o, secret, ours, func(ctx context.Context, tokenURL string, extra url.Values) (*oauth2.Token, error) {
		cfg := oauth2.Config{
			ClientID: o.ClientID, ClientSecret: secret, RedirectURL: l.uri,
			Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: authStyle(o, secret, "")},
		}
		opts := urlParams(extra)
		if verifier != "" {
			opts = append(opts, oauth2.VerifierOption(verifier))
		}
		return cfg.Exchange(ctx, code, opts...)
	})
	l.finish(err) // the browser's page says how it ended
	l.close(ctx)  // free the port now; the deferred close is then a no-op
	if err != nil {
		return nil, err
	}
	t := tokenFrom(ot, nil, o.Scopes, resource.GrantAuthorizationCode, o.ClientID, time.Now())
	t.ClientAuth = style
	return t, nil
}

// urlParams turns params into x/oauth2 options that set them. An option sets one value a name: of a param
// the resource repeats, the last is sent.
func urlParams(params url.Values) []oauth2.AuthCodeOption {
	var opts []oauth2.AuthCodeOption
	for k, vs := range params {
		opts = append(opts, oauth2.SetAuthURLParam(k, vs[len(vs)-1]))
	}
	return opts
}

// waitError explains why waiting stopped: ctx (the caller's) was cancelled, or the sign-in's own timeout
// passed.
func waitError(ctx context.Context, timeout time.Duration, what string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sign-in cancelled: %w", err)
	}
	return fmt.Errorf("%w after %s: %s", ErrTimeout, timeout.Round(time.Second), what)
}

// ours are the authorization request parameters apidesk sets; the resource's own params cannot replace
// them.
var ours = []string{"response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method"}

// authCodeURL builds the authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3) with oauth2.Config.AuthCodeURL:
// the resource's authorization URL with its {{variables}} filled in and its own query parameters kept, but
// for those apidesk or the resource's extra params set, which x/oauth2 then appends.
func authCodeURL(o *resource.OAuth2, extra map[string]string, redirectURI, state, verifier string) (*url.URL, error) {
	vars := oauthVars(o, extra)
	vars["redirect_uri"] = redirectURI
	vars["state"] = state
	if verifier != "" {
		vars["code_challenge"] = oauth2.S256ChallengeFromVerifier(verifier)
		vars["code_challenge_method"] = "S256"
	}
	s, err := expandURL("Authorization URL", o.AuthURL, vars)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("Authorization URL is not a valid URL: %w", err)
	}
	opts, err := authParams(o, vars, ours)
	if err != nil {
		return nil, err
	}
	if verifier != "" {
		opts = append(opts, oauth2.S256ChallengeOption(verifier))
	}
	q := u.Query()
	for _, k := range ours {
		q.Del(k)
	}
	if len(o.Scopes) > 0 {
		q.Del("scope")
	}
	for _, p := range o.AuthParams.Active() {
		q.Del(p.Key)
	}
	u.RawQuery = q.Encode()
	u.Fragment, u.RawFragment = "", "" // an authorization endpoint has none (RFC 6749 §3.1); x/oauth2 appends to the URL
	cfg := oauth2.Config{ClientID: o.ClientID, Endpoint: oauth2.Endpoint{AuthURL: u.String()}, RedirectURL: redirectURI, Scopes: o.Scopes}
	return url.Parse(cfg.AuthCodeURL(state, opts...))
}

// authParams turns the resource's extra authorization params, their {{variables}} filled in from vars, into
// x/oauth2 options; those named in skip are left out.
func authParams(o *resource.OAuth2, vars map[string]string, skip []string) ([]oauth2.AuthCodeOption, error) {
	var opts []oauth2.AuthCodeOption
	for _, p := range o.AuthParams.Active() {
		if slices.Contains(skip, p.Key) {
			continue
		}
		v, err := template.Expand(p.Value, vars)
		if err != nil {
			return nil, fmt.Errorf("authorization param %s: %w", p.Key, err)
		}
		opts = append(opts, oauth2.SetAuthURLParam(p.Key, v))
	}
	return opts, nil
}

const deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// signInDevice runs the device authorization grant (RFC 8628): ask for a code, show it, poll the token
// endpoint at the pace the server asks until the person approves, declines, or the code expires.
func (c *Client) signInDevice(ctx context.Context, o *resource.OAuth2, secret string, p Prompt) (*Token, error) {
	vars := oauthVars(o, p.Vars)
	deviceURL, err := expandURL("Device authorization URL", o.DeviceURL, vars)
	if err != nil {
		return nil, err
	}
	cfg := oauth2.Config{ClientID: o.ClientID, Endpoint: oauth2.Endpoint{DeviceAuthURL: deviceURL}, Scopes: o.Scopes}
	opts, err := authParams(o, vars, []string{"client_id"})
	if err != nil {
		return nil, err
	}
	hc, err := c.httpClient(ctx)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, c.requestTimeout())
	rctx = context.WithValue(rctx, oauth2.HTTPClient, hc)
	da, err := cfg.DeviceAuth(rctx, opts...)
	cancel()
	if err != nil {
		if se := serverError("device authorization", err); se != err {
			return nil, se
		}
		return nil, fmt.Errorf("could not start the device sign-in at %s: %w", hostOf(deviceURL), err)
	}
	if da.DeviceCode == "" || da.UserCode == "" || da.VerificationURI == "" {
		return nil, errors.New("the device authorization endpoint answered without a device code, user code or verification URI: check the device authorization URL")
	}
	// The server's addresses are shown and opened: only web pages, never javascript:, file: or an app's scheme.
	if !WebURL(da.VerificationURI) {
		return nil, errors.New("the provider gave an address to enter the code at that is not a web page (http or https): apidesk does not open it; check the device authorization URL")
	}
	if !WebURL(da.VerificationURIComplete) {
		da.VerificationURIComplete = "" // the person can still type the code at VerificationURI
	}
	p.OnDeviceCode(DeviceCode{
		UserCode:                da.UserCode,
		VerificationURI:         da.VerificationURI,
		VerificationURIComplete: da.VerificationURIComplete,
		Expires:                 da.Expiry,
	})

	timeout := p.Timeout
	deadline := da.Expiry
	if timeout > 0 && (deadline.IsZero() || time.Now().Add(timeout).Before(deadline)) {
		deadline = time.Now().Add(timeout)
	}
	if deadline.IsZero() {
		deadline = time.Now().Add(15 * time.Minute)
	}
	if timeout <= 0 {
		timeout = time.Until(deadline)
	}
	wctx, cancelWait := context.WithDeadline(ctx, deadline)
	defer cancelWait()

	interval := time.Duration(da.Interval) * time.Second
	if interval <= 0 {
		interval = 5 * time.Second // RFC 8628 §3.2
	}
	// x/oauth2's AuthStyleAutoDetect retries every failed request the other way, and each poll but the last
	// fails (authorization_pending), so it would poll twice each time. Auto here is Basic (RFC 6749 §2.3.1:
	// servers must take it) until the server refuses the client, then the body, tried at once.
	style := authStyle(o, secret, "")
	probe := style == oauth2.AuthStyleAutoDetect
	if probe {
		style = oauth2.AuthStyleInHeader
	}
	params := url.Values{"grant_type": {deviceGrantType}, "device_code": {da.DeviceCode}}
	failures := 0    // network failures in a row
	next := interval // the wait before the next poll: longer after a failure
	busy := 0        // 5xx and 429 answers in a row
	for {
		if err := c.wait(wctx, next); err != nil {
			return nil, waitError(ctx, timeout, "the code was not entered in time: sign in again to get a new code")
		}
		next = interval
		ot, used, err := c.grantRequest(wctx, o, secret, params, style)
		if probe && wrongClientAuth(err) {
			style = oauth2.AuthStyleInParams
			ot, used, err = c.grantRequest(wctx, o, secret, params, style)
		}
		if err == nil {
			t := tokenFrom(ot, nil, o.Scopes, resource.GrantDevice, o.ClientID, time.Now())
			t.ClientAuth = used
			return t, nil
		}
		var se *ServerError
		if !errors.As(err, &se) {
			if wctx.Err() != nil {
				return nil, waitError(ctx, timeout, "the code was not entered in time: sign in again to get a new code")
			}
			if failures++; failures < 5 {
				next = backoff(interval, failures) // a network hiccup: poll again, a little later each time
				continue
			}
			return nil, err
		}
		failures, probe = 0, false
		if d, ok := busyWait(se, interval, busy+1); ok {
			// The server is overloaded or failing for a while (RFC 8628 §3.5 leaves it to the client): the
			// code is still good until its deadline, so wait as the server asks, or longer each time.
			busy++
			next = d
			continue
		}
		busy = 0
		switch se.Code {
		case "authorization_pending":
		case "slow_down":
			interval += 5 * time.Second // RFC 8628 §3.5
			next = interval
		case "access_denied":
			return nil, &AuthorizationError{Code: "access_denied", Description: se.Description}
		case "expired_token":
			return nil, fmt.Errorf("%w: the code expired before it was entered: sign in again to get a new code", ErrTimeout)
		default:
			return nil, err
		}
	}
}

// WebURL reports whether s is an absolute http:// or https:// URL with a host: one that is safe to open in the
// browser.
func WebURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "https" || scheme == "http"
}

// maxBackoff caps the wait between device polls after failures.
const maxBackoff = time.Minute

// backoff is the wait before poll n (1, 2, …) of a run of failures: interval doubled each time, capped.
func backoff(interval time.Duration, n int) time.Duration {
	d := interval
	for i := 0; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// busyWait says whether a device poll's error answer is one to wait out (a 5xx, a 429 or 408 without a code
// the grant defines, temporarily_unavailable) and how long to wait: the Retry-After the server sent, else a
// backoff for the n-th such answer in a row.
func busyWait(se *ServerError, interval time.Duration, n int) (time.Duration, bool) {
	switch {
	case se.Code == "temporarily_unavailable":
	case se.Status >= 500:
	case (se.Status == http.StatusTooManyRequests || se.Status == http.StatusRequestTimeout) && se.Code != "slow_down":
	default:
		return 0, false
	}
	var re *oauth2.RetrieveError
	if errors.As(se, &re) && re.Response != nil {
		if d, ok := advice.RetryAfter(re.Response.Header, time.Now()); ok {
			return max(d, interval), true
		}
	}
	return backoff(interval, n), true
}

// wrongClientAuth reports whether a token error may mean the server wanted the client credentials sent the
// other way: an error about the client, not about the grant.
func wrongClientAuth(err error) bool {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return false
	}
	switch re.ErrorCode {
	case "", "invalid_client", "unauthorized_client", "invalid_request":
		return true
	}
	return re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized
}
