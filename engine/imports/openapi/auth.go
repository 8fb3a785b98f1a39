package openapi

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"apidesk/engine/imports"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
)

// auth sets the resource's authentication from the security scheme the document asks for first (its first
// global security requirement, else the one its operations ask for most, else the first it defines) and
// leaves the other schemes out: a resource authenticates one way.
func (r *reader) auth() error {
	if r.doc.Components == nil || len(r.doc.Components.SecuritySchemes) == 0 {
		return nil
	}
	schemes := r.doc.Components.SecuritySchemes
	defined := sortedKeys(schemes)

	// The candidates in order of preference, and the scopes each is asked for with.
	var order []string
	scopes := map[string][]string{}
	addScopes := func(name string, list []string) {
		for _, s := range list {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(scopes[name], s) {
				scopes[name] = append(scopes[name], s)
			}
		}
	}
	consider := func(name string) {
		if _, ok := schemes[name]; ok && !slices.Contains(order, name) {
			order = append(order, name)
		}
	}
	for _, req := range r.doc.Security {
		for _, name := range sortedKeys(req) {
			consider(name)
			addScopes(name, req[name])
		}
	}
	globalScopes := map[string]bool{}
	for name := range scopes {
		globalScopes[name] = len(scopes[name]) > 0
	}
	uses := map[string]int{}
	opScopes := map[string][]string{}
	if r.doc.Paths != nil {
		for _, item := range r.doc.Paths.Map() {
			if item == nil {
				continue
			}
			for _, op := range item.Operations() {
				if op == nil || op.Security == nil {
					continue
				}
				for _, req := range *op.Security {
					for name, list := range req {
						uses[name]++
						for _, s := range list {
							if !slices.Contains(opScopes[name], s) {
								opScopes[name] = append(opScopes[name], s)
							}
						}
					}
				}
			}
		}
	}
	byUse := sortedKeys(uses)
	slices.SortStableFunc(byUse, func(a, b string) int { return uses[b] - uses[a] })
	for _, name := range byUse {
		consider(name)
	}
	for _, name := range defined {
		consider(name)
	}

	chosen := ""
	why := map[string]string{}
	for _, name := range order {
		ref := schemes[name]
		if ref == nil {
			continue
		}
		if ref.Value == nil {
			return r.circular("components.securitySchemes."+name, ref.Ref)
		}
		if chosen != "" {
			continue
		}
		list := scopes[name]
		if !globalScopes[name] {
			list = nil
			for _, s := range opScopes[name] {
				if s = strings.TrimSpace(s); s != "" && !slices.Contains(list, s) {
					list = append(list, s)
				}
			}
		}
		a, problem := r.scheme(name, ref.Value, list)
		if problem != "" {
			why[name] = problem
			continue
		}
		chosen = name
		r.res.Resource.Auth = a
	}
	for _, name := range defined {
		if name == chosen {
			continue
		}
		reason := why[name]
		if reason == "" && schemes[name] != nil && schemes[name].Value != nil {
			// What would keep it out on its own, found without leaving its parts out or discovering.
			scratch := *r
			scratch.plan, scratch.opt.Discover = &imports.Plan{}, false
			_, reason = scratch.scheme(name, schemes[name].Value, nil)
		}
		if reason == "" {
			reason = "a resource authenticates one way, and it uses " + chosen
		}
		r.plan.Leave("components.securitySchemes."+name, "the security scheme "+name, reason)
	}
	if chosen != "" {
		r.authNotes(chosen)
		r.otherAuthNote(chosen)
	}
	return nil
}

// otherAuthNote says how many operations ask for another authentication than the resource's.
func (r *reader) otherAuthNote(chosen string) {
	if r.doc.Paths == nil {
		return
	}
	n := 0
	for _, item := range r.doc.Paths.Map() {
		if item == nil {
			continue
		}
		for _, op := range item.Operations() {
			if op == nil || op.Security == nil || len(*op.Security) == 0 {
				continue
			}
			if !slices.ContainsFunc(*op.Security, func(req openapi3.SecurityRequirement) bool { _, ok := req[chosen]; return ok || len(req) == 0 }) {
				n++
			}
		}
	}
	if n > 0 {
		r.plan.Notes = append(r.plan.Notes, fmt.Sprintf("%d of the operations ask for another authentication than %s: their queries are sent with the resource's; make another resource for them if the API refuses them.", n, chosen))
	}
}

// authNotes say what the person adds to the resource's authentication.
func (r *reader) authNotes(name string) {
	a := r.res.Resource.Auth
	var s string
	switch a.Kind {
	case resource.AuthBearer:
		s = "The resource authenticates with a bearer token (from the document's %s): paste the token in the resource's authentication, which keeps it in your keychain."
	case resource.AuthBasic, resource.AuthDigest:
		s = "The resource authenticates with a user name and password (from the document's %s): fill them in on the resource's authentication; the password is kept in your keychain."
	case resource.AuthAPIKey:
		s = "The resource authenticates with an API key (from the document's %s): paste the key in the resource's authentication, which keeps it in your keychain."
	case resource.AuthOAuth2:
		s = "The resource signs in with OAuth 2.0 (from the document's %s): fill in the client ID of the app you registered with the API's provider, and its client secret if it has one."
	}
	if s != "" {
		r.plan.Notes = append(r.plan.Notes, fmt.Sprintf(s, name))
	}
}

