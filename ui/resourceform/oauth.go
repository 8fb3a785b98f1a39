package resourceform

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/kv"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/ui/kvtable"
	"apidesk/ui/task"
)

// discoverTimeout bounds reading a provider's metadata document.
const discoverTimeout = 20 * time.Second

// customPreset is the preset choice for settings typed by hand.
const customPreset = "Custom (type the settings)"

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

// oauthSection holds the OAuth 2.0 rows of the form: a provider preset, every field of resource.OAuth2 (with
// "Discover" from the issuer URL), the client secret (to the keychain), the redirect URI to register, and the
// sign-in: its state, Sign in / Sign out and what the token says.
type oauthSection struct {
	f      *Form
	shown  bool
	fields []*field // every row, in form order
	tables []paramTable

	presetSelect     *widget.Select
	grantSelect      *widget.Select
	methodSelect     *widget.Select
	clientAuthSelect *widget.Select
	pkce             *widget.Check
	discoverBtn      *widget.Button
	redirectURI      *widget.Label
	copyRedirect     *widget.Button
	authParams       *kvtable.KeyValueTable
	tokenParams      *kvtable.KeyValueTable

	preset, grant, issuer, authURL, deviceURL, tokenURL, clientID, clientSecret, clientAuth *field
	scopes, params, loginTestURL, revokeURL, redirectPort, redirect, pkceRow, signInRow     *field

	signIn *signInPart

	presetID    string    // the preset the fields came from, kept as loaded or chosen
	discovering *task.Job // reading the provider's description for Discover
}

type paramTable struct {
	prefix string
	table  *kvtable.KeyValueTable
}

