package resourceform

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/resource"
	"apidesk/ui/uitest"
)

// choosing makes the form's Choose… buttons pick path, as the person would in the file dialog, and records the
// titles and starting paths the dialog was opened with.
func (fx *fixture) choosing(path string) *[]string {
	var asked []string
	fx.form.chooseFile = func(title, current string, done func(string)) {
		asked = append(asked, title+" @ "+current)
		done(path)
	}
	return &asked
}

// chooseButton is the Choose… button beside a path field.
func chooseButton(t *testing.T, x *field) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(x.input) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Choose…" {
			return b
		}
	}
	t.Fatalf("no Choose… button beside %s", x.key)
	return nil
}

func shownTexts(o fyne.CanvasObject) string { return strings.Join(uitest.Texts(o), "\n") }

// The Network section: what is typed and chosen is saved as the resource's network settings (paths inside the
// workspace relative to it), the proxy's credentials and the key's passphrase go to the keychain and nowhere
// else, and the resource shown again shows it all, the secrets as kept.
func TestNetworkSettingsAreSavedAndShownAgain(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	ctx := context.Background()
	const proxyPass, passphrase = "canary-proxy-pass-Kx3", "canary-passphrase-Vb8"
	if f.net.accordion.Items[0].Open {
		t.Error("a new resource's Network section is open")
	}
	if !f.net.verify.Checked {
		t.Error("Verify TLS certificates is off for a new resource")
	}
	if strings.Contains(shownTexts(f.Content()), insecureWarning) {
		t.Error("a new resource warns that TLS is not checked")
	}

	fx.typeInto(f.name.entry, "Intranet")
	fx.typeInto(f.baseURL.entry, "https://intranet.example.com")
	f.net.accordion.OpenAll()
	f.net.proxySelect.SetSelected("This proxy")
	for _, x := range []*field{f.net.proxyURL, f.net.noProxy, f.net.proxyUser, f.net.proxyPass} {
		if !x.visible() {
			t.Errorf("%s hidden with This proxy", x.key)
		}
	}
	fx.typeInto(f.net.proxyURL.entry, "http://proxy.example.com:3128")
	fx.typeInto(f.net.noProxy.entry, "localhost, .corp.example.com,, 10.0.0.0/8 ")
	fx.typeInto(f.net.proxyUser.entry, "ops")
	fx.typeInto(f.net.proxyPass.entry, proxyPass)

	inside := filepath.Join(fx.ws.Dir(), "certs", "ca.pem")
	asked := fx.choosing(inside)
	test.Tap(chooseButton(t, f.net.caCert))
	if f.net.caCert.entry.Text != "certs/ca.pem" {
		t.Errorf("a CA file chosen inside the workspace shows as %q, want certs/ca.pem", f.net.caCert.entry.Text)
	}
	outside := filepath.Join(t.TempDir(), "me.p12")
	fx.choosing(outside)
	if f.net.passphrase.visible() {
		t.Error("the key passphrase is asked for without a client certificate")
	}
	test.Tap(chooseButton(t, f.net.clientCert))
	if f.net.clientCert.entry.Text != outside {
		t.Errorf("a certificate outside the workspace shows as %q, want %q", f.net.clientCert.entry.Text, outside)
	}
	if !f.net.passphrase.visible() {
		t.Error("no passphrase field with a client certificate")
	}
	fx.typeInto(f.net.passphrase.entry, passphrase)
	test.Tap(f.net.verify)
	if !strings.Contains(shownTexts(f.Content()), insecureWarning) {
		t.Errorf("no warning with Verify TLS certificates off; the form shows:\n%s", shownTexts(f.Content()))
	}
	if l := f.net.warning.Objects[0].(*widget.Label); l.Importance != widget.WarningImportance {
		t.Errorf("the warning is drawn with importance %v, not the theme's warning colour", l.Importance)
	}
	if len(*asked) != 1 || (*asked)[0] != "Choose the CA certificates @ " {
		t.Errorf("the file dialog was opened as %q", *asked)
	}

	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if f.banner.Visible() {
		t.Fatalf("save failed: %s %s %q", f.banner.Headline(), f.banner.Message(), f.banner.Links())
	}
	if len(fx.saved) != 1 {
		t.Fatalf("saved %d times", len(fx.saved))
	}
	r := fx.saved[0]
	want := resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy.example.com:3128",
		NoProxy: []string{"localhost", ".corp.example.com", "10.0.0.0/8"}, CACert: "certs/ca.pem", ClientCert: outside, Insecure: true}
	if got := r.Network; got.Proxy != want.Proxy || got.ProxyURL != want.ProxyURL || !slices.Equal(got.NoProxy, want.NoProxy) ||
		got.CACert != want.CACert || got.ClientCert != want.ClientCert || got.ClientKey != "" || got.Insecure != want.Insecure {
		t.Errorf("saved network settings\n %+v\nwant\n %+v", got, want)
	}
	for kind, v := range map[resource.SecretKind]string{resource.SecretProxyAuth: "ops:" + proxyPass, resource.SecretKeyPassphrase: passphrase} {
		if got, err := fx.secrets.Get(ctx, r.ID, kind); err != nil || got != v {
			t.Errorf("keychain's %s: %q, %v; want %q", kind.Words(), got, err, v)
		}
	}
	uitest.NoFileContains(t, fx.ws.Dir(), proxyPass, passphrase)
	if f.net.proxyPass.entry.Text != "" || f.net.proxyUser.entry.Text != "" || f.net.passphrase.entry.Text != "" {
		t.Error("the secrets stay in their fields after the save")
	}

	// Another resource, then this one again: the fields show what was saved, the secrets as kept.
	f.Edit(nil)
	if f.net.proxyURL.visible() || f.net.verify.Checked == false || f.net.caCert.entry.Text != "" {
		t.Error("a new resource shows the last one's network settings")
	}
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	if !f.net.accordion.Items[0].Open {
		t.Error("the Network section of a resource that sets it is folded away")
	}
	if f.net.proxySelect.Selected != "This proxy" || f.net.proxyURL.entry.Text != "http://proxy.example.com:3128" ||
		f.net.noProxy.entry.Text != "localhost, .corp.example.com, 10.0.0.0/8" || f.net.caCert.entry.Text != "certs/ca.pem" ||
		f.net.clientCert.entry.Text != outside || f.net.verify.Checked {
		t.Errorf("shown again: proxy %q %q no-proxy %q CA %q cert %q verify %v", f.net.proxySelect.Selected, f.net.proxyURL.entry.Text,
			f.net.noProxy.entry.Text, f.net.caCert.entry.Text, f.net.clientCert.entry.Text, f.net.verify.Checked)
	}
	if h := f.net.proxyPass.hint.Text; !strings.Contains(h, "Kept in your keychain") {
		t.Errorf("under the proxy password: %q", h)
	}
	if h := f.net.passphrase.hint.Text; !strings.Contains(h, "Kept in your keychain") {
		t.Errorf("under the passphrase: %q", h)
	}
	if !strings.Contains(shownTexts(f.Content()), insecureWarning) {
		t.Error("a resource saved with TLS not verified does not warn when shown again")
	}
	if f.Dirty() {
		t.Error("showing a resource made the form dirty")
	}

	// No proxy of its own any more: the save removes the proxy's credentials from the keychain.
	f.net.proxySelect.SetSelected("None (connect directly)")
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if f.banner.Visible() {
		t.Fatalf("save failed: %s %s", f.banner.Headline(), f.banner.Message())
	}
	if got := fx.saved[len(fx.saved)-1].Network; got.Proxy != resource.ProxyNone || got.ProxyURL != "" || got.NoProxy != nil {
		t.Errorf("saved with no proxy: %+v", got)
	}
	if kinds, _ := fx.secrets.Kinds(ctx, r.ID); slices.Contains(kinds, resource.SecretProxyAuth) || !slices.Contains(kinds, resource.SecretKeyPassphrase) {
		t.Errorf("the keychain holds %v after the proxy was dropped", kinds)
	}
}