// scheme makes a resource's authentication of a security scheme, or says why it cannot.
func (r *reader) scheme(name string, s *openapi3.SecurityScheme, scopes []string) (resource.Auth, string) {
	switch strings.ToLower(s.Type) {
	case "http":
		switch strings.ToLower(s.Scheme) {
		case "bearer":
			return resource.Auth{Kind: resource.AuthBearer}, ""
		case "basic":
			return resource.Auth{Kind: resource.AuthBasic}, ""
		case "digest":
			return resource.Auth{Kind: resource.AuthDigest}, ""
		}
		return resource.Auth{}, fmt.Sprintf("apidesk does not authenticate with the HTTP scheme %q: set a header with a {{variable}} on the resource if the API needs it", s.Scheme)
	case "apikey":
		a := resource.Auth{Kind: resource.AuthAPIKey, KeyName: strings.TrimSpace(s.Name)}
		switch strings.ToLower(s.In) {
		case "header":
			a.KeyIn = resource.KeyInHeader
			if resource.ValidateHeaderName(a.KeyName) != nil {
				return resource.Auth{}, fmt.Sprintf("its header name %q is not one a request can send", s.Name)
			}
		case "query":
			a.KeyIn = resource.KeyInQuery
		case "cookie":
			return resource.Auth{}, fmt.Sprintf("apidesk sends an API key in a header or a URL parameter, not a cookie: add the cookie %s to the resource's cookies, written as a {{variable}}", s.Name)
		default:
			return resource.Auth{}, fmt.Sprintf("it sends the key in %q, which is not a header, a URL parameter or a cookie", s.In)
		}
		if a.KeyName == "" {
			return resource.Auth{}, "it does not name the header or parameter the key is sent in"
		}
		return a, ""
	case "oauth2":
		return r.oauth2(name, s, scopes)
	case "openidconnect":
		return r.openIDConnect(name, s, scopes)
	case "mutualtls":
		return resource.Auth{}, "it asks for a client certificate: set it in the resource's network settings"
	}
	return resource.Auth{}, fmt.Sprintf("apidesk does not know the security scheme type %q", s.Type)
}

// oauth2 maps a scheme's flows: authorization code first (a person signs in), then device, then client
// credentials. The implicit and password flows are not ones apidesk signs in with.
func (r *reader) oauth2(name string, s *openapi3.SecurityScheme, scopes []string) (resource.Auth, string) {
	f := s.Flows
	if f == nil {
		return resource.Auth{}, "it names no OAuth 2.0 flow"
	}
	where := "components.securitySchemes." + name + ".flows."
	device := deviceFlow(f)
	// The flows apidesk signs in with, in the order it prefers them: a person signing in, then a device, then
	// the client on its own.
	type candidate struct {
		key, words string
		o          resource.OAuth2
	}
	var flows []candidate
	if c := f.AuthorizationCode; c != nil {
		flows = append(flows, candidate{"authorizationCode", "the authorization code flow", resource.OAuth2{Grant: resource.GrantAuthorizationCode,
			AuthURL: r.serverURL(c.AuthorizationURL), TokenURL: r.serverURL(c.TokenURL)}})
	}
	if device != nil {
		flows = append(flows, candidate{"deviceAuthorization", "the device flow", resource.OAuth2{Grant: resource.GrantDevice,
			DeviceURL: r.serverURL(device.deviceURL), TokenURL: r.serverURL(device.tokenURL)}})
	}
	if c := f.ClientCredentials; c != nil {
		flows = append(flows, candidate{"clientCredentials", "the client credentials flow", resource.OAuth2{Grant: resource.GrantClientCredentials,
			TokenURL: r.serverURL(c.TokenURL)}})
	}
	if len(flows) == 0 {
		return resource.Auth{}, "it offers only the implicit or password flow, which apidesk does not sign in with: choose the authorization code flow with the API's provider"
	}
	chosen := -1
	problems := make([]string, len(flows))
	for i, c := range flows {
		// Everything the resource will need but its client ID, which the person adds.
		probe := c.o
		probe.ClientID = "x"
		if es := probe.Validate(); len(es) > 0 {
			problems[i] = lowerFirst(es[0].Msg)
			continue
		}
		if chosen < 0 {
			chosen = i
		}
	}
	if chosen < 0 {
		return resource.Auth{}, flows[0].words + " cannot be used: " + problems[0]
	}
	for i, c := range flows {
		switch {
		case i == chosen:
		case problems[i] != "":
			r.plan.Leave(where+c.key, c.words+" of "+name, problems[i])
		default:
			r.plan.Leave(where+c.key, c.words+" of "+name, "the resource signs in with "+flows[chosen].words)
		}
	}
	o := flows[chosen].o
	o.Scopes = scopes
	if f.Implicit != nil {
		r.plan.Leave(where+"implicit", "the implicit flow of "+name, "apidesk signs in with the authorization code flow, which replaces it")
	}
	if f.Password != nil {
		r.plan.Leave(where+"password", "the password flow of "+name, "apidesk does not send your password to a token endpoint")
	}
	if len(o.Scopes) == 0 {
		// None asked for: offer the flow's own only when there are few, so sign-in does not ask for everything.
		var all []string
		for _, flow := range []*openapi3.OAuthFlow{f.AuthorizationCode, f.ClientCredentials} {
			if flow != nil {
				all = append(all, sortedKeys(flow.Scopes)...)
			}
		}
		if device != nil {
			all = append(all, device.scopes...)
		}
		slices.Sort(all)
		all = slices.Compact(all)
		if len(all) <= 5 {
			o.Scopes = all
		} else {
			r.plan.Notes = append(r.plan.Notes, fmt.Sprintf("The document's %s offers %d scopes and asks for none: add the scopes you need to the resource's authentication.", name, len(all)))
		}
	}
	o.Scopes = validScopes(o.Scopes)
	return resource.Auth{Kind: resource.AuthOAuth2, OAuth2: o}, ""
}

