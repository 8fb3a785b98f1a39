package resourceform

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/ui/kvtable"
)

// Labels of the OAuth 2.0 choices, as a person reads them.
var (
	grantLabels = []struct{ grant, label string }{
		{resource.GrantAuthorizationCode, "Authorization code (sign in with the browser)"},
		{resource.GrantClientCredentials, "Client credentials (no person signs in)"},
		{resource.GrantDevice, "Device code (sign in on another device)"},
	}
	clientAuthLabels = []struct{ auth, label string }{
		{resource.ClientAuthAuto, "Automatic"},
		{resource.ClientAuthBasic, "HTTP Basic header"},
		{resource.ClientAuthBody, "In the request body"},
	}
)

// oauthSection holds the OAuth 2.0 fields of the form: everything of resource.OAuth2, the client secret (to
// the keychain) and the redirect URI to register.
type oauthSection struct {
	f       *Form
	content *fyne.Container
	fields  []*field
	tables  []paramTable

	grantSelect      *widget.Select
	methodSelect     *widget.Select
	clientAuthSelect *widget.Select
	pkce             *widget.Check

	grant, authURL, tokenURL, deviceURL, clientID, clientSecret, clientAuth *field
	scopes, loginTestURL, revokeURL, issuer, redirectPort                   *field
	redirectURI                                                             *widget.Label
	copyRedirect                                                            *widget.Button
	authParams, tokenParams                                                 *kvtable.KeyValueTable
	redirectRow, paramsRow                                                  []fyne.CanvasObject

	// The sign-in part (status, Sign in / Sign out, token viewer, Test connection) goes here once
	// engine/oauth is in: see signin.go.
	signIn *fyne.Container

	keep resource.OAuth2 // fields the form does not show (preset), kept as loaded
}

type paramTable struct {
	prefix string
	table  *kvtable.KeyValueTable
}

