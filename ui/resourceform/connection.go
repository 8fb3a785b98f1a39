package resourceform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/keychain"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
	"apidesk/ui/task"
)

// connectionTest is the Test connection row at the end of the Authentication section, for every kind of
// authentication. It asks the login test URL (OAuth 2.0, when one is set) or the base URL with what the form
// shows now, saved or not, and the secrets typed or kept in the keychain, off the UI thread, and says what
// came back next to the button, scrolled into view.
type connectionTest struct {
	f        *Form
	button   *widget.Button
	cancel   *widget.Button
	progress *widget.ProgressBarInfinite
	result   *widget.Label
	row      *field
	job      *task.Job
}

func newConnectionTest(f *Form) *connectionTest {
	c := &connectionTest{f: f}
	c.button = &widget.Button{Text: "Test connection", Icon: theme.ViewRefreshIcon(), OnTapped: c.onTest}
	c.cancel = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), Importance: widget.LowImportance, OnTapped: c.onCancel}
	c.cancel.Hide()
	c.progress = widget.NewProgressBarInfinite()
	c.progress.Stop()
	c.progress.Hide()
	c.result = &widget.Label{Wrapping: fyne.TextWrapWord}
	c.result.Hide()
	content := container.NewBorder(nil, nil, container.NewHBox(c.button, c.cancel), nil, container.NewVBox(c.result, c.progress))
	c.row = newOtherField("auth.test", "Connection", content)
	c.row.setHint("Sends a request to the base URL (or the login test URL) with the settings above, saved or not.")
	return c
}

// reset drops a test on its way and what the last one said.
func (c *connectionTest) reset() {
	c.job.Cancel()
	c.idle()
	c.result.Hide()
}

func (c *connectionTest) idle() {
	c.button.Enable()
	c.cancel.Hide()
	c.progress.Stop()
	c.progress.Hide()
}

func (c *connectionTest) onCancel() {
	c.job.Cancel()
	c.idle()
	c.show("The test was cancelled.", widget.MediumImportance)
}

func (c *connectionTest) show(msg string, imp widget.Importance) {
	c.result.Importance = imp
	c.result.SetText(msg)
	c.result.Show()
	c.f.scrollTo(c.row.cell)
}

// onTest checks the fields the test needs, then runs it in the background.
func (c *connectionTest) onTest() {
	f := c.f
	r := f.collect()
	for _, key := range []string{"base_url", "auth.username", "auth.key_name", "auth.oauth2.login_test_url"} {
		if msg := problemFor(r.Validate(), key); msg != "" {
			c.show("Fix this first: "+msg, widget.WarningImportance)
			return
		}
	}
	if _, err := resource.ParseTimeout(f.timeout.entry.Text); err != nil {
		c.show("Fix this first: "+err.Error(), widget.WarningImportance)
		return
	}
	loginTest := ""
	if r.Auth.Kind == resource.AuthOAuth2 && f.deps.OAuth != nil {
		loginTest = strings.TrimSpace(r.Auth.OAuth2.LoginTestURL)
	}
	target := r.BaseURL
	if loginTest != "" {
		target = loginTest
	}
	rn := f.testRunner(r)
	bind := f.bind(r) // as the resource runs in the environment active
	c.job.Cancel()
	c.button.Disable()
	c.cancel.Show()
	c.progress.Show()
	c.progress.Start()
	c.show("Testing the connection to "+hostOf(target)+"…", widget.MediumImportance)
	c.job = task.Start(&f.tasks, func(ctx context.Context) (runner.Check, error) {
		b, err := bind(ctx)
		if err != nil {
			return runner.Check{Host: hostOf(target), Auth: r.Auth.Kind, Err: err}, nil
		}
		if loginTest != "" {
			return checkLogin(ctx, f.deps.OAuth, b, strings.TrimSpace(b.Auth.OAuth2.LoginTestURL)), nil
		}
		return rn.Check(ctx, b), nil
	}, func(check runner.Check, _ error) {
		c.idle()
		imp := widget.SuccessImportance
		switch {
		case check.Err != nil && !errors.Is(check.Err, resource.ErrNotSignedIn):
			imp = widget.DangerImportance
		case !check.OK():
			imp = widget.WarningImportance
		}
		c.show(check.Message(), imp)
		if r.Auth.Kind == resource.AuthOAuth2 && r.ID != "" {
			f.loadStatus(f.res) // a test may have refreshed the token
		}
	})
}

