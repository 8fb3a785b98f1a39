// Package resourceform is the form that creates and edits a resource: its name, base URL, the headers, URL
// params and cookies sent with every request, its timeout, and how it authenticates. Every field is checked
// with the engine's own validator as the person leaves it, with the message under the field; Save is refused
// with the first problem focused. Secrets (password, token, API key, client secret) are typed into password
// entries and go to the keychain, off the UI thread, never to the workspace files.
package resourceform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/kv"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
	"apidesk/ui/environ"
	"apidesk/ui/filechooser"
	"apidesk/ui/kvtable"
	"apidesk/ui/problem"
	"apidesk/ui/signin"
	"apidesk/ui/task"
	"apidesk/ui/wheel"
)

// Deps is the engine the form works with.
type Deps struct {
	Workspace *workspace.Workspace
	Secrets   *secret.Store
	// OAuth signs in to OAuth 2.0 resources; nil hides the sign-in row.
	OAuth *oauth.Client
	// OpenURL opens the system browser for a sign-in (see signin.Deps).
	OpenURL func(*url.URL) error
	// Runner sends Test connection's request, as it sends queries; nil makes one that reads Secrets and
	// gets access tokens from OAuth.
	Runner *runner.Runner
	// Env is the environment the form tests, signs in and keeps the secrets typed for (nil: none): with one
	// active, a resource's secrets and sign-in are that environment's (environment.KeyID).
	Env *environ.Active
}

// Labels of the API key's place.
const (
	keyInHeaderLabel = "Header"
	keyInQueryLabel  = "URL parameter"
)

// Form edits one resource at a time. Set its callbacks before Edit.
type Form struct {
	// OnSaved is called after the resource was saved, with what was saved.
	OnSaved func(r *resource.Resource)
	// OnDeleted is called after the resource, its queries and its secrets were deleted.
	OnDeleted func(id string)
	// OnDirtyChanged is called when the form gets or loses unsaved edits.
	OnDirtyChanged func(dirty bool)
	// OnSignInChanged is called with an OAuth 2.0 resource's sign-in whenever the form learns it.
	OnSignInChanged func(resourceID string, st oauth.Status)
	// OnStale is called instead of showing the error when a save was refused because another program changed
	// or removed the resource's file since it was read; name is the resource's, and overwrite saves the form
	// again (once the workspace knows the other program's version). Nil shows the error.
	OnStale func(name string, overwrite func())

	deps Deps
	win  fyne.Window

	res     *resource.Resource // as loaded or last saved; its ID is "" while it is new
	dirty   bool
	filling bool // setting widgets from code: not an edit
	stored  map[resource.SecretKind]bool
	tasks   task.Group     // the work for the resource shown (keychain, files, the provider); Edit cancels it
	prompt  *signin.Prompt // the last sign-in prompt opened

	title   *widget.Label
	state   *widget.Label
	banner  *problem.Banner
	saveBtn *widget.Button
	delBtn  *widget.Button

	name, baseURL, timeout, maxBody *field
	headers                         *kvtable.KeyValueTable
	params                          *kvtable.KeyValueTable
	cookies                         *kvtable.KeyValueTable
	rowTabs                         *container.AppTabs

	authKind *widget.Select
	authForm *fyne.Container

	bearer, username, password, keyName, keyIn, apiKey *field
	keyInSelect                                        *widget.Select

	oauth *oauthSection
	net   *networkSection
	conn  *connectionTest

	// chooseFile asks for a file with the file dialog, starting where current (a path as the resource keeps it)
	// is, and calls done with the absolute path chosen (filechooser.Show; a test's stands in for the dialog).
	chooseFile func(title, current string, done func(path string))

	fields      []*field // in form order, for the first problem
	authHeading fyne.CanvasObject
	netHeading  fyne.CanvasObject
	scroll      *container.Scroll
	content     fyne.CanvasObject
}