// The proxy's username and password are saved together: one without the other is a problem under its field,
// and nothing is saved.
func TestProxyCredentialsGoTogether(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	fx.typeInto(f.name.entry, "Intranet")
	fx.typeInto(f.baseURL.entry, "https://intranet.example.com")
	f.net.proxySelect.SetSelected("This proxy")
	fx.typeInto(f.net.proxyURL.entry, "http://proxy.example.com:3128")
	fx.typeInto(f.net.proxyPass.entry, "pw")
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if len(fx.saved) != 0 {
		t.Fatal("saved a proxy password without its username")
	}
	if !f.net.accordion.Items[0].Open {
		t.Error("the Network section with the problem stays folded")
	}
	if !f.net.proxyUser.problem.Visible() || !strings.Contains(f.net.proxyUser.problem.Text, "username") {
		t.Errorf("under the proxy username: %q", f.net.proxyUser.problem.Text)
	}
	if fx.win.Canvas().Focused() != f.net.proxyUser.entry {
		t.Errorf("focused %T, want the proxy username", fx.win.Canvas().Focused())
	}
	fx.typeInto(f.net.proxyUser.entry, "a:b")
	if !strings.Contains(f.net.proxyUser.problem.Text, "':'") {
		t.Errorf("under a proxy username with a colon: %q", f.net.proxyUser.problem.Text)
	}
	fx.typeInto(f.net.proxyUser.entry, "ops")
	if f.net.proxyUser.problem.Visible() {
		t.Errorf("the problem stays once fixed: %q", f.net.proxyUser.problem.Text)
	}
}