func newOAuthSection(f *Form) *oauthSection {
	o := &oauthSection{f: f}
	check := func(key string) func() error { return func() error { return f.problemOf("auth.oauth2." + key) } }

	presets := []string{customPreset}
	for _, p := range oauth.Presets() {
		presets = append(presets, p.Name)
	}
	o.presetSelect = &widget.Select{Options: presets, OnChanged: o.onPreset}
	o.preset = newOtherField("auth.oauth2.preset", "Provider", o.presetSelect)

	var grants []string
	for _, g := range grantLabels {
		grants = append(grants, g.label)
	}
	o.grantSelect = &widget.Select{Options: grants, OnChanged: func(string) { o.refresh(); f.edited() }}
	o.grant = newOtherField("auth.oauth2.grant", "Grant", o.grantSelect)

	o.discoverBtn = &widget.Button{Text: "Discover", Icon: theme.SearchIcon(), OnTapped: o.onDiscover}
	o.issuer = newField("auth.oauth2.issuer", "Issuer URL", f.newEntry("https://login.example.com"), check("issuer"))
	o.issuer.entry.OnChanged = o.onIssuerChanged
	o.issuer.withButtons(o.discoverBtn)
	o.issuer.setHint("Optional. Discover fills in the endpoints from the provider's own description.")
	o.authURL = newField("auth.oauth2.auth_url", "Authorization URL", f.newEntry("https://login.example.com/oauth2/authorize"), check("auth_url"))
	o.deviceURL = newField("auth.oauth2.device_url", "Device authorization URL", f.newEntry("https://login.example.com/oauth2/device"), check("device_url"))
	o.methodSelect = &widget.Select{Options: []string{"POST", "GET"}, OnChanged: func(string) { f.edited() }}
	o.tokenURL = newField("auth.oauth2.token_url", "Token URL", f.newEntry("https://login.example.com/oauth2/token"), check("token_url"))
	o.tokenURL.withButtons(o.methodSelect)
	o.clientID = newField("auth.oauth2.client_id", "Client ID", f.newEntry("From the app you registered with the provider"), check("client_id"))
	o.clientSecret = newField("auth.client_secret", "Client secret", f.newSecretEntry(), nil)
	var auths []string
	for _, a := range clientAuthLabels {
		auths = append(auths, a.label)
	}
	o.clientAuthSelect = &widget.Select{Options: auths, OnChanged: func(string) { f.edited() }}
	o.clientAuth = newOtherField("auth.oauth2.client_auth", "Client authentication", o.clientAuthSelect)
	o.scopes = newField("auth.oauth2.scopes", "Scopes", f.newEntry("read write"), check("scopes"))
	o.scopes.setHint("Separated by spaces.")

	o.authParams = f.newTable("Parameter name", "Value", func(p kv.Pair) (error, error) { return resource.ValidateParamName(p.Key), nil })
	o.tokenParams = f.newTable("Parameter name", "Value", func(p kv.Pair) (error, error) { return resource.ValidateParamName(p.Key), nil })
	o.tables = []paramTable{{"auth.oauth2.auth_params[", o.authParams}, {"auth.oauth2.token_params[", o.tokenParams}}
	o.params = newOtherField("auth.oauth2.params", "Extra parameters", container.NewAppTabs(
		container.NewTabItem("Authorization request", o.authParams),
		container.NewTabItem("Token request", o.tokenParams),
	))

	o.loginTestURL = newField("auth.oauth2.login_test_url", "Login test URL", f.newEntry("https://api.example.com/me"), check("login_test_url"))
	o.loginTestURL.setHint("Optional: an address that answers only when signed in. Test connection uses it.")
	o.revokeURL = newField("auth.oauth2.revoke_url", "Revocation URL", f.newEntry("Optional"), check("revoke_url"))
	o.redirectPort = newField("auth.oauth2.redirect_port", "Redirect port", f.newEntry("Any free port"), o.checkPort)
	o.redirectPort.entry.OnChanged = func(string) { f.edited(); o.refreshRedirect() }
	o.redirectPort.setHint("Leave empty unless the provider needs the exact port registered.")

	o.redirectURI = &widget.Label{Selectable: true, TextStyle: fyne.TextStyle{Monospace: true}}
	o.copyRedirect = &widget.Button{Text: "Copy", Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: o.onCopyRedirect}
	o.redirect = newOtherField("auth.oauth2.redirect_uri", "Redirect URI to register", container.NewBorder(nil, nil, nil, o.copyRedirect, o.redirectURI))
	o.redirect.setHint("Register this address with the provider as the app's redirect (callback) URI.")
	o.pkce = &widget.Check{Text: "Use PKCE (recommended; turn off only if the provider rejects it)", OnChanged: func(bool) { f.edited(); o.refreshPKCE() }}
	o.pkceRow = newOtherField("auth.oauth2.pkce", "", o.pkce)
	o.pkceRow.hint.Importance = widget.WarningImportance

	o.signIn = newSignInPart(o)
	o.signInRow = newOtherField("auth.oauth2.sign_in", "Sign-in", o.signIn.content)

	o.fields = []*field{o.preset, o.grant, o.issuer, o.authURL, o.deviceURL, o.tokenURL, o.clientID, o.clientSecret,
		o.clientAuth, o.scopes, o.params, o.loginTestURL, o.revokeURL, o.redirectPort, o.redirect, o.pkceRow, o.signInRow}
	return o
}

// setVisible shows or hides the whole section.
func (o *oauthSection) setVisible(v bool) {
	o.shown = v
	o.refresh()
	switch s := o.signIn; {
	case !v:
		s.stopTicking()
	case !s.ticking() && s.lastSeen.State == oauth.SignedIn && !s.lastSeen.Expiry.IsZero():
		s.startTicking() // OAuth 2.0 chosen again
	}
}

// fill shows a resource's OAuth 2.0 configuration; the client secret field is left as it is.
func (o *oauthSection) fill(c *resource.OAuth2) {
	o.presetID = c.Preset
	name := customPreset
	if p, err := oauth.LookupPreset(c.Preset); err == nil && c.Preset != "" {
		name = p.Name
	}
	o.presetSelect.Selected = name // not SetSelected: that would apply the preset again
	o.presetSelect.Refresh()
	o.refreshPresetHint()
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
	o.refreshPKCE()
	o.authParams.SetRows(c.AuthParams)
	o.tokenParams.SetRows(c.TokenParams)
	o.refresh()
}

