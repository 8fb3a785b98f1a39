package resourceform

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"apidesk/engine/resource"
	"apidesk/ui/filechooser"
)

// Labels of the proxy choices, as a person reads them.
var proxyLabels = []struct{ proxy, label string }{
	{resource.ProxyDefault, "Workspace default"},
	{resource.ProxySystem, "System proxy"},
	{resource.ProxyNone, "None (connect directly)"},
	{resource.ProxyURL, "This proxy"},
}

// insecureWarning is shown on the form while "Verify TLS certificates" is off.
const insecureWarning = "TLS certificates are not checked: anyone on the network could read or change this resource's traffic."

// networkSection is the Network part of the form, folded away until opened (or the resource sets something in
// it): the proxy (the workspace's, the system's, none, or one given with its no-proxy list and credentials), the
// CA certificates trusted besides the system's, a client certificate with its key and passphrase, and whether
// the server's certificate is verified. The proxy's credentials and the key's passphrase go to the keychain.
type networkSection struct {
	f      *Form
	fields []*field // in form order

	proxySelect *widget.Select
	verify      *widget.Check
	item        *widget.AccordionItem
	accordion   *widget.Accordion
	warning     *fyne.Container // insecureWarning, at the top of the form

	proxy, proxyURL, noProxy, proxyUser, proxyPass, caCert, clientCert, clientKey, passphrase, verifyRow *field
}

func newNetworkSection(f *Form) *networkSection {
	n := &networkSection{f: f}
	check := func(key string) func() error { return func() error { return f.problemOf(key) } }

	var proxies []string
	for _, p := range proxyLabels {
		proxies = append(proxies, p.label)
	}
	n.proxySelect = &widget.Select{Options: proxies, OnChanged: func(string) { n.refresh(); f.edited() }}
	n.proxy = newOtherField("network.proxy", "Proxy", n.proxySelect)
	n.proxyURL = newField("network.proxy_url", "Proxy URL", f.newEntry("http://proxy.example.com:3128"), check("network.proxy_url"))
	n.proxyURL.setHint("http://, https:// or socks5://, without a username or password in it.")
	n.noProxy = newField("network.no_proxy", "Not through the proxy", f.newEntry("localhost, .internal.example.com, 10.0.0.0/8"), check("network.no_proxy"))
	n.noProxy.setHint("Optional: hosts, domains and address ranges reached directly, separated by commas.")
	n.proxyUser = newField("network.proxy_username", "Proxy username", f.newEntry("Only if the proxy asks for one"), check("network.proxy_username"))
	n.proxyPass = newField("network.proxy_password", "Proxy password", f.newSecretEntry(), check("network.proxy_password"))

	n.caCert = n.pathField("network.ca_cert", "CA certificates", "Choose the CA certificates")
	n.caCert.setHint("Optional: a PEM file of the certificates of a private certificate authority, trusted besides the system's.")
	n.clientCert = n.pathField("network.client_cert", "Client certificate", "Choose the client certificate")
	n.clientCert.setHint("Optional: a PEM file (with its key, or the key below) or a PKCS#12 file (.p12, .pfx).")
	n.clientKey = n.pathField("network.client_key", "Client key", "Choose the client certificate's key")
	n.clientKey.setHint("The PEM file of the certificate's private key, when it is not in the certificate's file.")
	n.passphrase = newField("network.key_passphrase", "Key passphrase", f.newSecretEntry(), nil)

	for _, x := range []*field{n.proxyURL, n.caCert, n.clientCert} { // the title says what they set; a certificate has a passphrase
		x.entry.OnChanged = chain(x.entry.OnChanged, func(string) { n.refresh() })
	}

	// The warning at the top of the form comes and goes with the tick: the form scrolls by as much, so that
	// the check stays under the pointer.
	n.verify = &widget.Check{Text: "Verify TLS certificates", Checked: true, OnChanged: func(bool) {
		f.keepInPlace(n.verify, n.refresh)
		f.edited()
	}}
	n.verifyRow = newOtherField("network.insecure", "", n.verify)

	n.fields = []*field{n.proxy, n.proxyURL, n.noProxy, n.proxyUser, n.proxyPass, n.caCert, n.clientCert, n.clientKey, n.passphrase, n.verifyRow}
	var rows []fyne.CanvasObject
	for _, x := range n.fields {
		rows = append(rows, x.label, x.cell)
	}
	n.item = widget.NewAccordionItem("", container.New(layout.NewFormLayout(), rows...))
	n.accordion = widget.NewAccordion(n.item)

	warnText := &widget.Label{Text: insecureWarning, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance, TextStyle: fyne.TextStyle{Bold: true}}
	n.warning = container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, warnText)
	n.warning.Hide()
	return n
}