// An engine's message about a network field is shown under that field, and its link in the banner unfolds the
// Network section and focuses the field.
func TestNetworkProblemsAreShownUnderTheirFields(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	fx.win.Resize(fyne.NewSize(900, 500))
	f.Edit(&resource.Resource{Name: "Intranet", BaseURL: "https://intranet.example.com"})
	f.showProblems(resource.Errors{{Field: "network.proxy_url", Msg: "Proxy URL must start with http://, https:// or socks5://"},
		{Field: "network.ca_cert", Msg: "There is no file certs/ca.pem in the workspace folder"}})
	f.net.proxySelect.SetSelected("This proxy")
	for _, c := range []struct {
		x   *field
		msg string
	}{{f.net.proxyURL, "socks5://"}, {f.net.caCert, "certs/ca.pem"}} {
		if !c.x.problem.Visible() || !strings.Contains(c.x.problem.Text, c.msg) {
			t.Errorf("under %s: %q (shown %v)", c.x.key, c.x.problem.Text, c.x.problem.Visible())
		}
	}
	f.net.accordion.CloseAll()
	f.banner.TapLink(1)
	if !f.net.accordion.Items[0].Open || fx.win.Canvas().Focused() != f.net.caCert.entry || !inView(f, f.net.caCert.cell) {
		t.Errorf("the CA file's link: open %v, focused %T, in view %v", f.net.accordion.Items[0].Open, fx.win.Canvas().Focused(), inView(f, f.net.caCert.cell))
	}
}

// Digest takes a username and a password as Basic does, the password to the keychain.
func TestDigestAuthentication(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	const pw = "canary-digest-pw-Ht5"
	f.authKind.SetSelected(resource.AuthDigest.Label())
	for _, x := range []*field{f.bearer, f.username, f.password, f.keyName, f.apiKey} {
		if want := x == f.username || x == f.password; x.visible() != want {
			t.Errorf("with Digest, %s visible = %v", x.key, x.visible())
		}
	}
	fx.typeInto(f.name.entry, "Camera")
	fx.typeInto(f.baseURL.entry, "https://camera.example.com")
	fx.typeInto(f.username.entry, "admin")
	fx.typeInto(f.password.entry, pw)
	r := f.collect()
	if r.Auth.Kind != resource.AuthDigest || r.Auth.Username != "admin" {
		t.Errorf("the form holds %+v", r.Auth)
	}
	if got := f.typedSecrets(r); len(got) != 1 || got[resource.SecretPassword] != pw {
		t.Errorf("secrets to keep: %v", got)
	}
	if es := r.Validate(); len(es) > 0 {
		t.Fatalf("the engine refuses Digest: %v", es)
	}
	test.Tap(f.saveBtn)
	fx.app.Wait(t, f.Tasks())
	if len(fx.saved) != 1 || fx.saved[0].Auth.Kind != resource.AuthDigest || fx.saved[0].Auth.Username != "admin" {
		t.Fatalf("saved %v (banner %q %q)", fx.saved, f.banner.Headline(), f.banner.Message())
	}
	if got, err := fx.secrets.Get(context.Background(), fx.saved[0].ID, resource.SecretPassword); err != nil || got != pw {
		t.Errorf("keychain's password %q, %v", got, err)
	}
	uitest.NoFileContains(t, fx.ws.Dir(), pw)
	f.Edit(fx.saved[0])
	fx.app.Wait(t, f.Tasks())
	if f.authKind.Selected != resource.AuthDigest.Label() || f.username.entry.Text != "admin" || !strings.Contains(f.password.hint.Text, "Kept in your keychain") {
		t.Errorf("shown again: %q %q, password hint %q", f.authKind.Selected, f.username.entry.Text, f.password.hint.Text)
	}
}