func newOAuthSection(f *Form) *oauthSection {
	o := &oauthSection{f: f}
	check := func(key string) func() error { return func() error { return f.authProblem("auth.oauth2." + key) } }
	var grants []string
	for _, g := range grantLabels {
		grants = append(grants, g.label)
	}
	o.grantSelect = &widget.Select{Options: grants, OnChanged: func(string) { o.refresh(); f.edited() }}
	o.grantSelect.ExtendBaseWidget(o.grantSelect)
	o.grant = newOtherField("auth.oauth2.grant", "Grant", o.grantSelect)

	o.issuer = newField("auth.oauth2.issuer", "Issuer URL", f.newEntry("https://accounts.example.com"), check("issuer"))
	o.issuer.setHint("Optional: where the provider describes itself (used by sign-out to find the revocation URL).")
	o.authURL = newField("auth.oauth2.auth_url", "Authorization URL", f.newEntry("https://provider.example.com/oauth2/authorize"), check("auth_url"))
	o.deviceURL = newField("auth.oauth2.device_url", "Device authorization URL", f.newEntry("https://provider.example.com/oauth2/device"), check("device_url"))
	o.methodSelect = &widget.Select{Options: []string{"POST", "GET"}, OnChanged: func(string) { f.edited() }}
	o.methodSelect.ExtendBaseWidget(o.methodSelect)
	o.tokenURL = newField("auth.oauth2.token_url", "Token URL", f.newEntry("https://provider.example.com/oauth2/token"), check("token_url"))
	o.tokenURL.withButtons(o.methodSelect)
	o.clientID = newField("auth.oauth2.client_id", "Client ID", f.newEntry("From the app you registered with the provider"), check("client_id"))
	o.clientSecret = newField("auth.client_secret", "Client secret", f.newSecretEntry(), nil)
	var auths []string
	for _, a := range clientAuthLabels {
		auths = append(auths, a.label)
	}
	o.clientAuthSelect = &widget.Select{Options: auths, OnChanged: func(string) { f.edited() }}
	o.clientAuthSelect.ExtendBaseWidget(o.clientAuthSelect)
	o.clientAuth = newOtherField("auth.oauth2.client_auth", "Client authentication", o.clientAuthSelect)
	o.scopes = newField("auth.oauth2.scopes", "Scopes", f.newEntry("read write"), o.checkScopes)
	o.scopes.setHint("Separated by spaces.")
	o.loginTestURL = newField("auth.oauth2.login_test_url", "Login test URL", f.newEntry("https://api.example.com/me"), check("login_test_url"))
	o.loginTestURL.setHint("Optional: a URL that answers 2xx only when signed in. apidesk uses it to check the sign-in.")
	o.revokeURL = newField("auth.oauth2.revoke_url", "Revocation URL", f.newEntry("Optional"), check("revoke_url"))
	o.redirectPort = newField("auth.oauth2.redirect_port", "Redirect port", f.newEntry("Any free port"), o.checkPort)
	o.redirectPort.entry.OnChanged = func(string) { f.edited(); o.refreshRedirect() }
	o.redirectPort.setHint("Leave empty unless the provider needs the exact port registered.")
	o.pkce = &widget.Check{Text: "Use PKCE (recommended; turn off only if the provider rejects it)", OnChanged: func(bool) { f.edited() }}
	o.pkce.ExtendBaseWidget(o.pkce)

	o.redirectURI = &widget.Label{Selectable: true, TextStyle: fyne.TextStyle{Monospace: true}}
	o.copyRedirect = &widget.Button{Text: "Copy", Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: o.onCopyRedirect}
	redirectLabel := &widget.Label{Text: "Redirect URI to register", Alignment: fyne.TextAlignTrailing}
	redirectHelp := &widget.Label{Text: "Register this address with the provider as the app's redirect (callback) URI.",
		Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance, SizeName: theme.SizeNameCaptionText}
	o.redirectRow = []fyne.CanvasObject{redirectLabel, container.NewVBox(container.NewBorder(nil, nil, nil, o.copyRedirect, o.redirectURI), redirectHelp)}

	o.authParams = f.newTable("Parameter name", "Value", func(p kv.Pair) (error, error) { return resource.ValidateParamName(p.Key), nil })
	o.tokenParams = f.newTable("Parameter name", "Value", func(p kv.Pair) (error, error) { return resource.ValidateParamName(p.Key), nil })
	o.tables = []paramTable{{"auth.oauth2.auth_params[", o.authParams}, {"auth.oauth2.token_params[", o.tokenParams}}
	paramTabs := container.NewAppTabs(
		container.NewTabItem("Authorization request", o.authParams),
		container.NewTabItem("Token request", o.tokenParams),
	)
	o.paramsRow = []fyne.CanvasObject{&widget.Label{Text: "Extra parameters", Alignment: fyne.TextAlignTrailing}, paramTabs}

	o.fields = []*field{o.grant, o.issuer, o.authURL, o.deviceURL, o.tokenURL, o.clientID, o.clientSecret, o.clientAuth,
		o.scopes, o.loginTestURL, o.revokeURL, o.redirectPort}
	var rows []fyne.CanvasObject
	for _, x := range o.fields {
		rows = append(rows, x.label, x.cell)
		if x == o.redirectPort {
			rows = append(rows, o.redirectRow...)
			rows = append(rows, layout.NewSpacer(), o.pkce)
		}
	}
	rows = append(rows, o.paramsRow...)
	o.signIn = container.NewVBox()
	o.content = container.NewVBox(container.New(layout.NewFormLayout(), rows...), o.signIn)
	return o
}

func (o *oauthSection) setVisible(v bool) {
	if v {
		o.content.Show()
	} else {
		o.content.Hide()
	}
}

// fill shows a resource's OAuth 2.0 configuration.
func (o *oauthSection) fill(c *resource.OAuth2) {
	o.keep = *c
	grant := c.Grant
	if grant == "" {
		grant = resource.GrantAuthorizationCode
	}
	for _, g := range grantLabels {
		if g.grant == grant {
			o.grantSelect.SetSelected(g.label)
		}
	}
	o.issuer.entry.SetText(c.Issuer)
	o.authURL.entry.SetText(c.AuthURL)
	o.deviceURL.entry.SetText(c.DeviceURL)
	o.tokenURL.entry.SetText(c.TokenURL)
	if strings.EqualFold(c.TokenMethod, "GET") {
		o.methodSelect.SetSelected("GET")
	} else {
		o.methodSelect.SetSelected("POST")
	}
	o.clientID.entry.SetText(c.ClientID)
	o.clientSecret.entry.SetText("")
	clientAuth := c.ClientAuth
	if clientAuth == "" {
		clientAuth = resource.ClientAuthAuto
	}
	for _, a := range clientAuthLabels {
		if a.auth == clientAuth {
			o.clientAuthSelect.SetSelected(a.label)
		}
	}
	o.scopes.entry.SetText(strings.Join(c.Scopes, " "))
	o.loginTestURL.entry.SetText(c.LoginTestURL)
	o.revokeURL.entry.SetText(c.RevokeURL)
	if c.RedirectPort != 0 {
		o.redirectPort.entry.SetText(strconv.Itoa(c.RedirectPort))
	} else {
		o.redirectPort.entry.SetText("")
	}
	o.pkce.SetChecked(!c.DisablePKCE)
	o.authParams.SetRows(c.AuthParams)
	o.tokenParams.SetRows(c.TokenParams)
	o.refresh()
}

