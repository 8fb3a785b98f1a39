package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"apidesk/engine/resource"
)

// Metadata is what an authorization server says about itself (OpenID Connect Discovery 1.0 §3, RFC 8414 §2).
type Metadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`

	// From is the URL the document was read from.
	From string `json:"-"`
}

// DiscoveryURLs returns the addresses a metadata document for issuer may be at, in the order Discover tries
// them: OpenID Connect's (the well-known path appended to the issuer), then RFC 8414's (inserted between
// host and path), then OpenID Connect's with RFC 8414's insertion, which some servers use. A URL that already
// names a well-known document is returned as it is.
func DiscoveryURLs(issuer string) ([]string, error) {
	issuer = strings.TrimSpace(issuer)
	if err := resource.ValidateOptionalURL("Issuer URL", issuer); err != nil || issuer == "" {
		if err == nil {
			err = errors.New("Issuer URL is required, for example https://accounts.google.com")
		}
		return nil, err
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return nil, fmt.Errorf("Issuer URL is not valid: %w", err)
	}
	if strings.Contains(u.Path, "/.well-known/") {
		return []string{u.String()}, nil
	}
	u.RawQuery, u.Fragment = "", ""
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	origin := u.Scheme + "://" + u.Host
	urls := []string{origin + path + "/.well-known/openid-configuration"}
	urls = append(urls, origin+"/.well-known/oauth-authorization-server"+path)
	if path != "" {
		urls = append(urls, origin+"/.well-known/openid-configuration"+path)
	}
	return urls, nil
}

// discover is Discover with the client of the call's resource (httpClient).
func (c *Client) discover(ctx context.Context, issuer string) (*Metadata, error) {
	hc, err := c.httpClient(ctx)
	if err != nil {
		return nil, err
	}
	return Discover(ctx, hc, issuer)
}

// Discover reads the authorization server metadata for issuer from the first address of DiscoveryURLs that
// has it.
func Discover(ctx context.Context, hc *http.Client, issuer string) (*Metadata, error) {
	urls, err := DiscoveryURLs(issuer)
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{Transport: http.DefaultTransport}
	}
	want := expectedIssuer(strings.TrimSpace(issuer))
	var errs []error
	var refused error // a document was found, but apidesk may not use it
	for _, u := range urls {
		md, err := fetchMetadata(ctx, hc, u)
		if err == nil {
			err = md.check(want)
			if err == nil {
				return md, nil
			}
			if refused == nil {
				refused = err
			}
			continue
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("discovery stopped: %w", ctx.Err())
		}
		errs = append(errs, err)
	}
	if refused != nil {
		return nil, refused
	}
	return nil, fmt.Errorf("no OAuth metadata found for %s: check the issuer URL (it is the provider's base address, such as https://accounts.google.com): %w", issuer, errors.Join(errs...))
}

// expectedIssuer is the issuer a metadata document must name when it was asked for with issuer: issuer itself,
// or, for the address of a document pasted as it is, the issuer that address was made from (RFC 8414 §3.1,
// OpenID Connect Discovery §4).
func expectedIssuer(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil || !strings.Contains(u.Path, "/.well-known/") {
		return issuer
	}
	origin := u.Scheme + "://" + u.Host
	for _, wk := range []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"} {
		if rest, ok := strings.CutPrefix(u.Path, wk); ok && (rest == "" || strings.HasPrefix(rest, "/")) {
			return origin + rest
		}
		if before, ok := strings.CutSuffix(u.Path, wk); ok {
			return origin + before
		}
	}
	return issuer
}

// check refuses a document that names another issuer than want (RFC 8414 §3.3: its metadata must not be
// used) or that sends the sign-in to unencrypted addresses.
func (m *Metadata) check(want string) error {
	if !issuerMatches(m.Issuer, want) {
		named := m.Issuer
		if named == "" {
			named = "no provider at all"
		}
		return fmt.Errorf("The settings at %s are for %s, not %s: apidesk does not use another provider's settings. "+
			"Copy the issuer URL exactly as the provider's documentation gives it", m.From, named, want)
	}
	for _, e := range []struct{ label, url string }{
		{"Authorization URL", m.AuthorizationEndpoint}, {"Token URL", m.TokenEndpoint},
		{"Revocation URL", m.RevocationEndpoint}, {"Device authorization URL", m.DeviceAuthorizationEndpoint},
	} {
		if err := resource.ValidateServerURL(e.label, e.url); err != nil {
			return fmt.Errorf("The provider's settings at %s cannot be used: %w", m.From, err)
		}
	}
	return nil
}

// issuerMatches compares issuers as RFC 8414 §3.3 asks (exactly, but for a trailing slash). A {placeholder}
// path segment in the document's issuer matches any segment: Microsoft's multi-tenant documents
// (…/common/v2.0) name https://login.microsoftonline.com/{tenantid}/v2.0.
func issuerMatches(doc, want string) bool {
	doc, want = strings.TrimSuffix(doc, "/"), strings.TrimSuffix(want, "/")
	if doc == "" {
		return false
	}
	if doc == want {
		return true
	}
	ds, ws := strings.Split(doc, "/"), strings.Split(want, "/")
	if len(ds) != len(ws) {
		return false
	}
	for i := range ds {
		placeholder := len(ds[i]) > 2 && ds[i][0] == '{' && ds[i][len(ds[i])-1] == '}' && i > 2
		if ds[i] != ws[i] && !(placeholder && ws[i] != "") {
			return false
		}
	}
	return true
}

func fetchMetadata(ctx context.Context, hc *http.Client, u string) (*Metadata, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultRequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %d %s", u, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	var md Metadata
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&md); err != nil {
		return nil, fmt.Errorf("%s is not a JSON metadata document: %w", u, err)
	}
	if md.AuthorizationEndpoint == "" && md.TokenEndpoint == "" {
		return nil, fmt.Errorf("%s names neither an authorization nor a token endpoint", u)
	}
	md.From = u
	return &md, nil
}

// Apply fills the resource's endpoints from the metadata (only those the server names) and returns warnings
// for the person: no PKCE S256, no authorization endpoint. (Discover has refused a document of another issuer.) It never turns PKCE off. The
// scopes the server supports are in ScopesSupported, to offer as suggestions; Apply does not pick any.
func (m *Metadata) Apply(o *resource.OAuth2, issuer string) (warnings []string) {
	o.Issuer = strings.TrimSpace(issuer)
	if strings.Contains(o.Issuer, "/.well-known/") && m.Issuer != "" {
		o.Issuer = m.Issuer // the person pasted the document's own address
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&o.AuthURL, m.AuthorizationEndpoint)
	set(&o.TokenURL, m.TokenEndpoint)
	set(&o.RevokeURL, m.RevocationEndpoint)
	set(&o.DeviceURL, m.DeviceAuthorizationEndpoint)
	if len(m.CodeChallengeMethodsSupported) > 0 && !slices.Contains(m.CodeChallengeMethodsSupported, "S256") {
		warnings = append(warnings, "the server does not list PKCE S256; apidesk keeps PKCE on: turn it off only if sign-in fails")
	}
	if m.AuthorizationEndpoint == "" {
		warnings = append(warnings, "the server names no authorization endpoint: only client credentials (or device) sign-in can work")
	}
	return warnings
}
