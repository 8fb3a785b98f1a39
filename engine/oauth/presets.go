package oauth

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/template"
)

//go:embed presets.yaml
var presetsYAML []byte

// Preset is a provider's OAuth 2.0 settings, so a person pastes only a client ID (and secret). Presets are
// data: see presets.yaml.
type Preset struct {
	ID           string            `yaml:"id"`
	Name         string            `yaml:"name"`
	Vars         []PresetVar       `yaml:"vars"` // asked of the person, used as {{name}} in the URLs
	Issuer       string            `yaml:"issuer"`
	AuthURL      string            `yaml:"auth_url"`
	TokenURL     string            `yaml:"token_url"`
	TokenMethod  string            `yaml:"token_method"`
	DeviceURL    string            `yaml:"device_url"`
	RevokeURL    string            `yaml:"revoke_url"`
	ClientAuth   string            `yaml:"client_auth"`
	Scopes       []string          `yaml:"scopes"`
	AuthParams   map[string]string `yaml:"auth_params"`
	TokenParams  map[string]string `yaml:"token_params"`
	NoPKCE       bool              `yaml:"no_pkce"`
	LoginTestURL string            `yaml:"login_test_url"`
	RegisterURL  string            `yaml:"register_url"` // where the person registers an app to get a client ID
	Notes        string            `yaml:"notes"`        // what to register and how, in a few sentences
}

// PresetVar is a value a preset needs from the person, such as an Okta domain or an Entra tenant.
type PresetVar struct {
	Name    string `yaml:"name"`
	Label   string `yaml:"label"`
	Kind    string `yaml:"kind"` // "host": a host name, pasted with or without https:// and a trailing /
	Default string `yaml:"default"`
	Example string `yaml:"example"`
	Help    string `yaml:"help"`
}

// Presets returns the built-in provider presets, in the order a form lists them.
func Presets() []Preset {
	var ps []Preset
	d := yaml.NewDecoder(bytes.NewReader(presetsYAML))
	d.KnownFields(true)
	if err := d.Decode(&ps); err != nil {
		panic("oauth: presets.yaml does not parse: " + err.Error()) // a build defect, caught by the tests
	}
	return ps
}

// LookupPreset returns the preset with the given ID (case-insensitive).
func LookupPreset(id string) (Preset, error) {
	ps := Presets()
	for _, p := range ps {
		if strings.EqualFold(p.ID, strings.TrimSpace(id)) {
			return p, nil
		}
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return Preset{}, fmt.Errorf("there is no preset %q: choose one of %s", id, strings.Join(ids, ", "))
}

// Apply fills o with the preset's settings, its {{vars}} taken from vars (or their defaults). The client ID,
// the grant and the redirect port are left as they are. A missing or malformed value is an error naming it.
func (p *Preset) Apply(o *resource.OAuth2, vars map[string]string) error {
	values := make(map[string]string, len(p.Vars))
	var missing []string
	for _, v := range p.Vars {
		val := strings.TrimSpace(vars[v.Name])
		if val == "" {
			val = v.Default
		}
		if val == "" {
			missing = append(missing, v.describe())
			continue
		}
		val, err := v.normalize(val)
		if err != nil {
			return err
		}
		values[v.Name] = val
	}
	if len(missing) > 0 {
		return fmt.Errorf("the %s preset needs %s", p.Name, strings.Join(missing, " and "))
	}
	expand := func(s string) (string, error) {
		out, err := template.Expand(s, values)
		if err != nil {
			return "", fmt.Errorf("the %s preset is broken: %w", p.Name, err)
		}
		return out, nil
	}
	next := *o
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&next.Issuer, p.Issuer}, {&next.AuthURL, p.AuthURL}, {&next.TokenURL, p.TokenURL},
		{&next.DeviceURL, p.DeviceURL}, {&next.RevokeURL, p.RevokeURL}, {&next.LoginTestURL, p.LoginTestURL},
	} {
		v, err := expand(f.src)
		if err != nil {
			return err
		}
		*f.dst = v
	}
	next.Preset = p.ID
	next.TokenMethod = p.TokenMethod
	next.ClientAuth = p.ClientAuth
	next.Scopes = slices.Clone(p.Scopes)
	next.DisablePKCE = p.NoPKCE
	var err error
	if next.AuthParams, err = pairs(p.AuthParams, expand); err != nil {
		return err
	}
	if next.TokenParams, err = pairs(p.TokenParams, expand); err != nil {
		return err
	}
	*o = next
	return nil
}

func pairs(m map[string]string, expand func(string) (string, error)) (kv.List, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var l kv.List
	for _, k := range keys {
		v, err := expand(m[k])
		if err != nil {
			return nil, err
		}
		l = append(l, kv.On(k, v))
	}
	return l, nil
}

func (v PresetVar) describe() string {
	s := "a " + strings.ToLower(v.Label)
	if v.Example != "" {
		s += " (for example " + v.Example + ")"
	}
	return s
}

// normalize checks a value and, for a host, strips what people paste around one.
func (v PresetVar) normalize(val string) (string, error) {
	if v.Kind == "host" {
		low := strings.ToLower(val)
		for _, scheme := range []string{"https://", "http://"} {
			if strings.HasPrefix(low, scheme) {
				val, low = val[len(scheme):], low[len(scheme):]
			}
		}
		val = strings.TrimRight(val, "/")
		if val == "" || strings.ContainsAny(val, "/?#@ \t") {
			return "", fmt.Errorf("%s should be a host name, for example %s", v.Label, v.Example)
		}
		return val, nil
	}
	if strings.ContainsAny(val, "/?#&= \t{}") {
		return "", errors.New(v.Label + " may not contain spaces or any of / ? # & = { }")
	}
	return val, nil
}