// New returns the form; win shows its dialogs.
func New(d Deps, win fyne.Window) *Form {
	f := &Form{deps: d, win: win, stored: map[resource.SecretKind]bool{}}
	f.chooseFile = func(title, current string, done func(string)) {
		filechooser.Show(f.win, title, f.workspaceDir(), current, done)
	}
	f.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis}
	f.state = &widget.Label{Importance: widget.LowImportance}
	f.banner = problem.NewBanner()
	f.saveBtn = &widget.Button{Text: "Save", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.onSave}
	f.delBtn = &widget.Button{Text: "Delete…", Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: f.onDelete}

	f.name = newField("name", "Name", f.newEntry("A name you recognise, e.g. CRM"), nil)
	f.name.check = func() error { return resource.ValidateName(f.name.entry.Text) }
	f.baseURL = newField("base_url", "Base URL", f.newEntry("https://api.example.com/v1"), nil)
	f.baseURL.check = func() error { return resource.ValidateBaseURL(f.baseURL.entry.Text) }
	f.baseURL.setHint("Every query's path is added to it. A part in double braces, like {{region}}, is filled in when a query runs.")
	f.timeout = newField("timeout", "Timeout", f.newEntry("30s"), nil)
	f.timeout.check = func() error {
		d, err := resource.ParseTimeout(f.timeout.entry.Text)
		if err != nil {
			return err
		}
		return resource.ValidateTimeout(d)
	}
	f.timeout.setHint("How long to wait for an answer, e.g. 30s or 2m. Empty means 30s.")
	f.maxBody = newField("max_body", "Answer size limit", f.newEntry(resource.FormatMaxBody(resource.DefaultMaxBody)), nil)
	f.maxBody.check = func() error {
		n, err := resource.ParseMaxBody(f.maxBody.entry.Text)
		if err != nil {
			return err
		}
		return resource.ValidateMaxBody(n)
	}
	f.maxBody.setHint("Larger answers are stopped, e.g. 500MB or 5GB. Empty means " + resource.FormatMaxBody(resource.DefaultMaxBody) + ".")

	f.headers = f.newTable("Header name", "Value", func(p kv.Pair) (error, error) {
		return resource.ValidateHeaderName(p.Key), resource.ValidateHeaderValue(p.Value)
	})
	f.params = f.newTable("Parameter name", "Value", func(p kv.Pair) (error, error) {
		return resource.ValidateParamName(p.Key), nil
	})
	f.cookies = f.newTable("Cookie name", "Value", func(p kv.Pair) (error, error) {
		return resource.ValidateCookieName(p.Key), resource.ValidateCookieValue(p.Value)
	})
	f.rowTabs = container.NewAppTabs(
		container.NewTabItem("Headers", f.headers),
		container.NewTabItem("URL params", f.params),
		container.NewTabItem("Cookies", f.cookies),
	)

	var kinds []string
	for _, k := range resource.AuthKinds {
		kinds = append(kinds, k.Label())
	}
	f.authKind = &widget.Select{Options: kinds, OnChanged: f.onAuthKind}

	f.bearer = newField("auth.bearer", "Token", f.newSecretEntry(), nil)
	f.username = newField("auth.username", "Username", f.newEntry(""), nil)
	f.username.check = func() error { return f.problemOf("auth.username") }
	f.password = newField("auth.password", "Password", f.newSecretEntry(), nil)
	f.keyName = newField("auth.key_name", "Key name", f.newEntry("for example X-API-Key"), nil) // an example, not a value: it looked filled in
	f.keyName.check = func() error { return f.problemOf("auth.key_name") }
	f.keyInSelect = &widget.Select{Options: []string{keyInHeaderLabel, keyInQueryLabel}, OnChanged: func(string) {
		f.edited()
		if f.keyName.shown {
			f.keyName.validate()
		}
	}}
	f.keyIn = newOtherField("auth.key_in", "Send it as", f.keyInSelect)
	f.apiKey = newField("auth.api_key", "Key value", f.newSecretEntry(), nil)

	f.oauth = newOAuthSection(f)
	f.net = newNetworkSection(f)
	f.conn = newConnectionTest(f)

	f.fields = []*field{f.name, f.baseURL, f.timeout, f.maxBody, f.bearer, f.username, f.password, f.keyName, f.keyIn, f.apiKey}
	f.fields = append(f.fields, f.oauth.fields...)
	f.fields = append(f.fields, f.net.fields...)

	authRows := []fyne.CanvasObject{widget.NewLabelWithStyle("Authentication", fyne.TextAlignTrailing, fyne.TextStyle{}), f.authKind}
	for _, x := range append(append([]*field{f.bearer, f.username, f.password, f.keyName, f.keyIn, f.apiKey}, f.oauth.fields...), f.conn.row) {
		authRows = append(authRows, x.label, x.cell)
	}
	f.authForm = container.New(layout.NewFormLayout(), authRows...)

	connection := container.New(layout.NewFormLayout(),
		f.name.label, f.name.cell, f.baseURL.label, f.baseURL.cell, f.timeout.label, f.timeout.cell,
		f.maxBody.label, f.maxBody.cell)
	header := container.NewBorder(nil, nil, nil, container.NewHBox(f.state, f.delBtn, f.saveBtn), f.title)
	f.authHeading = heading("Authentication")
	f.netHeading = heading("Network")
	body := container.NewVBox(
		f.banner, f.net.warning,
		heading("Connection"), connection,
		heading("Sent with every request"), f.rowTabs,
		f.authHeading, f.authForm,
		f.netHeading, f.net.accordion,
	)
	f.scroll = container.NewVScroll(nil)
	f.scroll.Content = wheel.NewBox(container.NewPadded(body), f.scroll) // three lines a notch, not one
	f.scroll.Refresh()
	f.content = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, f.scroll)
	f.Edit(nil)
	return f
}

