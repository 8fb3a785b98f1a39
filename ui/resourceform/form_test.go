package resourceform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/keychain"
	"apidesk/engine/kv"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
	"apidesk/engine/workspace"
	"apidesk/ui/uitest"
	"apidesk/ui/wheel"
)

type fixture struct {
	app     *uitest.App
	form    *Form
	win     fyne.Window
	ws      *workspace.Workspace
	secrets *secret.Store
	saved   []*resource.Resource
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	a := uitest.NewApp(t)
	fx := &fixture{app: a, ws: uitest.Workspace(t), secrets: uitest.Keychain(t)}
	fx.win = a.NewWindow("form")
	t.Cleanup(fx.win.Close)
	fx.form = New(Deps{Workspace: fx.ws, Secrets: fx.secrets}, fx.win)
	fx.form.OnSaved = func(r *resource.Resource) { fx.saved = append(fx.saved, r) }
	fx.win.SetContent(fx.form.Content())
	fx.win.Resize(fyne.NewSize(900, 1400))
	return fx
}

// typeInto focuses e, types s into it and leaves it, as a person would.
func (fx *fixture) typeInto(e *entry, s string) {
	c := fx.win.Canvas()
	c.Focus(e)
	e.SetText("")
	test.Type(e, s)
	c.Unfocus()
}

func TestCreateResourceThroughTheForm(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	const token = "canary-bearer-token-7Yx2"
	fx.typeInto(f.name.entry, "CRM")
	fx.typeInto(f.baseURL.entry, "https://crm.example.com/api")
	fx.typeInto(f.timeout.entry, "45s")
	f.headers.SetRows(kv.List{kv.On("Accept", "application/json")})
	f.authKind.SetSelected(resource.AuthBearer.Label())
	fx.typeInto(f.bearer.entry, token)
	if !f.Dirty() {
		t.Fatal("the form does not say it has unsaved edits")
	}
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())

	if f.banner.Visible() {
		t.Fatalf("save failed: %s %s", f.banner.Headline(), f.banner.Message())
	}
	r, err := fx.ws.ResourceByName("CRM")
	if err != nil {
		t.Fatalf("the resource is not in the workspace: %v", err)
	}
	if r.BaseURL != "https://crm.example.com/api" || r.Auth.Kind != resource.AuthBearer || r.Timeout.Seconds() != 45 {
		t.Errorf("saved %+v", r)
	}
	file, ok := fx.ws.File(r.ID)
	if !ok {
		t.Fatal("no file for the resource")
	}
	files := uitest.Files(t, fx.ws.Dir())
	var text string
	for name, s := range files {
		if strings.HasPrefix(name, "resources/") {
			text = s
		}
	}
	if !strings.Contains(text, "name: CRM") || !strings.Contains(text, "crm.example.com") {
		t.Errorf("%s does not hold the resource:\n%s", file, text)
	}
	uitest.NoFileContains(t, fx.ws.Dir(), token)
	got, err := fx.secrets.Get(context.Background(), r.ID, resource.SecretBearerToken)
	if err != nil || got != token {
		t.Errorf("keychain holds %q, %v; want the token typed", got, err)
	}
	if f.Dirty() {
		t.Error("still dirty after saving")
	}
	if f.bearer.entry.Text != "" || !strings.Contains(f.bearer.hint.Text, "keychain") {
		t.Errorf("token field after save: text %q, hint %q", f.bearer.entry.Text, f.bearer.hint.Text)
	}
	if len(fx.saved) != 1 || fx.saved[0].ID != r.ID {
		t.Errorf("OnSaved got %v", fx.saved)
	}
}

func TestBadBaseURLShowsTheEngineMessage(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	fx.typeInto(f.baseURL.entry, "ftp://files.example.com")
	want := resource.ValidateBaseURL("ftp://files.example.com").Error()
	if !f.baseURL.problem.Visible() || f.baseURL.problem.Text != want {
		t.Fatalf("under the base URL: %q (shown %v); want %q", f.baseURL.problem.Text, f.baseURL.problem.Visible(), want)
	}
	// Fixing it clears the message as the person types.
	f.baseURL.entry.SetText("https://files.example.com")
	if f.baseURL.problem.Visible() {
		t.Errorf("message still shown after the fix: %q", f.baseURL.problem.Text)
	}
}

