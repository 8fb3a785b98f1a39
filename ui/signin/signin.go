// Package signin is the "Sign in to <resource>" prompt: it starts the OAuth 2.0 sign-in of a resource, opens
// the system browser (or shows the device code to enter), waits with a Cancel button, asks for the client
// secret when the keychain lacks it, and says in plain words what went wrong, with "Try again". The sign-in
// itself runs off the UI thread (engine/oauth); the prompt only shows where it stands.
package signin

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/environment"
	"apidesk/engine/oauth"
	"apidesk/engine/resource"
	"apidesk/ui/problem"
	"apidesk/ui/task"
)

// Deps is the engine the prompt works with.
type Deps struct {
	OAuth *oauth.Client
	// OpenURL opens the system browser. It is called on a goroutine of its own and may block; the window
	// passes Fyne's App.OpenURL (through fyne.DoAndWait), tests a simulated browser.
	OpenURL func(*url.URL) error
	// Env is the environment the sign-in is for (nil: none), named in the title: the resource given to Show
	// is bound to it already (environment.Scope.Bind), so its tokens are kept for that environment alone.
	Env *environment.Environment
}

// Prompt is an open sign-in dialog.
type Prompt struct {
	deps    Deps
	win     fyne.Window
	res     *resource.Resource
	onDone  func(oauth.Status)
	tasks   task.Group // the sign-in, or keeping the client secret; Cancel cancels it
	closed  atomic.Bool
	authURL *url.URL

	d         *dialog.CustomDialog
	step      *widget.Label
	activity  *widget.ProgressBarInfinite
	link      *widget.Label
	linkRow   *fyne.Container
	copyBtn   *widget.Button
	openBtn   *widget.Button
	code      *widget.Label
	codeRow   *fyne.Container
	banner    *problem.Banner
	secret    *widget.Entry
	secretRow *fyne.Container
	retryBtn  *widget.Button
	cancelBtn *widget.Button
}