func heading(s string) fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}})
}

// Content is the form's canvas object.
func (f *Form) Content() fyne.CanvasObject { return f.content }

// Dirty reports unsaved edits.
func (f *Form) Dirty() bool { return f.dirty }

// SetBaseURL types a base URL, as the person would.
func (f *Form) SetBaseURL(u string) { f.baseURL.entry.SetText(u) }

// Problem is the banner at the top of the form, which says why a resource was not saved or what another
// program changed.
func (f *Form) Problem() *problem.Banner { return f.banner }

// Resource is the resource being edited as last loaded or saved (ID "" while new).
func (f *Form) Resource() *resource.Resource { return f.res }

// ShowAuthentication scrolls the form to its Authentication section.
func (f *Form) ShowAuthentication() {
	f.scroll.Offset = fyne.NewPos(0, f.authHeading.Position().Y)
	f.scroll.Refresh()
}

// ShowNetwork unfolds the form's Network section and scrolls to it.
func (f *Form) ShowNetwork() {
	f.net.open()
	f.scroll.Content.Refresh()
	f.scroll.ScrollToOffset(fyne.NewPos(0, f.netHeading.Position().Y))
}

// ShowSignIn scrolls the form to the OAuth 2.0 sign-in row and opens what the token says.
func (f *Form) ShowSignIn() {
	f.oauth.signIn.details.OpenAll()
	f.scroll.Refresh()
	row := f.oauth.signInRow.cell
	y := f.authForm.Position().Y + row.Position().Y + row.Size().Height - f.scroll.Size().Height + 40
	f.scroll.Offset = fyne.NewPos(0, max(0, y))
	f.scroll.Refresh()
}

// Tasks is the form's background work (keychain, files, the provider, its sign-in prompts).
func (f *Form) Tasks() *task.Group { return &f.tasks }

// Edit shows r in the form; nil starts a new resource. Unsaved edits are dropped (ask first), and so is
// what was on its way for the resource shown before (a save or a deletion is finished, but not shown).
func (f *Form) Edit(r *resource.Resource) {
	f.tasks.Cancel()
	f.saveBtn.Enable()
	f.delBtn.Enable()
	f.oauth.discoverBtn.Enable()
	if r == nil {
		r = &resource.Resource{Auth: resource.Auth{Kind: resource.AuthNone, KeyIn: resource.KeyInHeader}}
	}
	if f.res == nil || r.ID == "" || r.ID != f.res.ID {
		f.scroll.Offset = fyne.NewPos(0, 0) // another resource starts at its name, not where the last one was left
		f.scroll.Refresh()
	}
	f.res = r
	f.filling = true
	defer func() { f.filling = false }()
	f.banner.Clear()
	for _, x := range f.fields {
		x.setProblem("")
	}
	f.name.entry.SetText(r.Name)
	f.baseURL.entry.SetText(r.BaseURL)
	timeout := "" // the default
	if r.Timeout != 0 {
		timeout = resource.FormatTimeout(r.Timeout)
	}
	f.timeout.entry.SetText(timeout)
	maxBody := "" // the default
	if r.MaxBody != 0 {
		maxBody = resource.FormatMaxBody(r.MaxBody)
	}
	f.maxBody.entry.SetText(maxBody)
	f.headers.SetRows(r.Headers)
	f.params.SetRows(r.Params)
	f.cookies.SetRows(r.Cookies)
	f.rowTabs.SelectIndex(0)
	kind := r.Auth.Kind
	if kind == "" {
		kind = resource.AuthNone
	}
	f.username.entry.SetText(r.Auth.Username)
	f.keyName.entry.SetText(r.Auth.KeyName)
	if r.Auth.KeyIn == resource.KeyInQuery {
		f.keyInSelect.SetSelected(keyInQueryLabel)
	} else {
		f.keyInSelect.SetSelected(keyInHeaderLabel)
	}
	f.oauth.fill(&r.Auth.OAuth2)
	f.net.fill(&r.Network)
	for _, x := range f.secretFields() {
		x.entry.SetText("")
	}
	f.stored = map[resource.SecretKind]bool{}
	f.refreshSecretHints("")
	f.authKind.SetSelected(kind.Label())
	f.refreshAuth()
	if r.ID == "" {
		f.title.SetText("New resource")
		f.delBtn.Hide()
	} else {
		f.title.SetText(r.Name)
		f.delBtn.Show()
	}
	f.setDirty(false)
	f.state.SetText("")
	f.oauth.signIn.reset(r)
	f.conn.reset()
	if r.ID != "" {
		f.loadStored(r.ID)
		f.loadStatus(r)
	}
}