// At the window's default size (1200 × 780, the form beside the sidebar), the open Network section keeps every
// label on one line, its inputs wide enough to read a path, and the form no wider than its place.
func TestNetworkSectionLayout(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	const width = 1200 * (1 - 0.24)
	fx.win.Resize(fyne.NewSize(width, 780))
	r := &resource.Resource{Name: "Intranet", BaseURL: "https://intranet.example.com",
		Network: resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy.example.com:3128", NoProxy: []string{"localhost"},
			CACert: "certs/ca.pem", ClientCert: filepath.Join(os.TempDir(), "a-long-folder-name", "client-certificate.pem"), ClientKey: "certs/client.key", Insecure: true}}
	f.Edit(r)
	fx.app.Wait(t, f.Tasks())
	if m := f.Content().MinSize(); m.Width > width {
		t.Errorf("the form asks for %v px, more than the %v px it has", m.Width, width)
	}
	f.net.accordion.CloseAll()
	f.ShowNetwork()
	if !f.net.accordion.Items[0].Open || !inView(f, f.netHeading) {
		t.Errorf("ShowNetwork: open %v, the Network heading in view %v", f.net.accordion.Items[0].Open, inView(f, f.netHeading))
	}
	test.LaidOutObjects(f.Content())
	for _, x := range f.net.fields {
		if !x.visible() {
			t.Errorf("%s hidden", x.key)
			continue
		}
		if x.label.Text != "" && x.label.Size().Width < x.label.MinSize().Width {
			t.Errorf("the label %q is %v px wide, less than its %v", x.label.Text, x.label.Size().Width, x.label.MinSize().Width)
		}
		if x.entry != nil && x.entry.Size().Width < 250 {
			t.Errorf("the %s entry is only %v px wide", x.key, x.entry.Size().Width)
		}
		if h := x.hint; h.Visible() && h.Size().Width < 250 {
			t.Errorf("the hint under %s is squeezed to %v px", x.key, h.Size().Width)
		}
	}
	if warn := f.net.warning.Objects[0].(*widget.Label); !warn.Visible() || warn.Size().Width < 400 {
		t.Errorf("the warning is %v px wide (shown %v)", warn.Size().Width, warn.Visible())
	}
}

// Unticking and ticking Verify TLS certificates shows and hides the warning at the top of the form; the form
// scrolls by as much, so that the check stays where it was on screen, under the pointer.
func TestVerifyCheckStaysInPlaceAsTheWarningComesAndGoes(t *testing.T) {
	fx := newFixture(t)
	f := fx.form
	fx.win.Resize(fyne.NewSize(900, 600))
	f.ShowNetwork()
	d := fyne.CurrentApp().Driver()
	y0 := d.AbsolutePositionForObject(f.net.verify).Y
	if y0 < 0 || y0 > 600 {
		t.Fatalf("the check is at y=%v after ShowNetwork, off the 600 px form", y0)
	}
	test.Tap(f.net.verify)
	f.scroll.Content.Refresh() // the layout the window's next frame does
	if !f.net.warning.Visible() {
		t.Fatal("no warning with Verify TLS certificates off")
	}
	if y := d.AbsolutePositionForObject(f.net.verify).Y; y != y0 {
		t.Errorf("the check moved from y=%v to %v when the warning appeared", y0, y)
	}
	test.Tap(f.net.verify)
	f.scroll.Content.Refresh()
	if f.net.warning.Visible() {
		t.Fatal("the warning stays with Verify TLS certificates on again")
	}
	if y := d.AbsolutePositionForObject(f.net.verify).Y; y != y0 {
		t.Errorf("the check moved from y=%v to %v when the warning went", y0, y)
	}
}
