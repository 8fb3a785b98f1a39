package postman

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/sensitive"
	"apidesk/engine/template"
)

// authSpec is a Postman authentication: its type and attributes (a list in v2.1, an object in v2.0), and where
// it is set.
type authSpec struct {
	typ   string
	attrs map[string]json.RawMessage
	where string // "the collection", "folder Users", "item Users › Get user"
}

// parseAuth reads an auth object; nil when there is none (absent, null, or "inherit"), so the item inherits.
func parseAuth(raw json.RawMessage, where string) *authSpec {
	if !present(raw) {
		return nil
	}
	var m map[string]json.RawMessage
	if decodeQuiet(raw, &m) != nil {
		return nil
	}
	var t text
	_ = decodeQuiet(m["type"], &t)
	a := &authSpec{typ: strings.ToLower(strings.TrimSpace(string(t))), attrs: map[string]json.RawMessage{}, where: where}
	if a.typ == "" || a.typ == "inherit" {
		return nil
	}
	attrs := m[a.typ]
	if len(attrs) > 0 && attrs[0] == '[' { // v2.1: [{"key": …, "value": …}]
		var list []struct {
			Key   text            `json:"key"`
			Value json.RawMessage `json:"value"`
		}
		_ = decodeQuiet(attrs, &list)
		for _, p := range list {
			a.attrs[string(p.Key)] = p.Value
		}
	} else if len(attrs) > 0 && attrs[0] == '{' { // v2.0: {"token": …}
		_ = decodeQuiet(attrs, &a.attrs)
	}
	return a
}

// get is an attribute as text.
func (a *authSpec) get(key string) string {
	var t text
	_ = decodeQuiet(a.attrs[key], &t)
	return strings.TrimSpace(string(t))
}

// authLabels name the authentications Postman has and apidesk does not.
var authLabels = map[string]string{
	"oauth1": "OAuth 1.0", "hawk": "Hawk", "awsv4": "AWS Signature", "ntlm": "NTLM", "edgegrid": "Akamai EdgeGrid",
	"akamai": "Akamai EdgeGrid", "asap": "ASAP (Atlassian)", "jwt": "JWT Bearer",
}

// authResult is what an authentication becomes on a resource.
type authResult struct {
	auth    resource.Auth
	label   string   // "Bearer token", as a person reads it
	secrets []secret // the secret attributes it has a value for, which the person enters in the resource's form
	problem string   // why it cannot be a resource's authentication; "" when it can
	notes   []note
}

// secret is a secret attribute of an authentication.
type secret struct {
	words string // "the bearer token"
	value string // as written, "{{token}}" or the secret itself: never in a message but for a lone {{variable}}
	token bool   // an OAuth 2.0 token, which apidesk gets by signing in
}

// note is a part of an authentication left out, and why.
type note struct{ what, why string }

// convert makes a of a resource's authentication. Its attributes' {{variables}} are filled in from the
// collection's (but the secrets': those are entered in the resource's form).
func (r *reader) convert(a *authSpec) authResult {
	var out authResult
	add := func(key, words string) {
		if v := a.get(key); v != "" {
			out.secrets = append(out.secrets, secret{words: words, value: v})
		}
	}
	switch a.typ {
	case "noauth":
		out.auth.Kind, out.label = resource.AuthNone, "“No auth”"
	case "bearer":
		out.auth.Kind = resource.AuthBearer
		add("token", "the bearer token")
	case "basic", "digest":
		out.auth.Kind = resource.AuthBasic
		if a.typ == "digest" {
			out.auth.Kind = resource.AuthDigest
		}
		out.auth.Username = r.resolve(a.get("username"))
		add("password", "the password")
	case "apikey":
		out.auth.Kind = resource.AuthAPIKey
		out.auth.KeyName = r.resolve(a.get("key"))
		out.auth.KeyIn = resource.KeyInHeader
		if strings.EqualFold(a.get("in"), "query") {
			out.auth.KeyIn = resource.KeyInQuery
		}
		add("value", "the API key")
	case "oauth2":
		out.auth.Kind = resource.AuthOAuth2
		r.oauth2(a, &out)
		for _, s := range [][2]string{{"clientSecret", "the client secret"}, {"accessToken", "the access token"},
			{"refreshToken", "the refresh token"}, {"password", "the password"}} {
			add(s[0], s[1])
		}
		for i := range out.secrets {
			out.secrets[i].token = out.secrets[i].words != "the client secret" && out.secrets[i].words != "the password"
		}
	default:
		out.label = authLabels[a.typ]
		if out.label == "" {
			out.label = "“" + a.typ + "”"
		}
		out.problem = "apidesk cannot authenticate this way: choose another way in the resource's form, if the API offers one"
		return out
	}
	if out.label == "" {
		out.label = out.auth.Kind.Label()
	}
	if out.problem == "" && out.auth.Kind != resource.AuthNone {
		res := resource.Resource{Name: "x", BaseURL: "https://api.example.com", Auth: out.auth}
		var msgs []string
		for _, e := range res.Validate() {
			// No client ID is no problem: the resource is saved without it, and signing in asks for it.
			if strings.HasPrefix(e.Field, "auth") && e.Field != "auth.oauth2.client_id" {
				msgs = append(msgs, strings.TrimSuffix(e.Msg, "."))
			}
		}
		if len(msgs) > 0 {
			out.problem = strings.Join(msgs, "; ") + ": set it up in the resource's form"
		}
	}
	return out
}

