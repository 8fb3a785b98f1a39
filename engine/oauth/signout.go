package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"apidesk/engine/resource"
)

// SignOut deletes the resource's tokens from the keychain and asks the provider to revoke them (RFC 7009:
// the refresh token first, then the access token) when a revocation URL is set or can be discovered from the
// issuer. revoked reports whether the provider confirmed it. A failed revocation is returned as an error
// matching ErrRevocationFailed, but the tokens are deleted here all the same.
func (c *Client) SignOut(ctx context.Context, r *resource.Resource) (revoked bool, err error) {
	ctx = forResource(ctx, r)
	o, err := oauth2Of(r)
	if err != nil {
		return false, err
	}
	t, err := c.takeToken(ctx, r.ID)
	if err != nil || t == nil {
		return false, err
	}

	revokeURL := strings.TrimSpace(o.RevokeURL)
	var md *Metadata // the issuer's, when it was read
	if revokeURL == "" && strings.TrimSpace(o.Issuer) != "" {
		if md, _ = c.discover(ctx, o.Issuer); md != nil {
			revokeURL = md.RevocationEndpoint
		}
	}
	if revokeURL == "" {
		return false, nil
	}
	// The tokens and the client secret go to the revocation endpoint, which revocationAllowed keeps on the token
	// URL's site (or the issuer's word): not when the token URL moved since they were saved.
	if err := c.checkTokenOrigin(ctx, r, o.TokenURL); err != nil {
		return false, fmt.Errorf("signed out on this computer, but %w: %w", ErrRevocationFailed, err)
	}
	revokeURL, err = expandURL("Revocation URL", revokeURL, oauthVars(o, nil))
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrRevocationFailed, err)
	}
	if err := c.revocationAllowed(ctx, o, md, revokeURL); err != nil {
		return false, fmt.Errorf("signed out on this computer, but %w: %w", ErrRevocationFailed, err)
	}
	secret, err := c.clientSecret(ctx, r.ID)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrRevocationFailed, err)
	}
	var errs []error
	if t.RefreshToken != "" {
		if err := c.revoke(ctx, o, secret, revokeURL, t.RefreshToken, "refresh_token", t.ClientAuth); err != nil {
			errs = append(errs, err)
		}
	}
	if err := c.revoke(ctx, o, secret, revokeURL, t.AccessToken, "access_token", t.ClientAuth); err != nil {
		var se *ServerError
		// A server may revoke only refresh tokens (RFC 7009 §2.2.1); the access token then dies with it.
		if !(errors.As(err, &se) && se.Code == "unsupported_token_type" && t.RefreshToken != "" && len(errs) == 0) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return false, fmt.Errorf("signed out on this computer, but %w: %w", ErrRevocationFailed, errors.Join(errs...))
	}
	return true, nil
}

// revocationAllowed says whether the refresh token and the client secret may be sent to revokeURL: only to
// the token URL's site, or to the revocation endpoint the issuer's own metadata names (md, when read).
func (c *Client) revocationAllowed(ctx context.Context, o *resource.OAuth2, md *Metadata, revokeURL string) error {
	tokenURL, err := expandURL("Token URL", o.TokenURL, oauthVars(o, nil))
	if err == nil && sameOrigin(revokeURL, tokenURL) {
		return nil
	}
	if md == nil && strings.TrimSpace(o.Issuer) != "" {
		md, _ = c.discover(ctx, o.Issuer)
	}
	if md != nil && md.RevocationEndpoint == revokeURL {
		return nil
	}
	return fmt.Errorf("the Revocation URL is on %s, another site than the Token URL (%s), so apidesk did not send your tokens there: "+
		"correct the Revocation URL, or leave it empty", hostOf(revokeURL), hostOf(o.TokenURL))
}

// sameOrigin reports whether two URLs have the same scheme, host and port.
func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "http") {
			return "80"
		}
		return "443"
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Hostname(), ub.Hostname()) && port(ua) == port(ub)
}

// takeToken reads and deletes the resource's tokens, holding the refresh locks so that no refresh running
// at the same time writes them back.
func (c *Client) takeToken(ctx context.Context, resourceID string) (*Token, error) {
	g := c.gate(resourceID)
	select {
	case g <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-g }()
	unlock, err := c.lockFile(ctx, resourceID)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t, lerr := c.unsavedToken(resourceID), error(nil)
	if t == nil {
		t, lerr = c.loadToken(ctx, resourceID)
	}
	c.remember(resourceID, nil)
	if err := c.deleteToken(ctx, resourceID); err != nil {
		return nil, err
	}
	return t, lerr
}

// revoke makes one RFC 7009 revocation request, authenticating the client as at the token endpoint.
func (c *Client) revoke(ctx context.Context, o *resource.OAuth2, secret, revokeURL, token, hint, learned string) error {
	form := url.Values{"token": {token}, "token_type_hint": {hint}}
	style := authStyle(o, secret, learned)
	if style == oauth2.AuthStyleAutoDetect {
		style = oauth2.AuthStyleInHeader // RFC 6749 §2.3.1: servers must take it
	}
	if style == oauth2.AuthStyleInParams {
		form.Set("client_id", o.ClientID)
		if secret != "" {
			form.Set("client_secret", secret)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, revokeURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("Revocation URL is not valid: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if style == oauth2.AuthStyleInHeader {
		req.SetBasicAuth(url.QueryEscape(o.ClientID), url.QueryEscape(secret)) // RFC 6749 §2.3.1
	}
	hc, err := c.httpClient(ctx)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("could not reach the revocation endpoint at %s: %w", hostOf(revokeURL), unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil // RFC 7009 §2.2: 200 also for a token that was already invalid
	}
	se := &ServerError{Endpoint: "revocation", Status: resp.StatusCode}
	se.Code, se.Description = errorFields(resp.Header.Get("Content-Type"), body)
	return se
}

// errorFields reads error and error_description from a JSON or form-encoded error answer.
func errorFields(contentType string, body []byte) (code, description string) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/x-www-form-urlencoded" || mt == "text/plain" {
		if v, err := url.ParseQuery(string(body)); err == nil {
			return v.Get("error"), v.Get("error_description")
		}
		return "", ""
	}
	var e struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) == nil {
		return e.Error, e.ErrorDescription
	}
	return "", ""
}
