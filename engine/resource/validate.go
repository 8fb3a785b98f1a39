package resource

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"apidesk/engine/kv"
	"apidesk/engine/template"
)

// FieldError is a problem with one field, in words a person can act on. Field names the field as the form and
// the workspace file call it ("base_url", "headers[2].key", "auth.oauth2.token_url").
type FieldError struct {
	Field string
	Msg   string
}

func (e FieldError) Error() string { return e.Msg }

// Errors is every problem Validate found, in form order. It is an error when not empty.
type Errors []FieldError

func (es Errors) Error() string {
	if len(es) == 0 {
		return "no problems"
	}
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Msg
	}
	return strings.Join(msgs, "; ")
}

// For returns the first message for a field, or "".
func (es Errors) For(field string) string {
	for _, e := range es {
		if e.Field == field {
			return e.Msg
		}
	}
	return ""
}

// ErrInvalid is matched by errors.Is for Errors.
var ErrInvalid = errors.New("invalid")

// Is makes errors.Is(err, ErrInvalid) true for validation errors.
func (es Errors) Is(target error) bool { return target == ErrInvalid }

// OrNil returns es as an error, or nil when it is empty.
func (es Errors) OrNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// ValidateName checks a resource or query name.
func ValidateName(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("Name is required")
	case utf8.RuneCountInString(s) > 100: // characters, as the message says: 100 bytes were 33 in Japanese
		return errors.New("Name is too long: keep it under 100 characters")
	case strings.ContainsAny(s, "\r\n\t"):
		return errors.New("Name must be on one line")
	}
	return nil
}

// ValidateBaseURL checks a resource's base URL. A {{variable}} in it is allowed.
func ValidateBaseURL(s string) error {
	if err := validateHTTPURL("Base URL", s, true); err != nil {
		return err
	}
	if urlPassword(s) {
		return fmt.Errorf("Base URL holds a password (user:password@), and workspace files may be shared: take it out "+
			"of the URL and choose %s authentication, which keeps the password in your keychain", AuthBasic.Label())
	}
	return nil
}

// ValidateOptionalURL checks a URL field that may be left empty (token URL, login test URL…); label names it.
func ValidateOptionalURL(label, s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if err := validateHTTPURL(label, s, false); err != nil {
		return err
	}
	if urlPassword(s) {
		return fmt.Errorf("%s holds a password (user:password@), and workspace files may be shared: take it out of "+
			"the URL and set it in the resource's authentication, which keeps it in your keychain", label)
	}
	return nil
}

// ValidateServerURL is ValidateOptionalURL for an address of the authorization server (issuer, authorization,
// token, device and revocation URLs): sign-ins and client secrets travel there, so it must use https://, but
// for this computer's own addresses (localhost, 127.0.0.1, ::1), where a test server or a local provider runs.
func ValidateServerURL(label, s string) error {
	if err := ValidateOptionalURL(label, s); err != nil || strings.TrimSpace(s) == "" {
		return err
	}
	if LeadingVariable(s) {
		return nil // checked once filled in, as the sign-in sends it
	}
	u, err := url.Parse(template.Fill(strings.TrimSpace(s), "x"))
	if err != nil {
		return fmt.Errorf("%s is not a valid URL: check it for typos", label)
	}
	if strings.EqualFold(u.Scheme, "http") && !LoopbackHost(u.Hostname()) {
		_, rest, _ := strings.Cut(strings.TrimSpace(s), "://")
		return fmt.Errorf("%s starts with http://, which would send your sign-in unencrypted: use https://%s "+
			"(plain http:// is allowed only for this computer: localhost or 127.0.0.1)", label, rest)
	}
	return nil
}