// pathField is a field for a file's path, typed or chosen with Choose….
func (n *networkSection) pathField(key, label, title string) *field {
	x := newField(key, label, n.f.newEntry("Path of the file"), func() error { return n.f.problemOf(key) })
	choose := &widget.Button{Text: "Choose…", Icon: theme.FolderOpenIcon(), OnTapped: func() {
		n.f.chooseFile(title, strings.TrimSpace(x.entry.Text), func(p string) {
			x.entry.SetText(filechooser.Rel(n.f.workspaceDir(), p))
			x.validate()
		})
	}}
	return x.withButtons(choose)
}

func chain(a, b func(string)) func(string) {
	return func(s string) {
		if a != nil {
			a(s)
		}
		b(s)
	}
}

// fill shows a resource's network settings; the secret fields are left as they are. The section is opened when
// the resource sets anything in it.
func (n *networkSection) fill(nw *resource.Network) {
	label := proxyLabels[0].label
	for _, p := range proxyLabels {
		if p.proxy == nw.Proxy {
			label = p.label
		}
	}
	n.proxySelect.SetSelected(label)
	n.proxyURL.entry.SetText(nw.ProxyURL)
	n.noProxy.entry.SetText(strings.Join(nw.NoProxy, ", "))
	n.proxyUser.entry.SetText("")
	n.caCert.entry.SetText(nw.CACert)
	n.clientCert.entry.SetText(nw.ClientCert)
	n.clientKey.entry.SetText(nw.ClientKey)
	n.verify.SetChecked(!nw.Insecure)
	if nw.IsZero() {
		n.accordion.CloseAll()
	} else {
		n.accordion.OpenAll()
	}
	n.refresh()
}

// collect is the network settings as the form holds them; a path inside the workspace folder is kept
// relative to it.
func (n *networkSection) collect() resource.Network {
	nw := resource.Network{
		Proxy:      n.selectedProxy(),
		CACert:     n.path(n.caCert),
		ClientCert: n.path(n.clientCert),
		ClientKey:  n.path(n.clientKey),
		Insecure:   !n.verify.Checked,
	}
	if nw.Proxy == resource.ProxyURL {
		nw.ProxyURL = strings.TrimSpace(n.proxyURL.entry.Text)
		for _, h := range strings.Split(n.noProxy.entry.Text, ",") {
			if h = strings.TrimSpace(h); h != "" {
				nw.NoProxy = append(nw.NoProxy, h)
			}
		}
	}
	return nw
}

func (n *networkSection) path(x *field) string {
	return filechooser.Rel(n.f.workspaceDir(), strings.TrimSpace(x.entry.Text))
}

func (n *networkSection) selectedProxy() string {
	for _, p := range proxyLabels {
		if p.label == n.proxySelect.Selected {
			return p.proxy
		}
	}
	return resource.ProxyDefault
}

// typedSecrets adds the network secrets typed into the form that r keeps to out.
func (n *networkSection) typedSecrets(r *resource.Resource, out map[resource.SecretKind]string) {
	user, pass := n.proxyUser.entry.Text, n.proxyPass.entry.Text
	if r.Keeps(resource.SecretProxyAuth) && (user != "" || pass != "") {
		out[resource.SecretProxyAuth] = user + ":" + pass
	}
	if r.Keeps(resource.SecretKeyPassphrase) && n.passphrase.entry.Text != "" {
		out[resource.SecretKeyPassphrase] = n.passphrase.entry.Text
	}
}