// Reload shows r, the resource shown as the workspace now holds it (another program changed it), as Edit
// does, but where the person was: the same tab of rows, scrolled as far.
func (f *Form) Reload(r *resource.Resource) {
	offset, tab := f.scroll.Offset, f.rowTabs.SelectedIndex()
	f.Edit(r)
	f.rowTabs.SelectIndex(tab)
	f.scroll.Offset = offset
	f.scroll.Refresh()
}

// loadStatus reads an OAuth 2.0 resource's sign-in from the keychain, in the background.
func (f *Form) loadStatus(r *resource.Resource) {
	if f.deps.OAuth == nil || r.Auth.Kind != resource.AuthOAuth2 || r.ID == "" {
		return
	}
	bind := f.bind(r)
	task.Start(&f.tasks, func(ctx context.Context) (oauth.Status, error) {
		b, err := bind(ctx)
		if err != nil {
			return oauth.Status{}, err
		}
		return f.deps.OAuth.Status(ctx, b)
	}, func(st oauth.Status, err error) {
		if err != nil {
			f.oauth.signIn.showError(err)
			return
		}
		f.oauth.signIn.show(st)
		if f.OnSignInChanged != nil {
			f.OnSignInChanged(r.ID, st)
		}
	})
}

// signIn opens the sign-in prompt for r; onDone runs after a successful sign-in.
func (f *Form) signIn(r *resource.Resource, reason string, onDone func(oauth.Status)) {
	if f.deps.OAuth == nil {
		return
	}
	env := f.deps.Env.Env()
	task.Start(&f.tasks, f.bind(r), func(bound *resource.Resource, err error) {
		if err != nil {
			f.oauth.signIn.showError(err)
			return
		}
		f.prompt = signin.Show(signin.Deps{OAuth: f.deps.OAuth, OpenURL: f.deps.OpenURL, Env: env}, f.win, bound, reason, func(st oauth.Status) {
			onDone(st)
			if f.OnSignInChanged != nil {
				f.OnSignInChanged(r.ID, st)
			}
		})
		f.tasks.Include(f.prompt.Tasks())
	})
}

// bind returns how to get r as it runs in the environment active now (environ.Active.Bind), to be called
// off the UI goroutine; a new resource keeps its empty ID (it has nothing in the keychain yet).
func (f *Form) bind(r *resource.Resource) func(ctx context.Context) (*resource.Resource, error) {
	bind := f.deps.Env.Bind(r)
	return func(ctx context.Context) (*resource.Resource, error) {
		b, err := bind(ctx)
		if err == nil && r.ID == "" {
			b.ID = ""
		}
		return b, err
	}
}

// EnvironmentChanged shows the resource's secrets and sign-in in the environment active now; what was typed
// stays, to be saved for it.
func (f *Form) EnvironmentChanged() {
	r := f.res
	if r == nil || r.ID == "" {
		return
	}
	f.stored = map[resource.SecretKind]bool{}
	f.refreshSecretHints("")
	f.oauth.signIn.reset(r)
	f.conn.reset()
	f.loadStored(r.ID)
	f.loadStatus(r)
}

// SignIn and SignOut are the buttons of the OAuth 2.0 sign-in row.
func (f *Form) SignIn() { f.oauth.signIn.onSignIn() }

// SignOut signs out of the resource shown.
func (f *Form) SignOut() { f.oauth.signIn.onSignOut() }

// TestConnection taps Test connection: the login test URL (OAuth 2.0) or the base URL, with what the form
// shows now.
func (f *Form) TestConnection() { f.conn.onTest() }

// SignInState is the sign-in row's status line and what it says the token holds.
func (f *Form) SignInState() (status, claims string) {
	return f.oauth.signIn.status.Text, f.oauth.signIn.claims.Text
}

// TestResult is what the last Test connection said, "" before one.
func (f *Form) TestResult() string {
	if !f.conn.result.Visible() {
		return ""
	}
	return f.conn.result.Text
}

// Prompt is the last sign-in prompt the form opened, or nil. For tests.
func (f *Form) Prompt() *signin.Prompt { return f.prompt }

// workspaceDir is the folder of the workspace, which the paths of files inside it are relative to.
func (f *Form) workspaceDir() string {
	if f.deps.Workspace == nil {
		return ""
	}
	return f.deps.Workspace.Dir()
}

func (f *Form) httpClient() *http.Client {
	if f.deps.OAuth != nil {
		return f.deps.OAuth.HTTPClient
	}
	return nil
}