// oauth2 reads Postman's OAuth 2.0 attributes.
func (r *reader) oauth2(a *authSpec, out *authResult) {
	o := &out.auth.OAuth2
	o.AuthURL = r.resolve(a.get("authUrl"))
	o.TokenURL = r.resolve(a.get("accessTokenUrl"))
	// A resource is saved without its client ID (signing in asks for it): one the collection does not give, or
	// gives as a {{variable}} without a value to import, is left to the person, and the rest comes through.
	if id := r.resolve(a.get("clientId")); len(template.Names(id)) > 0 {
		out.notes = append(out.notes, note{"the OAuth 2.0 client ID", "Postman takes it from " + strings.Join(variableRef.FindAllString(id, -1), ", ") +
			", which has no value that can be imported: enter it in the resource's form (signing in asks for it)"})
	} else {
		o.ClientID = id
	}
	o.Scopes = strings.FieldsFunc(r.resolve(a.get("scope")), func(c rune) bool { return c == ' ' || c == ',' || c == '\t' || c == '\n' })
	if len(o.Scopes) == 0 {
		o.Scopes = nil
	}
	switch strings.ToLower(a.get("client_authentication")) {
	case "header":
		o.ClientAuth = resource.ClientAuthBasic
	case "body":
		o.ClientAuth = resource.ClientAuthBody
	}
	switch g := a.get("grant_type"); g {
	case "", "authorization_code", "authorization_code_with_pkce":
		o.Grant = resource.GrantAuthorizationCode
	case "client_credentials":
		o.Grant = resource.GrantClientCredentials
		o.AuthURL = ""
	case "implicit":
		o.Grant = resource.GrantAuthorizationCode
		out.notes = append(out.notes, note{"the implicit grant of its OAuth 2.0 sign-in",
			"apidesk signs in with the authorization code flow and PKCE instead, as providers now advise: check that the app at your provider allows it"})
	case "password_credentials":
		out.problem = "it signs in with the OAuth 2.0 password grant, which apidesk does not offer (it gives your password to the app): " +
			"choose the authorization code or client credentials sign-in in the resource's form"
	default:
		out.problem = "its OAuth 2.0 grant " + strconv.Quote(g) + " is not one apidesk offers: set the sign-in up in the resource's form"
	}
	if ru := r.resolve(a.get("redirect_uri")); ru != "" {
		if u, err := url.Parse(ru); err == nil && resource.LoopbackHost(u.Hostname()) && u.Port() != "" {
			o.RedirectPort, _ = strconv.Atoi(u.Port())
		} else {
			out.notes = append(out.notes, note{"the OAuth 2.0 redirect URL " + ru,
				"apidesk signs in through this computer: add http://127.0.0.1 (any port) as a redirect URL of the app at your provider"})
		}
	}
	o.AuthParams = r.oauthParams(a, "authRequestParams", out)
	o.TokenParams = r.oauthParams(a, "tokenRequestParams", out)
}

// oauthParams reads Postman's extra parameters of the authorization or token request; one that looks secret
// is left out.
func (r *reader) oauthParams(a *authSpec, key string, out *authResult) kv.List {
	var ps []struct {
		Key     text  `json:"key"`
		Value   text  `json:"value"`
		Enabled *flag `json:"enabled"`
	}
	if decodeQuiet(a.attrs[key], &ps) != nil {
		return nil
	}
	var l kv.List
	for _, p := range ps {
		k, v := strings.TrimSpace(string(p.Key)), r.resolve(string(p.Value))
		if k == "" {
			continue
		}
		if sensitive.Param(k) || secretValue(v) {
			out.notes = append(out.notes, note{"the OAuth 2.0 parameter " + k, "it looks secret, and workspace files may be shared"})
			continue
		}
		l = append(l, kv.Pair{Key: k, Value: v, Enabled: p.Enabled == nil || bool(*p.Enabled)})
	}
	return l
}