// Show opens the prompt for res and starts signing in; reason (which may be empty) says why a sign-in is
// needed. onDone is called on the UI thread after a successful sign-in, once the prompt is closed.
func Show(d Deps, win fyne.Window, res *resource.Resource, reason string, onDone func(oauth.Status)) *Prompt {
	p := &Prompt{deps: d, win: win, res: res, onDone: onDone}
	p.step = &widget.Label{Wrapping: fyne.TextWrapWord}
	p.activity = widget.NewProgressBarInfinite()
	p.link = &widget.Label{Wrapping: fyne.TextWrapBreak, Selectable: true, SizeName: theme.SizeNameCaptionText}
	p.copyBtn = &widget.Button{Text: "Copy link", Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: p.onCopy}
	p.openBtn = &widget.Button{Text: "Open the browser again", Icon: theme.ComputerIcon(), Importance: widget.LowImportance, OnTapped: p.onOpenAgain}
	p.linkRow = container.NewVBox(
		&widget.Label{Text: "Browser did not open? Open this address yourself:", SizeName: theme.SizeNameCaptionText},
		p.link, container.NewHBox(p.copyBtn, p.openBtn))
	p.linkRow.Hide()
	p.code = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}, SizeName: theme.SizeNameHeadingText, Alignment: fyne.TextAlignCenter, Selectable: true}
	p.codeRow = container.NewVBox(p.code)
	p.codeRow.Hide()
	p.banner = problem.NewBanner()
	p.secret = &widget.Entry{Password: true, PlaceHolder: "Client secret"}
	p.secret.OnSubmitted = func(string) { p.onSaveSecret() }
	saveSecret := &widget.Button{Text: "Keep it and sign in", Importance: widget.HighImportance, OnTapped: p.onSaveSecret}
	p.secretRow = container.NewVBox(
		&widget.Label{Text: "This resource needs its client secret: paste it from the app you registered with the provider. apidesk keeps it in your keychain.", Wrapping: fyne.TextWrapWord},
		container.NewBorder(nil, nil, nil, saveSecret, p.secret))
	p.secretRow.Hide()

	p.retryBtn = &widget.Button{Text: "Try again", Importance: widget.HighImportance, OnTapped: p.start}
	p.retryBtn.Hide()
	p.cancelBtn = &widget.Button{Text: "Cancel", OnTapped: p.Cancel}

	top := []fyne.CanvasObject{}
	if reason != "" {
		top = append(top, &widget.Label{Text: upperFirst(reason), Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	}
	top = append(top, p.step, p.activity, p.codeRow, p.linkRow, p.secretRow, p.banner)
	content := container.NewVBox(top...)
	title := "Sign in to " + res.Name
	if d.Env != nil {
		title += " (" + d.Env.Name + ")"
	}
	p.d = dialog.NewCustomWithoutButtons(title, content, win)
	p.d.SetButtons([]fyne.CanvasObject{p.cancelBtn, p.retryBtn})
	p.d.Resize(fyne.NewSize(560, 0))
	p.d.Show()
	p.start()
	return p
}

// Tasks is the prompt's background work: the sign-in, or keeping the client secret.
func (p *Prompt) Tasks() *task.Group { return &p.tasks }

// Step is what the prompt says is happening, Problem its error banner; for tests.
func (p *Prompt) Step() string { return p.step.Text }

// Link is the address shown for opening by hand ("" until the sign-in shows one).
func (p *Prompt) Link() string {
	if p.authURL == nil {
		return ""
	}
	return p.authURL.String()
}

// Code is the device code shown to enter on another device ("" when none).
func (p *Prompt) Code() string {
	if !p.codeRow.Visible() {
		return ""
	}
	return p.code.Text
}

// Problem is the banner that shows why the sign-in failed.
func (p *Prompt) Problem() *problem.Banner { return p.banner }

// Closed reports whether the prompt was closed (signed in or cancelled).
func (p *Prompt) Closed() bool { return p.closed.Load() }

// Retry is "Try again": signs in again after a failure.
func (p *Prompt) Retry() { p.start() }

// Cancel stops the sign-in and closes the prompt.
func (p *Prompt) Cancel() {
	p.tasks.Cancel()
	p.close()
}

func (p *Prompt) close() {
	if p.closed.Swap(true) {
		return
	}
	p.d.Hide()
}

// start signs in, in the background.
func (p *Prompt) start() {
	p.banner.Clear()
	p.retryBtn.Hide()
	p.secretRow.Hide()
	p.codeRow.Hide()
	p.linkRow.Hide()
	p.activity.Show()
	p.activity.Start()
	p.step.SetText(p.firstStep())
	prompt := oauth.Prompt{
		OpenURL: p.deps.OpenURL,
		OnOpen: func(u *url.URL) {
			p.do(func() { p.showLink(u) })
		},
		OnBrowserError: func(err error) {
			p.do(func() {
				p.step.SetText("The browser could not be opened. Open the address below yourself and sign in there; this window continues by itself.")
			})
		},
		OnDeviceCode: func(dc oauth.DeviceCode) {
			p.do(func() { p.showDeviceCode(dc) })
		},
	}
	res := p.res
	p.tasks.Cancel()
	task.Start(&p.tasks, func(ctx context.Context) (oauth.Status, error) { return p.deps.OAuth.SignIn(ctx, res, prompt) }, p.finish)
}

// do runs f on the UI thread unless the prompt was closed.
func (p *Prompt) do(f func()) {
	fyne.Do(func() {
		if !p.closed.Load() {
			f()
		}
	})
}

func (p *Prompt) firstStep() string {
	switch p.res.Auth.OAuth2.Grant {
	case resource.GrantClientCredentials:
		return "Getting a token from " + host(p.res.Auth.OAuth2.TokenURL) + "…"
	case resource.GrantDevice:
		return "Asking " + host(p.res.Auth.OAuth2.DeviceURL) + " for a code to enter…"
	}
	return "Opening your browser at the sign-in page of " + host(p.res.Auth.OAuth2.AuthURL) + ". Sign in there and come back: this window continues by itself."
}

func (p *Prompt) showLink(u *url.URL) {
	p.authURL = u
	p.link.SetText(u.String())
	p.linkRow.Show()
}

func (p *Prompt) showDeviceCode(dc oauth.DeviceCode) {
	at := dc.VerificationURI
	p.step.SetText("On any device, open " + at + " and enter this code:")
	p.code.SetText(dc.UserCode)
	p.codeRow.Show()
	target := dc.VerificationURIComplete
	if !oauth.WebURL(target) {
		target = dc.VerificationURI
	}
	if u, err := url.Parse(target); err == nil && oauth.WebURL(target) {
		p.showLink(u) // only a web page: the server chose this address
	}
}

// finish shows how the sign-in ended (one cancelled is dropped: Cancel closed the prompt).
func (p *Prompt) finish(st oauth.Status, err error) {
	p.activity.Stop()
	p.activity.Hide()
	switch {
	case err == nil:
		p.close()
		if p.onDone != nil {
			p.onDone(st)
		}
	case errors.Is(err, oauth.ErrNeedsClientSecret):
		p.step.SetText("One more thing before signing in.")
		p.secretRow.Show()
		p.win.Canvas().Focus(p.secret)
	default:
		p.step.SetText("The sign-in did not complete.")
		p.banner.SetError(err)
		p.retryBtn.Show()
	}
}

// onSaveSecret keeps the client secret typed in the keychain, then signs in.
func (p *Prompt) onSaveSecret() {
	v := p.secret.Text
	if strings.TrimSpace(v) == "" {
		p.banner.SetError(errors.New("paste the client secret first"))
		return
	}
	id := p.res.ID
	p.secretRow.Hide()
	p.step.SetText("Keeping the client secret in your keychain…")
	task.Run(&p.tasks, func(ctx context.Context) error {
		return p.deps.OAuth.Secrets.Set(ctx, id, resource.SecretClientSecret, v)
	}, func(err error) {
		if err != nil {
			p.secretRow.Show()
			p.banner.SetError(fmt.Errorf("the client secret could not be kept in the keychain: %w", err))
			return
		}
		p.secret.SetText("")
		p.start()
	})
}

func (p *Prompt) onCopy() {
	if p.authURL != nil {
		fyne.CurrentApp().Clipboard().SetContent(p.authURL.String())
	}
}

func (p *Prompt) onOpenAgain() {
	u := p.authURL
	if u == nil || p.deps.OpenURL == nil {
		return
	}
	task.Run(&p.tasks, func(context.Context) error { return p.deps.OpenURL(u) }, nil) // it may block: not on the UI goroutine
}

func host(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return "the provider"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