// loadStored asks the keychain which secrets the resource has, to say so in the secret fields.
func (f *Form) loadStored(id string) {
	if f.deps.Secrets == nil {
		return
	}
	key := f.deps.Env.KeyID(id) // the environment's secrets
	task.Start(&f.tasks, func(ctx context.Context) ([]resource.SecretKind, error) { return f.deps.Secrets.Kinds(ctx, key) },
		func(kinds []resource.SecretKind, err error) {
			if err != nil {
				f.banner.SetExplanation(problem.Explanation{
					Headline: "The keychain could not be read",
					Message:  "apidesk cannot tell which secrets this resource has. " + problem.Explain(err).Message,
					Detail:   problem.Explain(err).Detail,
				}, true)
				f.refreshSecretHints("Unknown: the keychain could not be read.")
				return
			}
			for _, k := range kinds {
				f.stored[k] = true
			}
			f.refreshSecretHints("")
		})
}

// secretFields are the fields whose text goes to the keychain (the proxy's username goes with its password).
func (f *Form) secretFields() []*field {
	return []*field{f.bearer, f.password, f.apiKey, f.oauth.clientSecret, f.net.proxyUser, f.net.proxyPass, f.net.passphrase}
}

// refreshSecretHints says under each secret field whether the keychain holds it, for the environment active.
func (f *Form) refreshSecretHints(override string) {
	env := "" // " for Staging": the secrets are that environment's
	if e := f.deps.Env.Env(); e != nil {
		env = " for " + e.Name
	}
	for _, s := range []struct {
		f     *field
		kind  resource.SecretKind
		typed bool
	}{
		{f.bearer, resource.SecretBearerToken, f.bearer.entry.Text != ""},
		{f.password, resource.SecretPassword, f.password.entry.Text != ""},
		{f.apiKey, resource.SecretAPIKey, f.apiKey.entry.Text != ""},
		{f.oauth.clientSecret, resource.SecretClientSecret, f.oauth.clientSecret.entry.Text != ""},
		{f.net.proxyPass, resource.SecretProxyAuth, f.net.proxyUser.entry.Text != "" || f.net.proxyPass.entry.Text != ""},
		{f.net.passphrase, resource.SecretKeyPassphrase, f.net.passphrase.entry.Text != ""},
	} {
		switch {
		case override != "":
			s.f.setHint(override)
			s.f.entry.SetPlaceHolder("")
		case s.typed:
			s.f.setHint(fmt.Sprintf("Saving keeps this %s in your keychain%s, never in the workspace files.", s.kind.Words(), env))
		case f.stored[s.kind]:
			s.f.setHint("Kept in your keychain" + env + ". Type a new one to replace it.")
			s.f.entry.SetPlaceHolder("•••••••• (stored)")
		default:
			s.f.setHint(fmt.Sprintf("Not set yet%s. The %s %s kept in your keychain, never in the workspace files.", env, s.kind.Words(), isAre(s.kind)))
			s.f.entry.SetPlaceHolder("")
		}
	}
	// The proxy's username is kept with its password: typing a new one replaces both.
	user := f.net.proxyUser
	switch {
	case override == "" && f.stored[resource.SecretProxyAuth] && user.entry.Text == "" && f.net.proxyPass.entry.Text == "":
		user.entry.SetPlaceHolder("Kept in your keychain with the password")
		f.net.proxyPass.setHint("Kept in your keychain with the username. Type both to replace them.")
	default:
		user.entry.SetPlaceHolder("Only if the proxy asks for one")
	}
}

func (f *Form) newEntry(placeholder string) *entry {
	e := newEntry(placeholder)
	e.OnChanged = func(string) { f.edited() }
	return e
}

func (f *Form) newSecretEntry() *entry {
	e := newPasswordEntry("")
	e.OnChanged = func(string) { f.edited() }
	return e
}

func (f *Form) newTable(keyHint, valueHint string, check func(kv.Pair) (error, error)) *kvtable.KeyValueTable {
	t := kvtable.New(nil)
	t.KeyPlaceholder, t.ValuePlaceholder = keyHint, valueHint
	t.Validator = func(p kv.Pair) (error, error) {
		if !p.Enabled {
			return nil, nil // not sent: kept as the person left it
		}
		return check(p)
	}
	t.OnChanged = func(kv.List) { f.edited() }
	return t
}

func (f *Form) edited() {
	if !f.filling {
		f.setDirty(true)
		f.refreshSecretHints("") // a secret typed is not "not set yet"
	}
}

func (f *Form) setDirty(d bool) {
	changed := d != f.dirty
	f.dirty = d
	if d {
		f.state.SetText("Unsaved changes")
	}
	if changed && f.OnDirtyChanged != nil {
		f.OnDirtyChanged(d)
	}
}