// LoopbackHost reports whether host (without a port) names this computer: localhost, a name under
// .localhost, or a loopback IP address.
func LoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func validateHTTPURL(label, s string, required bool) error {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return fmt.Errorf("%s is required, for example https://api.example.com", label)
		}
		return nil
	}
	lower := strings.ToLower(s)
	if strings.ContainsAny(s, " \t\r\n") && !LeadingVariable(s) {
		return fmt.Errorf("%s may not contain spaces: encode a space as %%20", label)
	}
	if LeadingVariable(s) {
		// {{base}} or {{base}}/v1: the environment gives the scheme and host; the address is checked as it is
		// sent, once filled in.
		if strings.ContainsAny(template.Fill(s, ""), " \t\r\n#") {
			return fmt.Errorf("%s may not contain spaces or a # fragment after its {{variable}}", label)
		}
		return nil
	}
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return fmt.Errorf("%s must start with http:// or https://", label)
	}
	// {{variables}} are filled in at run time; check the URL with a stand-in for each.
	probe := template.Fill(s, "x")
	u, err := url.Parse(probe)
	if err != nil {
		return fmt.Errorf("%s is not a valid URL: check it for typos", label)
	}
	if u.Host == "" {
		return fmt.Errorf("%s needs a host name after %s://, for example %s://api.example.com", label, u.Scheme, u.Scheme)
	}
	if u.Fragment != "" {
		return fmt.Errorf("%s may not contain a # fragment", label)
	}
	return nil
}

// LeadingVariable reports whether the address s starts with a {{variable}}, which then gives its scheme and host
// (an environment's {{base_url}}).
func LeadingVariable(s string) bool {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{{") {
		return false
	}
	end := strings.Index(s, "}}")
	return end > 0 && template.Names(s[:end+2]) != nil
}

// urlPassword reports whether a URL written as s has a password in its user:password@ that is more than
// {{variables}} and {-placeholders-}.
func urlPassword(s string) bool {
	_, rest, _ := strings.Cut(s, "://")
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return false
	}
	_, password, ok := strings.Cut(rest[:at], ":")
	return ok && password != "" && !template.OnlyPlaceholders(password)
}

// Port returns the port a URL connects to: the one it gives, or its scheme's default (443 for https, else 80).
func Port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// ValidateHeaderName checks a header name (RFC 9110 token characters).
func ValidateHeaderName(s string) error {
	if s == "" {
		return errors.New("Header name is required")
	}
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("Header name may not contain a line break")
	}
	if strings.ContainsAny(s, " \t") {
		return errors.New("Header name may not contain spaces")
	}
	for _, r := range s {
		if !isTokenChar(r) {
			return fmt.Errorf("Header name may not contain %q", r)
		}
	}
	return nil
}

// ValidateHeaderValue checks a header value: no line breaks (they would let one header smuggle another).
func ValidateHeaderValue(s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("Header value may not contain a line break")
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return errors.New("Header value may not contain control characters")
		}
	}
	return nil
}

// ValidateCookieName checks a cookie name.
func ValidateCookieName(s string) error {
	if s == "" {
		return errors.New("Cookie name is required")
	}
	for _, r := range s {
		if !isTokenChar(r) {
			return errors.New("Cookie name may only use letters, digits and - _ . ! # $ % & ' * + ^ ` | ~")
		}
	}
	return nil
}

// ValidateCookieValue checks a cookie value.
func ValidateCookieValue(s string) error {
	if strings.ContainsAny(s, "\r\n;") {
		return errors.New("Cookie value may not contain ';' or a line break")
	}
	return nil
}

// ValidateParamName checks a URL parameter name.
func ValidateParamName(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("Parameter name is required")
	}
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("Parameter name may not contain a line break")
	}
	return nil
}

// ValidateTimeout checks a request timeout.
func ValidateTimeout(d time.Duration) error {
	switch {
	case d < 0:
		return errors.New("Timeout may not be negative")
	case d > 0 && d < 100*time.Millisecond:
		return errors.New("Timeout is too short: use at least 100ms, or leave it empty for 30s")
	case d > 24*time.Hour:
		return errors.New("Timeout is too long: use at most 24h")
	}
	return nil
}

func isTokenChar(r rune) bool {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
		return true
	}
	return strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// ValidateHeaders checks header rows; field is the prefix for FieldError.Field ("headers").