// collect is the OAuth 2.0 configuration as the form holds it.
func (o *oauthSection) collect() resource.OAuth2 {
	c := resource.OAuth2{
		Preset:       o.keep.Preset,
		Grant:        o.selectedGrant(),
		Issuer:       strings.TrimSpace(o.issuer.entry.Text),
		AuthURL:      strings.TrimSpace(o.authURL.entry.Text),
		DeviceURL:    strings.TrimSpace(o.deviceURL.entry.Text),
		TokenURL:     strings.TrimSpace(o.tokenURL.entry.Text),
		TokenMethod:  o.methodSelect.Selected,
		ClientID:     strings.TrimSpace(o.clientID.entry.Text),
		ClientAuth:   resource.ClientAuthAuto,
		Scopes:       strings.FieldsFunc(o.scopes.entry.Text, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }),
		AuthParams:   o.authParams.Rows(),
		TokenParams:  o.tokenParams.Rows(),
		LoginTestURL: strings.TrimSpace(o.loginTestURL.entry.Text),
		RevokeURL:    strings.TrimSpace(o.revokeURL.entry.Text),
		DisablePKCE:  !o.pkce.Checked,
	}
	for _, a := range clientAuthLabels {
		if a.label == o.clientAuthSelect.Selected {
			c.ClientAuth = a.auth
		}
	}
	c.RedirectPort, _ = parsePort(o.redirectPort.entry.Text)
	return c
}

func (o *oauthSection) selectedGrant() string {
	for _, g := range grantLabels {
		if g.label == o.grantSelect.Selected {
			return g.grant
		}
	}
	return resource.GrantAuthorizationCode
}

// refresh shows the fields the chosen grant uses.
func (o *oauthSection) refresh() {
	g := o.selectedGrant()
	o.authURL.setVisible(g == resource.GrantAuthorizationCode)
	o.deviceURL.setVisible(g == resource.GrantDevice)
	browser := g == resource.GrantAuthorizationCode
	o.redirectPort.setVisible(browser)
	for _, obj := range o.redirectRow {
		if browser {
			obj.Show()
		} else {
			obj.Hide()
		}
	}
	if browser {
		o.pkce.Show()
	} else {
		o.pkce.Hide()
	}
	o.refreshRedirect()
	o.content.Refresh()
}

// refreshRedirect shows the redirect URI for the port typed.
func (o *oauthSection) refreshRedirect() {
	port, err := parsePort(o.redirectPort.entry.Text)
	if err != nil {
		o.redirectURI.SetText("(fix the redirect port)")
		o.copyRedirect.Disable()
		return
	}
	o.redirectURI.SetText(redirectURI(port))
	o.copyRedirect.Enable()
}

func (o *oauthSection) onCopyRedirect() {
	o.f.win.Clipboard().SetContent(o.redirectURI.Text)
	o.f.state.SetText("Redirect URI copied")
}

func (o *oauthSection) checkScopes() error {
	if msg := o.f.collect().Validate(); len(msg) > 0 {
		for _, e := range msg {
			if strings.HasPrefix(e.Field, "auth.oauth2.scopes[") {
				return errors.New(e.Msg)
			}
		}
	}
	return nil
}

func (o *oauthSection) checkPort() error {
	if _, err := parsePort(o.redirectPort.entry.Text); err != nil {
		return err
	}
	return o.f.authProblem("auth.oauth2.redirect_port")
}

func parsePort(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, errors.New("Redirect port must be a number between 1 and 65535, or empty for any free port")
	}
	return n, nil
}

// redirectURI is the loopback redirect URI a sign-in listens on (RFC 8252 §7.3).
// TODO(oauth): use oauth.RedirectURI once engine/oauth is committed, so the form and the sign-in agree by
// construction.
func redirectURI(port int) string {
	if port == 0 {
		return "http://127.0.0.1:PORT/callback"
	}
	return fmt.Sprintf("http://127.0.0.1:%d/callback", port)
}