func (f *Form) selectedAuth() resource.AuthKind {
	for _, k := range resource.AuthKinds {
		if k.Label() == f.authKind.Selected {
			return k
		}
	}
	return resource.AuthNone
}

func (f *Form) onAuthKind(string) {
	f.refreshAuth()
	f.edited()
}

// refreshAuth shows only the fields of the chosen kind of authentication.
func (f *Form) refreshAuth() {
	k := f.selectedAuth()
	f.bearer.setVisible(k == resource.AuthBearer)
	f.username.setVisible(k == resource.AuthBasic || k == resource.AuthDigest)
	f.password.setVisible(k == resource.AuthBasic || k == resource.AuthDigest)
	f.keyName.setVisible(k == resource.AuthAPIKey)
	f.keyIn.setVisible(k == resource.AuthAPIKey)
	f.apiKey.setVisible(k == resource.AuthAPIKey)
	f.oauth.setVisible(k == resource.AuthOAuth2)
	f.authForm.Refresh()
}

// collect is the resource as the form holds it (a timeout or size limit that does not parse counts as none:
// its field says what is wrong with it).
func (f *Form) collect() *resource.Resource {
	r := &resource.Resource{
		ID:      f.res.ID,
		Name:    strings.TrimSpace(f.name.entry.Text),
		BaseURL: strings.TrimSpace(f.baseURL.entry.Text),
		Headers: f.headers.Rows(),
		Params:  f.params.Rows(),
		Cookies: f.cookies.Rows(),
		Auth:    resource.Auth{Kind: f.selectedAuth()},
		Network: f.net.collect(),
	}
	r.Timeout, _ = resource.ParseTimeout(f.timeout.entry.Text)
	r.MaxBody, _ = resource.ParseMaxBody(f.maxBody.entry.Text)
	switch r.Auth.Kind {
	case resource.AuthBasic, resource.AuthDigest:
		r.Auth.Username = f.username.entry.Text
	case resource.AuthAPIKey:
		r.Auth.KeyName = strings.TrimSpace(f.keyName.entry.Text)
		r.Auth.KeyIn = resource.KeyInHeader
		if f.keyInSelect.Selected == keyInQueryLabel {
			r.Auth.KeyIn = resource.KeyInQuery
		}
	case resource.AuthOAuth2:
		r.Auth.OAuth2 = f.oauth.collect()
	}
	return r
}

// typedSecrets are the secrets typed into the form that r, the resource as the form holds it, keeps: those of
// its authentication and those of its network settings.
func (f *Form) typedSecrets(r *resource.Resource) map[resource.SecretKind]string {
	out := f.typedAuthSecrets(r.Auth.Kind)
	f.net.typedSecrets(r, out)
	return out
}

// typedAuthSecrets are the secrets typed into the form for the authentication k.
func (f *Form) typedAuthSecrets(k resource.AuthKind) map[resource.SecretKind]string {
	out := map[resource.SecretKind]string{}
	put := func(kind resource.SecretKind, e *entry) {
		if e.Text != "" {
			out[kind] = e.Text
		}
	}
	switch k {
	case resource.AuthBearer:
		put(resource.SecretBearerToken, f.bearer.entry)
	case resource.AuthBasic, resource.AuthDigest:
		put(resource.SecretPassword, f.password.entry)
	case resource.AuthAPIKey:
		put(resource.SecretAPIKey, f.apiKey.entry)
	case resource.AuthOAuth2:
		put(resource.SecretClientSecret, f.oauth.clientSecret.entry)
	}
	return out
}

// Validate checks every field, shows each problem under its field, focuses the first one and returns the
// problems (nil when there are none).
func (f *Form) Validate() resource.Errors {
	r := f.collect()
	es := r.Validate()
	if _, err := resource.ParseTimeout(f.timeout.entry.Text); err != nil {
		es = append(es, resource.FieldError{Field: "timeout", Msg: err.Error()})
	}
	if _, err := resource.ParseMaxBody(f.maxBody.entry.Text); err != nil {
		es = append(es, resource.FieldError{Field: "max_body", Msg: err.Error()})
	}
	es = append(es, f.net.problems()...)
	f.showProblems(es)
	return es
}