// validScopes drops the scopes the resource could not keep (with spaces or quotes).
func validScopes(list []string) []string {
	var out []string
	for _, s := range list {
		if !strings.ContainsAny(s, " \t\r\n\"\\") && s != "" {
			out = append(out, s)
		}
	}
	return out
}

type device struct {
	deviceURL, tokenURL string
	scopes              []string
}

// deviceFlow is OpenAPI 3.2's deviceAuthorization flow (kin keeps it among the flows' extensions), or the
// x-deviceAuthorization one apidesk's export writes in 3.1.
func deviceFlow(f *openapi3.OAuthFlows) *device {
	for _, key := range []string{"deviceAuthorization", "x-deviceAuthorization"} {
		m, ok := f.Extensions[key].(map[string]any)
		if !ok {
			continue
		}
		d := &device{}
		d.deviceURL, _ = m["deviceAuthorizationUrl"].(string)
		d.tokenURL, _ = m["tokenUrl"].(string)
		if sc, ok := m["scopes"].(map[string]any); ok {
			d.scopes = sortedKeys(sc)
		}
		if d.deviceURL != "" {
			return d
		}
	}
	return nil
}

// serverURL resolves an authorization server's address written relative to the API's base URL.
func (r *reader) serverURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.IsAbs() || s == "" {
		return s
	}
	base, err := url.Parse(r.res.Resource.BaseURL)
	if err != nil || base.Host == "" || strings.Contains(base.Host, "{{") {
		return s
	}
	return base.ResolveReference(u).String()
}

const wellKnown = "/.well-known/openid-configuration"

// openIDConnect keeps the scheme's issuer (its discovery document's address less the well-known part), and,
// with Options.Discover, reads the sign-in addresses from it.
func (r *reader) openIDConnect(name string, s *openapi3.SecurityScheme, scopes []string) (resource.Auth, string) {
	discovery := r.serverURL(s.OpenIdConnectUrl)
	if discovery == "" {
		return resource.Auth{}, "it names no OpenID Connect discovery address"
	}
	issuer := strings.TrimSuffix(discovery, wellKnown)
	if err := resource.ValidateServerURL("Its discovery address", discovery); err != nil {
		return resource.Auth{}, lowerFirst(err.Error())
	}
	if !slices.Contains(scopes, "openid") {
		scopes = append([]string{"openid"}, scopes...)
	}
	o := resource.OAuth2{Grant: resource.GrantAuthorizationCode, Issuer: issuer, Scopes: validScopes(scopes)}
	if r.opt.Discover {
		hc := r.opt.Client
		md, err := oauth.Discover(r.ctx, hc, issuer)
		if err != nil {
			r.plan.Notes = append(r.plan.Notes, fmt.Sprintf("The sign-in addresses of %s could not be read from %s (%v): find them again from the resource's authentication.", name, discovery, err))
		} else {
			for _, w := range md.Apply(&o, issuer) {
				r.plan.Notes = append(r.plan.Notes, "Sign-in: "+w+".")
			}
			if o.AuthURL == "" && o.DeviceURL == "" {
				o.Grant = resource.GrantClientCredentials
			}
		}
	} else {
		r.plan.Notes = append(r.plan.Notes, fmt.Sprintf("The sign-in addresses of %s are found from its issuer %s: ask for them on the resource's authentication.", name, issuer))
	}
	return resource.Auth{Kind: resource.AuthOAuth2, OAuth2: o}, ""
}

// lowerFirst is a message to follow a colon.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