// checkLogin is the OAuth 2.0 test: the login test URL with the access token, as oauth.Client.CheckLogin
// asks it (refreshing the token once on a 401), in a runner.Check's words.
func checkLogin(ctx context.Context, c *oauth.Client, r *resource.Resource, testURL string) runner.Check {
	out := runner.Check{Host: hostOf(testURL), Auth: resource.AuthOAuth2}
	ctx, cancel := context.WithTimeout(ctx, r.EffectiveTimeout())
	defer cancel()
	start := time.Now()
	lc, err := c.CheckLogin(ctx, r)
	out.Took = time.Since(start)
	switch {
	case err != nil:
		out.Err = err
	case lc.HTTPStatus == 0:
		out.Err = oauth.ErrNotSignedIn
	default:
		out.StatusCode = lc.HTTPStatus
		out.Status = fmt.Sprintf("%d %s", lc.HTTPStatus, http.StatusText(lc.HTTPStatus))
	}
	return out
}

// testRunner is the runner the connection test sends with: the window's (its HTTP client, its token
// source), reading the secret typed into the form before the keychain's, and recording nothing in the
// keychain (where a resource's secrets may be sent is recorded when it is saved and used, not tested).
func (f *Form) testRunner(r *resource.Resource) *runner.Runner {
	kind := r.Auth.Kind
	base := f.deps.Runner
	if base == nil {
		var store runner.Secrets
		if f.deps.Secrets != nil {
			store = keychain.RunnerSecrets(f.deps.Secrets)
		}
		base = runner.New(store, nil)
		if f.deps.OAuth != nil {
			base.Tokens = f.deps.OAuth
		}
	}
	rn := *base
	origins := base.Origins
	if o, ok := base.Secrets.(runner.Origins); ok && origins == nil {
		origins = o
	}
	typed := f.typedAuthSecrets(kind)
	rn.Secrets = formSecrets{typed: f.typedSecrets(r), store: base.Secrets}
	rn.Origins = nil
	if origins != nil && (len(typed) == 0 || kind == resource.AuthOAuth2) { // OAuth 2.0 sends the keychain's token
		rn.Origins = readOnlyOrigins{origins} // a saved secret goes only where it was saved for
	}
	return &rn
}

// formSecrets gives the secrets typed into the form, and the keychain's for the others.
type formSecrets struct {
	typed map[resource.SecretKind]string
	store runner.Secrets
}

func (s formSecrets) Secret(ctx context.Context, id string, kind resource.SecretKind) (string, error) {
	if v, ok := s.typed[kind]; ok {
		return v, nil
	}
	if id == "" || s.store == nil {
		return "", nil // a new resource has nothing in the keychain
	}
	return s.store.Secret(ctx, id, kind)
}

// readOnlyOrigins checks against the origins recorded, and records none.
type readOnlyOrigins struct{ recorded runner.Origins }

func (o readOnlyOrigins) Origins(ctx context.Context, id string) (resource.Origins, error) {
	if id == "" {
		return resource.Origins{}, nil
	}
	return o.recorded.Origins(ctx, id)
}

func (readOnlyOrigins) SetOrigins(context.Context, string, resource.Origins) error { return nil }

// hostOf is the host of a URL, with its port when one is written.
func hostOf(raw string) string {
	if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.Host != "" {
		return u.Host
	}
	return strings.TrimSpace(raw)
}