// showProblems puts each problem under its field and focuses the first one.
func (f *Form) showProblems(es resource.Errors) {
	var first fyne.Focusable
	var firstTable *kvtable.KeyValueTable
	for _, x := range f.fields {
		x.setProblem(problemFor(es, x.key))
	}
	if slices.ContainsFunc(es, func(e resource.FieldError) bool { return strings.HasPrefix(e.Field, "network.") }) {
		f.net.open()
	}
	tables := []struct {
		prefix string
		t      *kvtable.KeyValueTable
		tab    int
	}{{"headers[", f.headers, 0}, {"params[", f.params, 1}, {"cookies[", f.cookies, 2}}
	for _, e := range es {
		if first != nil || firstTable != nil {
			break
		}
		for _, x := range f.fields {
			if matches(e.Field, x.key) && x.visible() {
				first = x.focusable()
				break
			}
		}
		for _, tb := range tables {
			if strings.HasPrefix(e.Field, tb.prefix) {
				f.rowTabs.SelectIndex(tb.tab)
				firstTable = tb.t
			}
		}
		for _, t := range f.oauth.tables {
			if strings.HasPrefix(e.Field, t.prefix) {
				firstTable = t.table
			}
		}
	}
	// Each table shows its own problems and focuses its first; the form's first problem is focused last.
	for _, tb := range tables {
		tb.t.Validate()
	}
	for _, t := range f.oauth.tables {
		t.table.Validate()
	}
	switch {
	case firstTable != nil:
		firstTable.Validate()
	case first != nil:
		if c := fyne.CurrentApp().Driver().CanvasForObject(f.content); c != nil {
			c.Focus(first)
		}
	}
	if len(es) > 0 {
		headline := "Not saved: a field needs fixing"
		if len(es) > 1 {
			headline = fmt.Sprintf("Not saved: %d fields need fixing", len(es))
		}
		f.banner.SetExplanation(problem.Explanation{Headline: headline}, false)
		links := make([]problem.Link, len(es))
		for i, e := range es {
			links[i] = problem.Link{Text: f.problemText(e), OnTapped: func() { f.goToProblem(e.Field) }}
		}
		f.banner.SetLinks(links)
	}
}

// rowTables are the form's tables of rows, by the prefix of their FieldError.Field and the words that name
// them; tab is the index of the Headers / URL params / Cookies tab, -1 for the OAuth 2.0 tables.
func (f *Form) rowTables() []rowTable {
	return []rowTable{
		{"headers[", "Headers", f.headers, 0},
		{"params[", "URL params", f.params, 1},
		{"cookies[", "Cookies", f.cookies, 2},
		{"auth.oauth2.auth_params[", "Extra parameters of the authorization request", f.oauth.authParams, -1},
		{"auth.oauth2.token_params[", "Extra parameters of the token request", f.oauth.tokenParams, -1},
	}
}

type rowTable struct {
	prefix, words string
	table         *kvtable.KeyValueTable
	tab           int
}

// problemText is a problem as the banner lists it: a row's problem says which table and row it is in.
func (f *Form) problemText(e resource.FieldError) string {
	for _, t := range f.rowTables() {
		if rest, ok := strings.CutPrefix(e.Field, t.prefix); ok {
			if n, _, ok := strings.Cut(rest, "]"); ok {
				if i, err := strconv.Atoi(n); err == nil {
					return fmt.Sprintf("%s, row %d: %s", t.words, i+1, e.Msg)
				}
			}
		}
	}
	return e.Msg
}

// goToProblem scrolls to the field (or table) a problem is about and focuses it.
func (f *Form) goToProblem(key string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(f.content)
	for _, t := range f.rowTables() {
		if !strings.HasPrefix(key, t.prefix) {
			continue
		}
		if t.tab >= 0 {
			f.rowTabs.SelectIndex(t.tab)
			f.scrollTo(f.rowTabs)
		} else {
			f.scrollTo(f.oauth.params.cell)
		}
		t.table.Validate() // focuses its first row with a problem
		return
	}
	if strings.HasPrefix(key, "network.") {
		f.net.open()
	}
	for _, x := range f.fields {
		if matches(key, x.key) && x.visible() {
			f.scrollTo(x.cell)
			if fo := x.focusable(); fo != nil && c != nil {
				c.Focus(fo)
			}
			return
		}
	}
}

// scrollTo scrolls the form as little as it takes to show o whole (its top, when it is taller than the form).
func (f *Form) scrollTo(o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	if d.CanvasForObject(o) == nil {
		return
	}
	f.scroll.Content.Refresh() // lays the form out again: the banner may have grown since
	y := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(f.scroll.Content).Y
	pad := theme.Padding() * 2
	off, view := f.scroll.Offset.Y, f.scroll.Size().Height
	switch {
	case y < off || o.Size().Height+2*pad > view:
		off = y - pad
	case y+o.Size().Height > off+view:
		off = y + o.Size().Height - view + pad
	default:
		return
	}
	f.scroll.ScrollToOffset(fyne.NewPos(0, max(0, off)))
}

