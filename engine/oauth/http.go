package oauth

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"apidesk/engine/resource"
	"apidesk/engine/template"
)

func clientCredentialsConfig(clientID, secret, tokenURL string, params url.Values, style oauth2.AuthStyle) *clientcredentials.Config {
	return &clientcredentials.Config{
		ClientID:       clientID,
		ClientSecret:   secret,
		TokenURL:       tokenURL,
		EndpointParams: params,
		AuthStyle:      style,
	}
}

// tokenHTTPClient returns hc with a transport that asks for JSON (GitHub answers form-encoded otherwise) and,
// when get is true, turns golang.org/x/oauth2's form POST into a GET with the same parameters in the URL, for
// token endpoints that want that.
func tokenHTTPClient(hc *http.Client, get bool) *http.Client {
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c := *hc
	c.Transport = &tokenTransport{base: base, get: get}
	return &c
}

type tokenTransport struct {
	base http.RoundTripper
	get  bool
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if r.Header.Get("Accept") == "" {
		r.Header.Set("Accept", "application/json")
	}
	if !t.get || req.Method != http.MethodPost {
		return t.base.RoundTrip(r)
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
	return t.base.RoundTrip(r)
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
	if err := resource.ValidateOptionalURL(label, out); err != nil {
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