func ValidateHeaders(field string, rows kv.List) Errors {
	var es Errors
	for i, p := range rows {
		if !p.Enabled { // not sent; kept as the person left it
			continue
		}
		if err := ValidateHeaderName(p.Key); err != nil {
			es = append(es, FieldError{fmt.Sprintf("%s[%d].key", field, i), err.Error()})
		}
		if err := ValidateHeaderValue(p.Value); err != nil {
			es = append(es, FieldError{fmt.Sprintf("%s[%d].value", field, i), err.Error()})
		}
	}
	return es
}

// ValidateParams checks URL param rows.
func ValidateParams(field string, rows kv.List) Errors {
	var es Errors
	for i, p := range rows {
		if !p.Enabled { // not sent; kept as the person left it
			continue
		}
		if err := ValidateParamName(p.Key); err != nil {
			es = append(es, FieldError{fmt.Sprintf("%s[%d].key", field, i), err.Error()})
		}
	}
	return es
}

// ValidateCookies checks cookie rows.
func ValidateCookies(field string, rows kv.List) Errors {
	var es Errors
	for i, p := range rows {
		if !p.Enabled { // not sent; kept as the person left it
			continue
		}
		if err := ValidateCookieName(p.Key); err != nil {
			es = append(es, FieldError{fmt.Sprintf("%s[%d].key", field, i), err.Error()})
		}
		if err := ValidateCookieValue(p.Value); err != nil {
			es = append(es, FieldError{fmt.Sprintf("%s[%d].value", field, i), err.Error()})
		}
	}
	return es
}

// Validate returns every problem with the resource, field by field, in form order.
func (r *Resource) Validate() Errors {
	var es Errors
	add := func(field string, err error) {
		if err != nil {
			es = append(es, FieldError{field, err.Error()})
		}
	}
	add("name", ValidateName(r.Name))
	add("base_url", ValidateBaseURL(r.BaseURL))
	es = append(es, ValidateHeaders("headers", r.Headers)...)
	es = append(es, ValidateParams("params", r.Params)...)
	es = append(es, ValidateCookies("cookies", r.Cookies)...)
	add("timeout", ValidateTimeout(r.Timeout))
	add("max_body", ValidateMaxBody(r.MaxBody))
	es = append(es, ValidateVariableRows("variables", r.Variables)...)
	es = append(es, r.Auth.validate()...)
	es = append(es, r.Network.Validate("network.")...)
	return es
}

// ValidateVariableRows checks rows of {{variable}} defaults (a resource's, the workspace's): each a valid name,
// once, its value on one line. field names the rows ("variables").
func ValidateVariableRows(field string, rows kv.List) Errors {
	var es Errors
	seen := map[string]bool{}
	for i, p := range rows {
		name := strings.TrimSpace(p.Key)
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !template.ValidName(name):
			es = append(es, FieldError{f + ".key", fmt.Sprintf("The variable name %q may use only letters, digits, '_', '-' and '.'", name)})
		case seen[name]:
			es = append(es, FieldError{f + ".key", fmt.Sprintf("The variable %s is listed twice: keep one", name)})
		}
		seen[name] = true
		if strings.ContainsAny(p.Value, "\r\n") {
			es = append(es, FieldError{f + ".value", fmt.Sprintf("The value of %s must be on one line", name)})
		}
	}
	return es
}