// keepInPlace runs change, which may show or hide something above o, and scrolls the form by as much as o moved,
// so that o stays where it was on screen.
func (f *Form) keepInPlace(o fyne.CanvasObject, change func()) {
	d := fyne.CurrentApp().Driver()
	if d.CanvasForObject(o) == nil {
		change()
		return
	}
	before := d.AbsolutePositionForObject(o).Y
	change()
	f.scroll.Content.Refresh() // lays the form out again
	if moved := d.AbsolutePositionForObject(o).Y - before; moved != 0 {
		f.scroll.ScrollToOffset(fyne.NewPos(0, max(0, f.scroll.Offset.Y+moved)))
	}
}

// Save checks the form and saves the resource with the secrets typed in, in the background, as
// workspace.SaveResource does. then (which may be nil) is called on the UI thread after a successful save.
func (f *Form) Save(then func()) {
	if es := f.Validate(); len(es) > 0 {
		return
	}
	r := f.collect()
	typed := f.typedSecrets(r)
	f.banner.Clear()
	f.saveBtn.Disable()
	f.state.SetText("Saving…")
	save := f.saver(r, typed)
	task.Run(&f.tasks, func(ctx context.Context) error {
		return save(context.WithoutCancel(ctx)) // once started, a save is finished
	}, func(err error) {
		f.saveBtn.Enable()
		if err != nil {
			f.state.SetText("Not saved")
			var es resource.Errors
			switch {
			case errors.As(err, &es):
				f.showProblems(es)
			case errors.Is(err, workspace.ErrStale) && f.OnStale != nil:
				f.OnStale(f.res.Name, func() { f.Save(then) })
			default:
				f.banner.SetError(err)
			}
			return
		}
		f.saved(r, typed)
		if then != nil {
			then()
		}
	})
}

// saved shows the form as saved: the secret fields are emptied (the keychain has them now).
func (f *Form) saved(r *resource.Resource, typed map[resource.SecretKind]string) {
	f.res = r
	f.filling = true
	for k := range typed {
		f.stored[k] = true
		switch k {
		case resource.SecretBearerToken:
			f.bearer.entry.SetText("")
		case resource.SecretPassword:
			f.password.entry.SetText("")
		case resource.SecretAPIKey:
			f.apiKey.entry.SetText("")
		case resource.SecretClientSecret:
			f.oauth.clientSecret.entry.SetText("")
		case resource.SecretProxyAuth:
			f.net.proxyUser.entry.SetText("")
			f.net.proxyPass.entry.SetText("")
		case resource.SecretKeyPassphrase:
			f.net.passphrase.entry.SetText("")
		}
	}
	for k := range f.stored {
		if !r.Keeps(k) {
			delete(f.stored, k) // the save removed it
		}
	}
	f.filling = false
	f.refreshSecretHints("")
	f.title.SetText(r.Name)
	f.delBtn.Show()
	f.setDirty(false)
	f.state.SetText("Saved")
	f.oauth.signIn.reset(r)
	f.loadStatus(r)
	if f.OnSaved != nil {
		f.OnSaved(r)
	}
}

func (f *Form) onSave() { f.Save(nil) }

func (f *Form) onDelete() {
	r := f.res
	if r.ID == "" {
		return
	}
	n := len(f.deps.Workspace.QueriesOf(r.ID))
	msg := fmt.Sprintf("Delete %q? Its secrets are removed from your keychain.", r.Name)
	if n > 0 {
		msg = fmt.Sprintf("Delete %q and its %d saved %s? Its secrets are removed from your keychain.", r.Name, n, plural(n, "query", "queries"))
	}
	d := dialog.NewConfirm("Delete resource", msg, func(ok bool) {
		if ok {
			f.Delete()
		}
	}, f.win)
	d.SetConfirmText("Delete")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// Delete deletes the resource being edited, its queries and its secrets, in the background, as
// workspace.DeleteResource does.
func (f *Form) Delete() {
	id := f.res.ID
	f.delBtn.Disable()
	task.Run(&f.tasks, func(ctx context.Context) error {
		return f.deps.Workspace.DeleteResource(context.WithoutCancel(ctx), id, f.deps.Secrets) // once started, a deletion is finished
	}, func(err error) {
		f.delBtn.Enable()
		if err != nil {
			f.banner.SetError(err)
			return
		}
		if f.OnDeleted != nil {
			f.OnDeleted(id)
		}
	})
}

// problemFor is the first message for a field, or for any item of a list field ("auth.oauth2.scopes[2]").
func problemFor(es resource.Errors, key string) string {
	for _, e := range es {
		if matches(e.Field, key) {
			return e.Msg
		}
	}
	return ""
}

func matches(field, key string) bool {
	return field == key || strings.HasPrefix(field, key+"[")
}

// isAre is the verb for the secret k names ("the proxy username and password are").
func isAre(k resource.SecretKind) string {
	if k == resource.SecretProxyAuth {
		return "are"
	}
	return "is"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