// collect is the OAuth 2.0 configuration as the form holds it.
func (o *oauthSection) collect() resource.OAuth2 {
	c := resource.OAuth2{
		Preset:       o.presetID,
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

// refresh shows the rows the chosen grant uses, all of them hidden while OAuth 2.0 is not chosen.
func (o *oauthSection) refresh() {
	g := o.selectedGrant()
	browser := g == resource.GrantAuthorizationCode
	visible := map[*field]bool{
		o.authURL:      browser,
		o.deviceURL:    g == resource.GrantDevice,
		o.redirectPort: browser,
		o.redirect:     browser,
		o.pkceRow:      browser,
		o.signInRow:    o.f.deps.OAuth != nil,
	}
	for _, x := range o.fields {
		v, ok := visible[x]
		x.setVisible(o.shown && (!ok || v))
	}
	o.refreshRedirect()
}

// refreshPKCE warns, under the check, while PKCE is off: a shared workspace file can turn it off.
func (o *oauthSection) refreshPKCE() {
	if o.pkce.Checked {
		o.pkceRow.setHint("")
		return
	}
	o.pkceRow.setHint(oauth.PKCEOffWarning + ".")
}

// refreshRedirect shows the redirect URI for the port typed.
func (o *oauthSection) refreshRedirect() {
	port, err := parsePort(o.redirectPort.entry.Text)
	if err != nil {
		o.redirectURI.SetText("(fix the redirect port)")
		o.copyRedirect.Disable()
		return
	}
	o.redirectURI.SetText(oauth.RedirectURI(port))
	o.copyRedirect.Enable()
}

func (o *oauthSection) onCopyRedirect() {
	fyne.CurrentApp().Clipboard().SetContent(o.redirectURI.Text)
	o.f.state.SetText("Redirect URI copied")
}

func (o *oauthSection) checkPort() error {
	if _, err := parsePort(o.redirectPort.entry.Text); err != nil {
		return err
	}
	return o.f.problemOf("auth.oauth2.redirect_port")
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

func (o *oauthSection) selectedPreset() (oauth.Preset, bool) {
	for _, p := range oauth.Presets() {
		if p.Name == o.presetSelect.Selected {
			return p, true
		}
	}
	return oauth.Preset{}, false
}

func (o *oauthSection) refreshPresetHint() {
	p, ok := o.selectedPreset()
	if !ok {
		o.preset.setHint("Pick your provider to fill in its settings, then paste your client ID.")
		return
	}
	hint := p.Notes
	if p.RegisterURL != "" {
		hint = strings.TrimSpace(hint + " Register the app at " + p.RegisterURL)
	}
	o.preset.setHint(strings.TrimSpace(hint))
}

// onPreset fills the fields from the preset chosen, asking first for the values it needs (a tenant, a
// domain). The client ID, grant and redirect port stay as typed.
func (o *oauthSection) onPreset(string) {
	if o.f.filling {
		return
	}
	p, ok := o.selectedPreset()
	if !ok {
		o.presetID = ""
		o.refreshPresetHint()
		o.f.edited()
		return
	}
	if len(p.Vars) == 0 {
		o.applyPreset(p, nil)
		return
	}
	var items []*widget.FormItem
	entries := map[string]*widget.Entry{}
	for _, v := range p.Vars {
		e := &widget.Entry{Text: v.Default, PlaceHolder: v.Example}
		entries[v.Name] = e
		label := v.Label
		if label == "" {
			label = v.Name
		}
		items = append(items, &widget.FormItem{Text: label, Widget: e, HintText: v.Help})
	}
	d := dialog.NewForm(p.Name, "Fill in", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		vars := map[string]string{}
		for k, e := range entries {
			vars[k] = strings.TrimSpace(e.Text)
		}
		o.applyPreset(p, vars)
	}, o.f.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

func (o *oauthSection) applyPreset(p oauth.Preset, vars map[string]string) {
	c := o.collect()
	if err := p.Apply(&c, vars); err != nil {
		o.preset.setProblem(err.Error())
		return
	}
	c.Preset = p.ID
	o.preset.setProblem("")
	o.f.filling = true
	o.fill(&c)
	o.f.filling = false
	o.f.edited()
	o.f.win.Canvas().Focus(o.clientID.entry)
}

// onDiscover reads the provider's metadata from the issuer URL, in the background, and fills the endpoints.
func (o *oauthSection) onDiscover() {
	issuer := strings.TrimSpace(o.issuer.entry.Text)
	if issuer == "" {
		o.issuer.setProblem("Type the issuer URL first, for example https://login.example.com")
		return
	}
	if err := resource.ValidateOptionalURL("Issuer URL", issuer); err != nil {
		o.issuer.setProblem(err.Error())
		return
	}
	o.issuer.setProblem("")
	o.issuer.setHint("Reading the provider's description…")
	o.discoverBtn.Disable()
	hc := o.f.httpClient()
	o.discovering = task.Start(&o.f.tasks, func(ctx context.Context) (*oauth.Metadata, error) {
		ctx, cancel := context.WithTimeout(ctx, discoverTimeout)
		defer cancel()
		return oauth.Discover(ctx, hc, issuer)
	}, func(md *oauth.Metadata, err error) {
		o.discoverBtn.Enable()
		if err != nil {
			o.issuer.setHint("")
			o.issuer.setProblem(err.Error())
			return
		}
		c := o.collect()
		warnings := md.Apply(&c, issuer)
		o.f.filling = true
		o.fill(&c)
		o.f.filling = false
		o.f.edited()
		hint := "Filled in from " + md.From + "."
		if len(warnings) > 0 {
			hint += " " + strings.Join(warnings, " ")
		}
		o.issuer.setHint(hint)
		if len(md.ScopesSupported) > 0 {
			offered := md.ScopesSupported
			if len(offered) > 15 {
				offered = append(offered[:15:15], "…")
			}
			o.scopes.setHint("Separated by spaces. The provider offers: " + strings.Join(offered, " "))
		}
	})
}

// onIssuerChanged drops a Discover on its way: it reads the provider at the address typed before.
func (o *oauthSection) onIssuerChanged(string) {
	o.f.edited()
	if o.discovering.Running() {
		o.discovering.Cancel()
		o.discoverBtn.Enable()
		o.issuer.setHint("")
	}
}

// signInPart is the sign-in row: where the sign-in stands, Sign in / Sign out, and what the token says.
type signInPart struct {
	o        *oauthSection
	status   *widget.Label
	result   *widget.Label
	claims   *widget.Label
	details  *widget.Accordion
	signIn   *widget.Button
	signOut  *widget.Button
	content  *fyne.Container
	lastSeen oauth.Status

	// The status line counts down while it is on screen: every tick (a second) it says lastSeen as it
	// stands at now(), until the sign-in turns over or the form is hidden.
	tick     time.Duration
	now      func() time.Time
	stopTick context.CancelFunc // nil while not ticking
}

func newSignInPart(o *oauthSection) *signInPart {
	s := &signInPart{o: o, tick: time.Second, now: time.Now}
	s.status = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	s.result = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.result.Hide()
	s.claims = &widget.Label{Wrapping: fyne.TextWrapBreak, Selectable: true, TextStyle: fyne.TextStyle{Monospace: true}, SizeName: theme.SizeNameCaptionText}
	s.details = widget.NewAccordion(widget.NewAccordionItem("What the token says", s.claims))
	s.details.Hide()
	s.signIn = &widget.Button{Text: "Sign in", Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: s.onSignIn}
	s.signOut = &widget.Button{Text: "Sign out", Icon: theme.LogoutIcon(), OnTapped: s.onSignOut}
	s.content = container.NewVBox(s.status, container.NewHBox(s.signIn, s.signOut), s.result, s.details)
	return s
}

// reset shows the sign-in of a resource not read yet.
func (s *signInPart) reset(r *resource.Resource) {
	s.stopTicking()
	s.lastSeen = oauth.Status{}
	s.result.Hide()
	s.details.Hide()
	if r.ID == "" {
		s.status.SetText("Save the resource, then sign in.")
		s.signOut.Disable()
		return
	}
	s.status.SetText("Reading the sign-in from your keychain…")
	s.signOut.Enable()
}

// show shows a status read from the keychain, and counts it down while it is good.
func (s *signInPart) show(st oauth.Status) {
	s.lastSeen = st
	s.showStatus(st.At(s.now()))
	s.stopTicking()
	if st.State == oauth.SignedIn && !st.Expiry.IsZero() {
		s.startTicking()
	}
	if st.State == oauth.NotSignedIn {
		s.signOut.Disable()
	} else {
		s.signOut.Enable()
	}
	if st.State == oauth.SignedIn || st.State == oauth.Expired {
		s.signIn.SetText("Sign in again")
		s.signIn.Importance = widget.MediumImportance
	} else {
		s.signIn.SetText("Sign in")
		s.signIn.Importance = widget.HighImportance
	}
	s.signIn.Refresh()
	var lines []string
	now := time.Now()
	if st.Access != nil {
		lines = append(lines, "Access token:")
		lines = append(lines, indent(st.Access.Lines(now))...)
	} else if st.State == oauth.SignedIn || st.State == oauth.Expired {
		lines = append(lines, "The access token is opaque: only the provider can read what it says.")
	}
	if st.ID != nil {
		lines = append(lines, "", "ID token:")
		lines = append(lines, indent(st.ID.Lines(now))...)
	}
	if len(lines) == 0 {
		s.details.Hide()
		return
	}
	s.claims.SetText(strings.Join(lines, "\n"))
	s.details.Show()
}

// startTicking counts the status line down, a tick at a time, on a goroutine of its own that hands each tick
// to the UI goroutine.
func (s *signInPart) startTicking() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopTick = cancel
	go func() {
		t := time.NewTicker(s.tick)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fyne.Do(func() {
					if ctx.Err() == nil { // not stopped meanwhile
						s.onTick()
					}
				})
			}
		}
	}()
}

func (s *signInPart) stopTicking() {
	if s.stopTick != nil {
		s.stopTick()
		s.stopTick = nil
	}
}

// ticking reports whether the status line is counting down.
func (s *signInPart) ticking() bool { return s.stopTick != nil }

// onTick says the status as it stands now. It stops when the form is no longer shown (Edit and a status
// read again start it anew) and once the access token has expired.
func (s *signInPart) onTick() {
	if !onScreen(s.status) {
		s.stopTicking()
		return
	}
	st := s.lastSeen.At(s.now())
	s.showStatus(st)
	if st.State != oauth.SignedIn {
		s.stopTicking()
		if f := s.o.f; f.OnSignInChanged != nil {
			f.OnSignInChanged(f.res.ID, st) // the sidebar says so too
		}
	}
}

// onScreen reports whether o is in a window's content now: shown, and every container above it too.
func onScreen(o fyne.CanvasObject) bool {
	if !o.Visible() {
		return false
	}
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o) // the origin when o is in no visible tree
	return p.X > 0 || p.Y > 0
}