func (a *Auth) validate() Errors {
	var es Errors
	add := func(field string, err error) {
		if err != nil {
			es = append(es, FieldError{field, err.Error()})
		}
	}
	switch a.Kind {
	case AuthNone, "", AuthBearer:
	case AuthBasic:
		if strings.TrimSpace(a.Username) == "" {
			add("auth.username", errors.New("Username is required for Basic authentication"))
		} else if strings.Contains(a.Username, ":") {
			add("auth.username", errors.New("Username may not contain ':' (Basic authentication uses it as the separator)"))
		}
	case AuthDigest:
		if strings.TrimSpace(a.Username) == "" {
			add("auth.username", errors.New("Username is required for Digest authentication"))
		} else if err := ValidateHeaderValue(a.Username); err != nil {
			add("auth.username", errors.New("Username must be on one line, without control characters"))
		}
	case AuthAPIKey:
		if strings.TrimSpace(a.KeyName) == "" {
			add("auth.key_name", errors.New("API key name is required, for example X-API-Key or api_key"))
		} else if a.KeyIn != KeyInQuery {
			add("auth.key_name", ValidateHeaderName(a.KeyName))
		}
		if a.KeyIn != KeyInHeader && a.KeyIn != KeyInQuery {
			add("auth.key_in", errors.New("Choose where to send the API key: header or query"))
		}
	case AuthOAuth2:
		// A resource is saved without its client ID (an import knows everything but it; a person may save what
		// they typed so far): signing in asks for it (OAuth2.Validate).
		for _, e := range a.OAuth2.Validate() {
			if e.Field != "auth.oauth2.client_id" {
				es = append(es, e)
			}
		}
	default:
		add("auth.kind", fmt.Errorf("Unknown authentication %q: choose none, bearer, basic, digest, apikey or oauth2", a.Kind))
	}
	return es
}

// Validate checks the OAuth 2.0 fields for the chosen grant.
func (o *OAuth2) Validate() Errors {
	var es Errors
	add := func(field string, err error) {
		if err != nil {
			es = append(es, FieldError{"auth.oauth2." + field, err.Error()})
		}
	}
	grant := o.Grant
	if grant == "" {
		grant = GrantAuthorizationCode
	}
	switch grant {
	case GrantAuthorizationCode:
		if strings.TrimSpace(o.AuthURL) == "" {
			add("auth_url", errors.New("Authorization URL is required to sign in (your provider's documentation names it)"))
		}
		add("auth_url", ValidateServerURL("Authorization URL", o.AuthURL))
	case GrantDevice:
		if strings.TrimSpace(o.DeviceURL) == "" {
			add("device_url", errors.New("Device authorization URL is required for the device sign-in"))
		}
		add("device_url", ValidateServerURL("Device authorization URL", o.DeviceURL))
	case GrantClientCredentials:
	default:
		add("grant", fmt.Errorf("Unknown grant %q: choose authorization code, client credentials or device", o.Grant))
	}
	if strings.TrimSpace(o.TokenURL) == "" {
		add("token_url", errors.New("Token URL is required (your provider's documentation names it)"))
	}
	add("token_url", ValidateServerURL("Token URL", o.TokenURL))
	switch strings.ToUpper(o.TokenMethod) {
	case "", "POST", "GET":
	default:
		add("token_method", errors.New("Token request method must be POST or GET"))
	}
	if strings.TrimSpace(o.ClientID) == "" {
		add("client_id", errors.New("Client ID is required: copy it from the app you registered with the provider"))
	}
	switch o.ClientAuth {
	case "", ClientAuthAuto, ClientAuthBasic, ClientAuthBody:
	default:
		add("client_auth", errors.New("Client authentication must be auto, basic or body"))
	}
	for i, s := range o.Scopes {
		if strings.ContainsAny(s, " \t\r\n\"\\") {
			add(fmt.Sprintf("scopes[%d]", i), fmt.Errorf("Scope %q may not contain spaces or quotes: give each scope on its own", s))
		}
	}
	es = append(es, prefix("auth.oauth2.", ValidateParams("auth_params", o.AuthParams))...)
	es = append(es, prefix("auth.oauth2.", ValidateParams("token_params", o.TokenParams))...)
	add("login_test_url", ValidateOptionalURL("Login test URL", o.LoginTestURL))
	add("revoke_url", ValidateServerURL("Revocation URL", o.RevokeURL))
	add("issuer", ValidateServerURL("Issuer URL", o.Issuer))
	if o.RedirectPort < 0 || o.RedirectPort > 65535 {
		add("redirect_port", errors.New("Redirect port must be between 1 and 65535, or empty for any free port"))
	}
	return es
}

func prefix(p string, es Errors) Errors {
	for i := range es {
		es[i].Field = p + es[i].Field
	}
	return es
}