func TestSaveIsRefusedWithTheFirstProblemFocused(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	fx.typeInto(f.baseURL.entry, "not a url")
	f.authKind.SetSelected(resource.AuthBasic.Label())
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if got := fx.win.Canvas().Focused(); got != f.name.entry {
		t.Errorf("focused %T, want the name entry (the first problem)", got)
	}
	for _, x := range []*field{f.name, f.baseURL, f.username} {
		if !x.problem.Visible() {
			t.Errorf("no message under %s", x.key)
		}
	}
	if f.username.problem.Text != "Username is required for Basic authentication" {
		t.Errorf("username message %q", f.username.problem.Text)
	}
	if len(fx.ws.Resources()) != 0 || len(uitest.Files(t, fx.ws.Dir())) != 0 {
		t.Error("a refused save wrote something")
	}
	if f.banner.Headline() == "" {
		t.Error("no banner saying why nothing was saved")
	}
	if f.name.entry.Text != "" || f.baseURL.entry.Text != "not a url" {
		t.Error("what was typed was lost")
	}
}

func TestAuthenticationShowsOnlyItsFields(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	for _, tc := range []struct {
		kind    resource.AuthKind
		visible []*field
	}{
		{resource.AuthNone, nil},
		{resource.AuthBearer, []*field{f.bearer}},
		{resource.AuthBasic, []*field{f.username, f.password}},
		{resource.AuthAPIKey, []*field{f.keyName, f.keyIn, f.apiKey}},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			f.authKind.SetSelected(tc.kind.Label())
			for _, x := range []*field{f.bearer, f.username, f.password, f.keyName, f.keyIn, f.apiKey} {
				want := false
				for _, v := range tc.visible {
					want = want || v == x
				}
				if x.visible() != want {
					t.Errorf("%s visible = %v, want %v", x.key, x.visible(), want)
				}
			}
			if f.oauth.clientID.visible() || f.oauth.preset.visible() {
				t.Error("OAuth 2.0 fields shown")
			}
		})
	}
	f.authKind.SetSelected(resource.AuthOAuth2.Label())
	if !f.oauth.preset.visible() || !f.oauth.clientID.visible() || !f.oauth.authURL.visible() || f.oauth.deviceURL.visible() {
		t.Error("OAuth 2.0 fields hidden for OAuth 2.0")
	}
}