// problems are what the form itself finds wrong with the proxy's credentials (the engine checks the rest).
func (n *networkSection) problems() resource.Errors {
	if n.selectedProxy() != resource.ProxyURL {
		return nil
	}
	user, pass := n.proxyUser.entry.Text, n.proxyPass.entry.Text
	var es resource.Errors
	switch {
	case strings.Contains(user, ":"):
		es = append(es, resource.FieldError{Field: "network.proxy_username", Msg: "The proxy username may not contain ':' (it separates the username from the password)"})
	case user == "" && pass != "":
		es = append(es, resource.FieldError{Field: "network.proxy_username", Msg: "Type the proxy username too: it is kept with the password"})
	case user != "" && pass == "":
		es = append(es, resource.FieldError{Field: "network.proxy_password", Msg: "Type the proxy password too: it is kept with the username"})
	}
	return es
}

// refresh shows the rows the proxy choice and the certificate use, the warning while certificates are not
// verified, and says in the section's title what is set.
func (n *networkSection) refresh() {
	byURL := n.selectedProxy() == resource.ProxyURL
	for _, x := range []*field{n.proxyURL, n.noProxy, n.proxyUser, n.proxyPass} {
		x.setVisible(byURL)
	}
	n.passphrase.setVisible(strings.TrimSpace(n.clientCert.entry.Text) != "")
	switch n.selectedProxy() {
	case resource.ProxyDefault:
		n.proxy.setHint("The workspace's proxy setting, or the system's when it sets none.")
	case resource.ProxySystem:
		n.proxy.setHint("As the system is set up (on Linux, the HTTPS_PROXY, HTTP_PROXY and NO_PROXY settings).")
	default:
		n.proxy.setHint("")
	}
	if n.verify.Checked {
		n.warning.Hide()
		n.verifyRow.hint.Importance = widget.MediumImportance
		n.verifyRow.setHint("The server must prove who it is. For a private certificate authority, choose its certificates above.")
	} else {
		n.warning.Show()
		n.verifyRow.hint.Importance = widget.WarningImportance
		n.verifyRow.setHint(insecureWarning + " Turn this off only for a test server you trust.")
	}
	n.item.Title = n.summary()
	n.accordion.Refresh()
}

// summary is what the section's title says is set, for when it is folded away: "The workspace's proxy",
// "Proxy proxy.example.com:3128, own CA certificates".
func (n *networkSection) summary() string {
	var parts []string
	switch n.selectedProxy() {
	case resource.ProxyDefault:
		parts = append(parts, "The workspace's proxy")
	case resource.ProxySystem:
		parts = append(parts, "The system's proxy")
	case resource.ProxyNone:
		parts = append(parts, "No proxy")
	case resource.ProxyURL:
		parts = append(parts, "Proxy "+hostOf(n.proxyURL.entry.Text))
	}
	if strings.TrimSpace(n.caCert.entry.Text) != "" {
		parts = append(parts, "own CA certificates")
	}
	if strings.TrimSpace(n.clientCert.entry.Text) != "" {
		parts = append(parts, "a client certificate")
	}
	if !n.verify.Checked {
		parts = append(parts, "certificates not verified")
	}
	return strings.Join(parts, ", ")
}

// open unfolds the section, so that a field in it can be shown.
func (n *networkSection) open() {
	n.accordion.OpenAll()
}

// problemOf is the message for one field of the resource as the form holds it, as the engine's Validate and
// the form's own checks say it, or nil.
func (f *Form) problemOf(key string) error {
	es := append(f.collect().Validate(), f.net.problems()...)
	if msg := problemFor(es, key); msg != "" {
		return errors.New(msg)
	}
	return nil
}
