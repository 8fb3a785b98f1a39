package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"apidesk/engine/resource"
	"apidesk/engine/template"
)

// grantRequest makes one request to the token endpoint for any grant (refresh, client credentials, device
// code): params plus the resource's token params, the client authenticated with style, by POST or GET. It
// goes through clientcredentials.Config because that is golang.org/x/oauth2's one-request token call that
// takes any parameters (it documents that grant_type may be replaced, for interoperability): oauth2.Config's
// refresh takes no extra parameters and its device polling cannot be paced by a test. It returns how the
// client authenticated (see tokenCall).
func (c *Client) grantRequest(ctx context.Context, o *resource.OAuth2, secret string, params url.Values, style oauth2.AuthStyle) (*oauth2.Token, string, error) {
	return c.tokenCall(ctx, o, secret, slices.Collect(maps.Keys(params)), func(ctx context.Context, tokenURL string, extra url.Values) (*oauth2.Token, error) {
		maps.Copy(extra, params)
		cc := clientcredentials.Config{ClientID: o.ClientID, ClientSecret: secret, TokenURL: tokenURL, EndpointParams: extra, AuthStyle: style}
		return cc.Token(ctx)
	})
}

// tokenCall makes one call to the resource's token endpoint through golang.org/x/oauth2. fetch is given the
// token URL with its {{variables}} filled in, the resource's token params but those in ours (and the client
// credentials, which x/oauth2 sends), and a context that bounds the call and carries the HTTP client. It
// returns the client authentication of the request that got the answer (resource.ClientAuthBasic or Body):
// with AuthStyleAutoDetect x/oauth2 tries Basic and then the body, and a Token keeps which one worked so that
// no later request, in this process or another, has to find it out again.
func (c *Client) tokenCall(ctx context.Context, o *resource.OAuth2, secret string, ours []string, fetch func(ctx context.Context, tokenURL string, extra url.Values) (*oauth2.Token, error)) (*oauth2.Token, string, error) {
	tokenURL, err := expandURL("Token URL", o.TokenURL, oauthVars(o, nil))
	if err != nil {
		return nil, "", err
	}
	extra := url.Values{}
	for _, p := range o.TokenParams.Active() {
		if !slices.Contains(ours, p.Key) && p.Key != "client_id" && p.Key != "client_secret" {
			extra.Add(p.Key, p.Value)
		}
	}
	hc, err := c.httpClient(ctx)
	if err != nil {
		return nil, "", err
	}
	tr := &tokenTransport{hc: hc, get: strings.EqualFold(o.TokenMethod, http.MethodGet)}
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout())
	defer cancel()
	ot, err := fetch(context.WithValue(ctx, oauth2.HTTPClient, tr.client()), tokenURL, extra)
	if err != nil {
		return nil, "", tokenError(err, o, secret)
	}
	return ot, tr.clientAuth(), nil
}

// authStyle says how to send the client credentials: as the resource says; in the body for a public client
// (RFC 6749 §3.2.1); as a stored token says worked before (learned); or else AuthStyleAutoDetect, for
// golang.org/x/oauth2 to find out.
func authStyle(o *resource.OAuth2, secret, learned string) oauth2.AuthStyle {
	switch {
	case o.ClientAuth == resource.ClientAuthBasic:
		return oauth2.AuthStyleInHeader
	case o.ClientAuth == resource.ClientAuthBody, secret == "":
		return oauth2.AuthStyleInParams
	case learned == resource.ClientAuthBasic:
		return oauth2.AuthStyleInHeader
	case learned == resource.ClientAuthBody:
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleAutoDetect
}

func tokenError(err error, o *resource.OAuth2, secret string) error {
	err = serverError("token", err)
	var se *ServerError
	if errors.As(err, &se) {
		if secret == "" && (se.Code == "invalid_client" || se.Code == "" && se.Status == http.StatusUnauthorized) {
			// A confidential client with no secret in this keychain: ask for it rather than show the error.
			return fmt.Errorf("%w (the provider said: %s)", ErrNeedsClientSecret, se.Error())
		}
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("the token endpoint did not answer: %w", err)
	}
	return fmt.Errorf("could not reach the token endpoint at %s: %w", hostOf(o.TokenURL), unwrapURLError(err))
}

// tokenTransport carries the token requests of one call. It asks for JSON (GitHub answers form-encoded
// otherwise); when get is true it turns golang.org/x/oauth2's form POST into a GET with the same parameters
// in the URL, for token endpoints that want that; and it notes whether the last request sent the client
// credentials with HTTP Basic, which x/oauth2 does not tell.
type tokenTransport struct {
	hc    *http.Client
	get   bool
	basic atomic.Bool
}

// client is hc with this transport in front of hc's own.
func (t *tokenTransport) client() *http.Client {
	c := *t.hc
	c.Transport = t
	return &c
}

// clientAuth is how the last request authenticated the client: resource.ClientAuthBasic or Body.
func (t *tokenTransport) clientAuth() string {
	if t.basic.Load() {
		return resource.ClientAuthBasic
	}
	return resource.ClientAuthBody
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	_, _, basic := req.BasicAuth()
	t.basic.Store(basic)
	r := req.Clone(req.Context())
	if r.Header.Get("Accept") == "" {
		r.Header.Set("Accept", "application/json")
	}
	if !t.get || req.Method != http.MethodPost {
		return base.RoundTrip(r)
	}
	var form url.Values
	if req.Body != nil {
		b, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("could not read the token request: %w", err)
		}
		if form, err = url.ParseQuery(string(b)); err != nil {
			return nil, fmt.Errorf("could not read the token request: %w", err)
		}
	}
	u := *req.URL
	q := u.Query()
	for k, vs := range form {
		q[k] = append(q[k], vs...)
	}
	u.RawQuery = q.Encode()
	r.Method = http.MethodGet
	r.URL = &u
	r.Host = ""
	r.Body = nil
	r.GetBody = nil
	r.ContentLength = 0
	r.Header.Del("Content-Type")
	return base.RoundTrip(r)
}

// oauthVars are the values {{client_id}}-style variables in the OAuth URLs take, on top of extra.
func oauthVars(o *resource.OAuth2, extra map[string]string) map[string]string {
	vars := make(map[string]string, len(extra)+4)
	maps.Copy(vars, extra)
	vars["client_id"] = o.ClientID
	vars["scope"] = strings.Join(o.Scopes, " ")
	vars["response_type"] = "code"
	return vars
}

// expandURL fills the {{variables}} of an OAuth URL and checks that the result is an http(s) URL.
func expandURL(label, s string, vars map[string]string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%s is not set: fill it in (or pick a preset, or discover it from the issuer)", label)
	}
	// A value goes into the URL escaped for where it stands: the path, or the query.
	path, query, hasQuery := strings.Cut(s, "?")
	out, err := template.Expand(path, escaped(vars, url.PathEscape))
	if err == nil && hasQuery {
		query, err = template.Expand(query, escaped(vars, url.QueryEscape))
		out += "?" + query
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", label, err)
	}
	check := resource.ValidateServerURL
	if label == "Login test URL" {
		check = resource.ValidateOptionalURL // an address of the API, not of the authorization server
	}
	if err := check(label, out); err != nil {
		return "", err
	}
	return out, nil
}

// unwrapURLError drops the URL net/http puts in its errors: the message then names no query parameter, and
// the caller says which host it was.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func escaped(vars map[string]string, escape func(string) string) map[string]string {
	out := make(map[string]string, len(vars))
	for k, v := range vars {
		out[k] = escape(v)
	}
	return out
}