func TestNameTakenByAnotherResource(t *testing.T) {
	fx := newFixture(t)
	if err := fx.ws.SaveResource(context.Background(), &resource.Resource{Name: "CRM", BaseURL: "https://a.example.com"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	f := fx.form
	fx.typeInto(f.name.entry, "crm")
	fx.typeInto(f.baseURL.entry, "https://b.example.com")
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if !f.name.problem.Visible() || !strings.Contains(strings.ToLower(f.name.problem.Text), "crm") {
		t.Errorf("under the name: %q", f.name.problem.Text)
	}
	if len(fx.ws.Resources()) != 1 {
		t.Error("a second resource was saved")
	}
}

func TestSwitchingAuthenticationRemovesTheOldSecret(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	r := &resource.Resource{Name: "Billing", BaseURL: "https://billing.example.com",
		Auth: resource.Auth{Kind: resource.AuthBasic, Username: "ops"}}
	if err := fx.ws.SaveResource(ctx, r, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := fx.secrets.Set(ctx, r.ID, resource.SecretPassword, "canary-password-Qq1"); err != nil {
		t.Fatal(err)
	}
	f := fx.form
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	if !strings.Contains(f.password.hint.Text, "Kept in your keychain") {
		t.Errorf("password hint %q; want it to say the keychain has it", f.password.hint.Text)
	}
	f.authKind.SetSelected(resource.AuthAPIKey.Label())
	fx.typeInto(f.keyName.entry, "X-API-Key")
	fx.typeInto(f.apiKey.entry, "canary-key-Zz9")
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if f.banner.Visible() {
		t.Fatalf("save failed: %s", f.banner.Message())
	}
	if _, err := fx.secrets.Get(ctx, r.ID, resource.SecretPassword); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("the old password is still in the keychain: %v", err)
	}
	if v, err := fx.secrets.Get(ctx, r.ID, resource.SecretAPIKey); err != nil || v != "canary-key-Zz9" {
		t.Errorf("API key in the keychain: %q, %v", v, err)
	}
	uitest.NoFileContains(t, fx.ws.Dir(), "canary-key-Zz9", "canary-password-Qq1")
}

func TestHeaderRowProblemShownOnSave(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	fx.typeInto(f.name.entry, "API")
	fx.typeInto(f.baseURL.entry, "https://api.example.com")
	f.headers.SetRows(kv.List{kv.On("Bad Header", "x")})
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if len(fx.ws.Resources()) != 0 {
		t.Fatal("saved a resource with a header name holding a space")
	}
	if got := f.banner.Links(); len(got) != 1 || got[0] != "Headers, row 1: Header name may not contain spaces" {
		t.Errorf("banner lists %q", got)
	}
}

// TestBannerListsEveryProblem: the banner names every field that needs fixing, and each is a link that
// scrolls the form to its field and focuses it.
func TestBannerListsEveryProblem(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	fx.win.Resize(fyne.NewSize(900, 420))
	fx.typeInto(f.baseURL.entry, "not a url")
	fx.typeInto(f.timeout.entry, "soon")
	f.authKind.SetSelected(resource.AuthBasic.Label())
	f.cookies.SetRows(kv.List{kv.On("bad cookie", "x")})
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())

	want := []string{
		"Name is required",
		resource.ValidateBaseURL("not a url").Error(),
		"Username is required for Basic authentication",
		"Timeout must be a number of seconds or a duration like 30s, 1m30s or 2m",
		"Cookies, row 1: " + resource.ValidateCookieName("bad cookie").Error(),
	}
	got := f.banner.Links()
	if f.banner.Headline() != fmt.Sprintf("Not saved: %d fields need fixing", len(want)) {
		t.Errorf("headline %q", f.banner.Headline())
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("the banner does not list %q; it lists %q", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the banner lists %d problems, want %d: %q", len(got), len(want), got)
	}

	// The username is below the visible part of the form: its link scrolls to it and focuses it.
	if inView(f, f.username.cell) {
		t.Fatal("the window is too tall for this test: the username field is in view already")
	}
	f.banner.TapLink(slices.Index(got, "Username is required for Basic authentication"))
	if fx.win.Canvas().Focused() != f.username.entry {
		t.Errorf("focused %T, want the username entry", fx.win.Canvas().Focused())
	}
	if !inView(f, f.username.cell) {
		t.Errorf("the username field is not in view: offset %v, form height %v", f.scroll.Offset, f.scroll.Size().Height)
	}
	// Back up to the base URL.
	f.banner.TapLink(slices.Index(got, want[1]))
	if fx.win.Canvas().Focused() != f.baseURL.entry || !inView(f, f.baseURL.cell) {
		t.Errorf("after the base URL's link: focused %T, in view %v", fx.win.Canvas().Focused(), inView(f, f.baseURL.cell))
	}
	// A row's link shows its tab.
	f.rowTabs.SelectIndex(0)
	f.banner.TapLink(slices.Index(got, want[4]))
	if f.rowTabs.SelectedIndex() != 2 || !inView(f, f.rowTabs) {
		t.Errorf("after the cookie's link: tab %d, in view %v", f.rowTabs.SelectedIndex(), inView(f, f.rowTabs))
	}
}

// inView reports whether o is wholly inside the form's visible area.
func inView(f *Form, o fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(f.scroll.Content).Y
	return y >= f.scroll.Offset.Y && y+o.Size().Height <= f.scroll.Offset.Y+f.scroll.Size().Height
}

// TestTimeoutAsTheFileWritesIt: the field shows a timeout as the workspace file writes it, and takes a bare
// number as seconds, as the file and apidesk-cli do.
func TestTimeoutAsTheFileWritesIt(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	r := &resource.Resource{Name: "Slow", BaseURL: "https://slow.example.com", Timeout: 2 * time.Minute}
	if err := fx.ws.SaveResource(context.Background(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	if got := f.timeout.entry.Text; got != "2m" {
		t.Errorf("the timeout field shows %q, want 2m as the file says", got)
	}
	fx.typeInto(f.timeout.entry, "90")
	if f.timeout.problem.Visible() {
		t.Fatalf("90 refused: %s", f.timeout.problem.Text)
	}
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if f.banner.Visible() {
		t.Fatalf("save failed: %s", f.banner.Message())
	}
	if got, err := fx.ws.ResourceByID(r.ID); err != nil || got.Timeout != 90*time.Second {
		t.Fatalf("saved timeout %v, %v; want 1m30s", got.Timeout, err)
	}
	for name, text := range uitest.Files(t, fx.ws.Dir()) {
		if strings.HasPrefix(name, "resources/") && !strings.Contains(text, "timeout: 1m30s\n") {
			t.Errorf("%s:\n%s", name, text)
		}
	}
	fx.typeInto(f.timeout.entry, "soon")
	if want := "Timeout must be a number of seconds or a duration like 30s, 1m30s or 2m"; f.timeout.problem.Text != want {
		t.Errorf("under the timeout: %q, want %q", f.timeout.problem.Text, want)
	}
}

// TestMaxBodyAsTheFileWritesIt: the answer size limit shows as the workspace file writes it, is saved in the
// file, and a size that cannot be read is explained under the field.
func TestMaxBodyAsTheFileWritesIt(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	r := &resource.Resource{Name: "Exports", BaseURL: "https://exports.example.com", MaxBody: 2_000_000_000}
	if err := fx.ws.SaveResource(context.Background(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	if got := f.maxBody.entry.Text; got != "2GB" {
		t.Errorf("the size limit field shows %q, want 2GB as the file says", got)
	}
	fx.typeInto(f.maxBody.entry, "5 gb")
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if f.banner.Visible() {
		t.Fatalf("save failed: %s", f.banner.Message())
	}
	if got, err := fx.ws.ResourceByID(r.ID); err != nil || got.MaxBody != 5_000_000_000 {
		t.Fatalf("saved limit %v, %v; want 5GB", got.MaxBody, err)
	}
	for name, text := range uitest.Files(t, fx.ws.Dir()) {
		if strings.HasPrefix(name, "resources/") && !strings.Contains(text, "max_body: 5GB\n") {
			t.Errorf("%s:\n%s", name, text)
		}
	}
	for in, want := range map[string]string{
		"lots": "Answer size limit must be a size like 500MB, 2GB or 1.5GB",
		"2":    "Answer size limit is too small: use at least 1kB, or leave it empty for 1GB",
	} {
		fx.typeInto(f.maxBody.entry, in)
		if f.maxBody.problem.Text != want {
			t.Errorf("under the size limit for %q: %q, want %q", in, f.maxBody.problem.Text, want)
		}
	}
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if got, _ := fx.ws.ResourceByID(r.ID); got.MaxBody != 5_000_000_000 {
		t.Errorf("a limit of 2 bytes was saved: %d", got.MaxBody)
	}
}

func TestDeleteRemovesTheResourceAndItsSecrets(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	r := &resource.Resource{Name: "Billing", BaseURL: "https://billing.example.com",
		Auth: resource.Auth{Kind: resource.AuthBasic, Username: "ops"}}
	if err := fx.ws.SaveResource(ctx, r, fx.secrets, map[resource.SecretKind]string{resource.SecretPassword: "canary-password-Dd4"}); err != nil {
		t.Fatal(err)
	}
	f := fx.form
	var deleted []string
	f.OnDeleted = func(id string) { deleted = append(deleted, id) }
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	f.Delete()
	fx.app.Wait(t, f.Tasks())
	if f.banner.Visible() {
		t.Fatalf("delete failed: %s", f.banner.Message())
	}
	if len(deleted) != 1 || deleted[0] != r.ID {
		t.Errorf("OnDeleted got %v", deleted)
	}
	if _, err := fx.ws.ResourceByID(r.ID); !errors.Is(err, workspace.ErrNotFound) || len(uitest.Files(t, fx.ws.Dir())) != 0 {
		t.Errorf("the resource is still there: %v", err)
	}
	if _, err := fx.secrets.Get(ctx, r.ID, resource.SecretPassword); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("the password is still in the keychain: %v", err)
	}
}

// A workspace file (perhaps from a shared folder) that turns PKCE off says so under the check, in words.
func TestPKCEOffIsShown(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	r := &resource.Resource{Name: "Shared", BaseURL: "https://api.example.com", Auth: resource.Auth{Kind: resource.AuthOAuth2,
		OAuth2: resource.OAuth2{AuthURL: "https://as.example.com/auth", TokenURL: "https://as.example.com/token", ClientID: "cid", DisablePKCE: true}}}
	if err := fx.ws.SaveResource(context.Background(), r, nil, nil); err != nil {
		t.Fatal(err)
	}
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	hint := f.oauth.pkceRow.hint
	if f.oauth.pkce.Checked || !hint.Visible() || !strings.Contains(hint.Text, "PKCE is turned off") {
		t.Fatalf("PKCE off: checked %v, hint shown %v %q", f.oauth.pkce.Checked, hint.Visible(), hint.Text)
	}
	test.Tap(f.oauth.pkce)
	if !f.oauth.pkce.Checked || hint.Visible() {
		t.Errorf("after turning PKCE on: checked %v, hint still shown %q", f.oauth.pkce.Checked, hint.Text)
	}
}

// withOAuth gives the fixture's form a sign-in client over the fixture's keychain.
func (fx *fixture) withOAuth() *oauth.Client {
	c := &oauth.Client{Secrets: keychain.OAuth{Store: fx.secrets}, LockDir: fx.app.Storage().RootURI().Path()}
	fx.form = New(Deps{Workspace: fx.ws, Secrets: fx.secrets, OAuth: c}, fx.win)
	fx.form.OnSaved = func(r *resource.Resource) { fx.saved = append(fx.saved, r) }
	fx.win.SetContent(fx.form.Content())
	return c
}

// signedIn saves an OAuth 2.0 resource and a token for it that expires at expiry.
func (fx *fixture) signedIn(t *testing.T, name, refreshToken string, expiry time.Time) *resource.Resource {
	t.Helper()
	ctx := context.Background()
	r := &resource.Resource{Name: name, BaseURL: "https://api.example.com", Auth: resource.Auth{Kind: resource.AuthOAuth2,
		OAuth2: resource.OAuth2{AuthURL: "https://as.example.com/auth", TokenURL: "https://as.example.com/token", ClientID: "cid"}}}
	if err := fx.ws.SaveResource(ctx, r, nil, nil); err != nil {
		t.Fatal(err)
	}
	tok, err := json.Marshal(&oauth.Token{AccessToken: "canary-access-Tt5", RefreshToken: refreshToken, Expiry: expiry, ClientID: "cid"})
	if err != nil {
		t.Fatal(err)
	}
	if err := fx.secrets.Set(ctx, r.ID, resource.SecretOAuthToken, string(tok)); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSignInCountsDown: the sign-in status counts down while the form is shown, says whether the sign-in
// renews by itself, and stops counting once the form is hidden.
func TestSignInCountsDown(t *testing.T) {
	fx := newFixture(t)
	fx.withOAuth()
	f := fx.form
	s := f.oauth.signIn
	clock := time.Now().Truncate(time.Second)
	s.tick, s.now = 5*time.Millisecond, func() time.Time { return clock }

	r := fx.signedIn(t, "Short", "", clock.Add(60*time.Second))
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	if got, _ := f.SignInState(); got != "Signed in · you will need to sign in again in 60 s" {
		t.Fatalf("status %q", got)
	}
	clock = clock.Add(15 * time.Second)
	fx.app.WaitFor(t, func() bool {
		got, _ := f.SignInState()
		return got == "Signed in · you will need to sign in again in 45 s"
	})
	clock = clock.Add(50 * time.Second)
	fx.app.WaitFor(t, func() bool {
		got, _ := f.SignInState()
		return got == "Signed out — sign in again"
	})
	if s.ticking() {
		t.Error("still counting after the token expired")
	}

	r2 := fx.signedIn(t, "Renews", "canary-refresh-Rr3", clock.Add(60*time.Second))
	f.Edit(r2)
	fx.app.Wait(t, f.Tasks())
	if got, _ := f.SignInState(); got != "Signed in · expires in 60 s, renews by itself" {
		t.Fatalf("status %q", got)
	}
	if !s.ticking() {
		t.Fatal("not counting down")
	}
	f.authKind.SetSelected(resource.AuthBearer.Label())
	if s.ticking() {
		t.Error("counting down with OAuth 2.0 not chosen")
	}
	f.authKind.SetSelected(resource.AuthOAuth2.Label())
	if !s.ticking() {
		t.Error("not counting down once OAuth 2.0 is chosen again")
	}
	fx.win.SetContent(widget.NewLabel("another page"))
	clock = clock.Add(10 * time.Second)
	fx.app.WaitFor(t, func() bool { return !s.ticking() })
	if got, _ := f.SignInState(); got != "Signed in · expires in 60 s, renews by itself" {
		t.Errorf("the hidden form went on counting: %q", got)
	}
}

// TestTestConnectionForEveryKind: Test connection asks the base URL with the form's unsaved settings and the
// secret typed (or the keychain's), and says in words what came back, next to the button and in view.
func TestTestConnectionForEveryKind(t *testing.T) {
	const (
		token = "canary-bearer-Bb2"
		pass  = "canary-password-Pp7"
		key   = "canary-key-Kk4"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pw, basic := r.BasicAuth()
		switch r.URL.Path {
		case "/open":
		case "/bearer":
			if r.Header.Get("Authorization") != "Bearer "+token {
				w.WriteHeader(http.StatusUnauthorized)
			}
		case "/basic":
			if !basic || user != "ops" || pw != pass {
				w.WriteHeader(http.StatusUnauthorized)
			}
		case "/key":
			if r.URL.Query().Get("api_key") != key {
				w.WriteHeader(http.StatusUnauthorized)
			}
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()

	fx := newFixture(t)
	f := fx.form
	fx.win.Resize(fyne.NewSize(900, 420))
	for _, tc := range []struct {
		name string
		fill func()
		want string
	}{
		{"none", func() {
			f.authKind.SetSelected(resource.AuthNone.Label())
			fx.typeInto(f.baseURL.entry, srv.URL+"/open")
		}, "Connected: 200 OK in "},
		{"bearer", func() {
			f.authKind.SetSelected(resource.AuthBearer.Label())
			fx.typeInto(f.baseURL.entry, srv.URL+"/bearer")
			fx.typeInto(f.bearer.entry, token)
		}, "Connected: 200 OK in "},
		{"bearer refused", func() { fx.typeInto(f.bearer.entry, "canary-wrong-Ww0") },
			"The API refused the credentials (401 Unauthorized): check the token"},
		{"basic", func() {
			f.authKind.SetSelected(resource.AuthBasic.Label())
			fx.typeInto(f.baseURL.entry, srv.URL+"/basic")
			fx.typeInto(f.username.entry, "ops")
			fx.typeInto(f.password.entry, pass)
		}, "Connected: 200 OK in "},
		{"API key", func() {
			f.authKind.SetSelected(resource.AuthAPIKey.Label())
			fx.typeInto(f.baseURL.entry, srv.URL+"/key")
			fx.typeInto(f.keyName.entry, "api_key")
			f.keyInSelect.SetSelected(keyInQueryLabel)
			fx.typeInto(f.apiKey.entry, key)
		}, "Connected: 200 OK in "},
		{"not reachable", func() { fx.typeInto(f.baseURL.entry, "http://127.0.0.1:1/key") },
			"Could not reach 127.0.0.1:1: is the server running and the base URL right?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.fill()
			fx.form.scroll.ScrollToTop()
			test.Tap(f.conn.button)
			fx.app.Wait(t, f.Tasks())
			if got := f.TestResult(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("the test says %q, want %q…", got, tc.want)
			}
			if !inView(f, f.conn.result) {
				t.Errorf("the result is out of view: offset %v", f.scroll.Offset)
			}
			for _, s := range []string{token, pass, key} {
				if strings.Contains(f.TestResult(), s) {
					t.Error("the result shows a secret")
				}
			}
		})
	}
	if len(fx.ws.Resources()) != 0 {
		t.Error("testing saved the resource")
	}

	// Saved, with its token in the keychain and nothing typed: the keychain's token is sent.
	r := &resource.Resource{Name: "Saved", BaseURL: srv.URL + "/bearer", Auth: resource.Auth{Kind: resource.AuthBearer}}
	if err := fx.ws.SaveResource(context.Background(), r, fx.secrets, map[resource.SecretKind]string{resource.SecretBearerToken: token}); err != nil {
		t.Fatal(err)
	}
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	if f.TestResult() != "" {
		t.Errorf("Edit kept the last result %q", f.TestResult())
	}
	test.Tap(f.conn.button)
	fx.app.Wait(t, f.Tasks())
	if got := f.TestResult(); !strings.HasPrefix(got, "Connected: 200 OK in ") {
		t.Errorf("with the keychain's token the test says %q", got)
	}
}

// TestTestConnectionShowsProgressAndCancels: while the test waits for the API there is a progress bar and a
// Cancel button, and Cancel stops it.
func TestTestConnectionShowsProgressAndCancels(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	fx := newFixture(t)
	f := fx.form
	fx.typeInto(f.baseURL.entry, srv.URL)
	test.Tap(f.conn.button)
	if !f.conn.cancel.Visible() || !f.conn.progress.Visible() || !f.conn.button.Disabled() {
		t.Fatalf("while testing: cancel shown %v, progress shown %v, button disabled %v", f.conn.cancel.Visible(), f.conn.progress.Visible(), f.conn.button.Disabled())
	}
	if got := f.TestResult(); got != "Testing the connection to "+strings.TrimPrefix(srv.URL, "http://")+"…" {
		t.Errorf("while testing: %q", got)
	}
	test.Tap(f.conn.cancel)
	fx.app.Wait(t, f.Tasks())
	if f.TestResult() != "The test was cancelled." || f.conn.cancel.Visible() || f.conn.progress.Visible() || f.conn.button.Disabled() {
		t.Errorf("after Cancel: %q, cancel shown %v, progress %v", f.TestResult(), f.conn.cancel.Visible(), f.conn.progress.Visible())
	}
}

// TestTestConnectionOAuth: an OAuth 2.0 resource is tested at its login test URL with the access token.
func TestTestConnectionOAuth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/me" || r.Header.Get("Authorization") != "Bearer canary-access-Tt5" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	fx := newFixture(t)
	fx.withOAuth()
	f := fx.form
	r := fx.signedIn(t, "Signed", "", time.Now().Add(time.Hour))
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	fx.typeInto(f.oauth.loginTestURL.entry, srv.URL+"/me") // not saved
	test.Tap(f.conn.button)
	fx.app.Wait(t, f.Tasks())
	if got := f.TestResult(); !strings.HasPrefix(got, "Connected: 200 OK in ") {
		t.Errorf("the test says %q", got)
	}
	fx.typeInto(f.oauth.loginTestURL.entry, srv.URL+"/other")
	test.Tap(f.conn.button)
	fx.app.Wait(t, f.Tasks())
	if got := f.TestResult(); !strings.HasPrefix(got, "The API refused the credentials (401 Unauthorized): sign in again") {
		t.Errorf("refused: the test says %q", got)
	}
}

// A notch of the mouse wheel over the form's labels scrolls it three lines, not Fyne's one.
func TestAWheelNotchScrollsTheFormThreeLines(t *testing.T) {
	fx := newFixture(t)
	fx.win.Resize(fyne.NewSize(900, 400))
	fx.form.authKind.SetSelected(resource.AuthOAuth2.Label()) // a long form
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(fx.form.name.label).Add(fyne.NewPos(5, 5))
	test.Scroll(fx.win.Canvas(), at, 0, -wheel.Notch)
	line := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{}).Height + theme.LineSpacing()
	if got := fx.form.scroll.Offset.Y; got < 2.5*line {
		t.Errorf("one notch scrolled the form %v px, want about three lines (%v)", got, 3*line)
	}
}

// A secret typed but not saved yet is not "Not set yet"; opening another resource starts at its top; the API key
// name's example does not look like a value.
func TestSmallFormWordsAndPlaces(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	f.authKind.SetSelected(resource.AuthBearer.Label())
	fx.typeInto(f.bearer.entry, "tok-123")
	if h := f.bearer.hint.Text; strings.Contains(h, "Not set yet") || !strings.Contains(h, "Saving keeps") {
		t.Errorf("hint under a typed token: %q", h)
	}
	f.authKind.SetSelected(resource.AuthAPIKey.Label())
	if p := f.keyName.entry.PlaceHolder; !strings.HasPrefix(p, "for example") {
		t.Errorf("key name placeholder %q looks like a value", p)
	}

	a := &resource.Resource{Name: "A", BaseURL: "https://a.example.com"}
	b := &resource.Resource{Name: "B", BaseURL: "https://b.example.com"}
	for _, r := range []*resource.Resource{a, b} {
		if err := fx.ws.SaveResource(context.Background(), r, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	fx.win.Resize(fyne.NewSize(900, 400))
	f.Edit(a)
	fx.app.Wait(t, f.Tasks())
	f.scroll.ScrollToBottom()
	f.Edit(a) // the same resource again (a reload): the place is kept
	if f.scroll.Offset.Y == 0 {
		t.Error("reloading the same resource scrolled it back to the top")
	}
	f.Edit(b)
	fx.app.Wait(t, f.Tasks())
	if f.scroll.Offset.Y != 0 {
		t.Errorf("another resource opened scrolled down by %v: its name is out of sight", f.scroll.Offset.Y)
	}
}