// showStatus sets the status line.
func (s *signInPart) showStatus(st oauth.Status) {
	s.status.SetText(st.Summary())
	switch {
	case st.NeedsClientSecret:
		s.status.Importance = widget.WarningImportance
	case st.State == oauth.SignedIn || st.State == oauth.Expired:
		s.status.Importance = widget.SuccessImportance
	case st.State == oauth.NeedsSignIn:
		s.status.Importance = widget.WarningImportance
	default:
		s.status.Importance = widget.MediumImportance
	}
	s.status.Refresh()
}

func (s *signInPart) showError(err error) {
	s.stopTicking()
	s.status.Importance = widget.WarningImportance
	s.status.SetText("The sign-in could not be read: " + err.Error())
}

func (s *signInPart) setResult(msg string, imp widget.Importance) {
	s.result.Importance = imp
	s.result.SetText(msg)
	s.result.Show()
}

func (s *signInPart) onSignIn() {
	f := s.o.f
	if f.dirty || f.res.ID == "" {
		f.Save(s.startSignIn) // sign in with what the form shows
		return
	}
	s.startSignIn()
}

func (s *signInPart) startSignIn() {
	f := s.o.f
	s.result.Hide()
	f.signIn(f.res, "", func(st oauth.Status) {
		s.show(st)
		s.setResult("Signed in.", widget.SuccessImportance)
	})
}

func (s *signInPart) onSignOut() {
	f := s.o.f
	r := f.res
	if r.ID == "" || f.deps.OAuth == nil {
		return
	}
	s.signOut.Disable()
	bind := f.bind(r) // the sign-in of the environment active
	task.Start(&f.tasks, func(ctx context.Context) (bool, error) {
		b, err := bind(ctx)
		if err != nil {
			return false, err
		}
		return f.deps.OAuth.SignOut(ctx, b)
	},
		func(_ bool, err error) {
			switch {
			case errors.Is(err, oauth.ErrRevocationFailed):
				s.setResult("Signed out here. The provider did not confirm that it revoked the tokens: "+err.Error(), widget.WarningImportance)
			case err != nil:
				s.signOut.Enable()
				s.setResult("Sign-out failed: "+err.Error(), widget.DangerImportance)
				return
			default:
				s.setResult("Signed out.", widget.MediumImportance)
			}
			f.loadStatus(r)
		})
}

func indent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "  " + l
	}
	return out
}