// collectionAuth makes the collection's authentication the resource's; its secrets are left out, to be
// entered in the resource's form.
func (r *reader) collectionAuth() {
	if r.colAuth == nil {
		return
	}
	r.colConv = r.convert(r.colAuth)
	c := r.colConv
	for _, n := range c.notes {
		r.plan.Leave("the collection", n.what, n.why)
	}
	if c.problem != "" {
		r.plan.Leave("the collection", "its "+c.label+" authentication", c.problem)
		return
	}
	if c.auth.Kind == resource.AuthNone {
		return // “No auth”: the resource's authentication is none, as without any
	}
	r.res.Auth = c.auth
	if c.auth.Kind == resource.AuthOAuth2 && r.colAuth.get("clientId") == "" {
		r.plan.Notes = append(r.plan.Notes, "The collection gives no OAuth 2.0 client ID: enter it in the resource's form (signing in asks for it).")
	}
	for _, s := range c.secrets {
		why := "apidesk keeps it in your keychain, not in workspace files: enter it in the resource's form"
		if s.token {
			why = "apidesk gets its own when you sign in from the resource's form, and keeps it in your keychain"
		} else if v := onlyVariable(s.value); v != "" {
			why += " (Postman takes it from {{" + v + "}})"
		}
		r.plan.Leave("the collection", s.words, why)
	}
}

// requestAuth deals with the authentication a request uses when it is not the resource's: a bearer token or
// an API key is sent by the query itself, as a {{variable}}; another kind is left out.
func (r *reader) requestAuth(p *pending, a *authSpec) {
	if a == nil || a == r.colAuth {
		return
	}
	c := r.convert(a)
	if a.typ == "noauth" {
		if r.res.Auth.Kind != "" && r.res.Auth.Kind != resource.AuthNone {
			r.once(a, p.where, "its “No auth” setting", "the query sends the resource's authentication ("+r.res.Auth.Kind.Label()+
				") like the others; give it a resource of its own if that must not be")
		}
		return
	}
	if c.problem == "" && r.colAuth != nil && r.colConv.problem == "" && reflect.DeepEqual(c.auth, r.res.Auth) &&
		slices.Equal(c.secrets, r.colConv.secrets) {
		return // the same as the collection's
	}
	q := &p.q
	switch a.typ {
	case "bearer":
		v := r.authVariable(p, a, a.get("token"), "token", "the bearer token")
		if !q.Headers.Has("Authorization", true) {
			q.Headers = append(q.Headers, kv.On("Authorization", "Bearer {{"+v+"}}"))
		}
		return
	case "apikey":
		if c.auth.KeyName == "" {
			break
		}
		v := r.authVariable(p, a, a.get("value"), varName(c.auth.KeyName), "the API key")
		row := kv.On(c.auth.KeyName, "{{"+v+"}}")
		if c.auth.KeyIn == resource.KeyInQuery {
			if !q.Params.Has(row.Key, false) {
				q.Params = append(q.Params, row)
			}
		} else if !q.Headers.Has(row.Key, true) {
			q.Headers = append(q.Headers, row)
		}
		return
	}
	why := "a query sends its resource's authentication: give these requests a resource of their own, authenticating this way"
	if c.problem != "" && a.typ != "basic" && a.typ != "digest" && a.typ != "oauth2" {
		why = c.problem
	}
	r.once(a, a.where, "its "+c.label+" authentication", why)
}

// authVariable is the {{variable}} a request's bearer token or API key is sent as: the one Postman takes it
// from, or a new one for a value written out (left out: it is asked for when the query runs).
func (r *reader) authVariable(p *pending, a *authSpec, value, fallback, words string) string {
	if v := onlyVariable(value); v != "" {
		v = varName(v)
		if r.vars[v] == nil || r.vars[v].secret {
			p.secrets[v] = true
		}
		return v
	}
	if fallback == "" {
		fallback = "token"
	}
	p.secrets[fallback] = true
	if value != "" {
		r.once(a, a.where, words, "workspace files may be shared: the query sends {{"+fallback+"}} in its place, asked for when it runs")
	}
	return fallback
}

// once leaves out what an authentication (of a folder, say, shared by its requests) could not bring, once.
func (r *reader) once(a *authSpec, where, what, why string) {
	if r.reported[a] {
		return
	}
	r.reported[a] = true
	r.plan.Leave(where, what, why)
}
