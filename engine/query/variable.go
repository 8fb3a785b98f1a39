package query

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"apidesk/engine/resource"
)

// VarType is what a {{variable}} holds: it decides the field run mode shows and the values it accepts.
type VarType string

// The types of variable. The zero value is text.
const (
	TypeText      VarType = "text"
	TypeMultiline VarType = "multiline" // text of several lines
	TypeNumber    VarType = "number"    // 10.50, -3
	TypeInteger   VarType = "integer"   // a whole number
	TypeBoolean   VarType = "boolean"   // true or false: a checkbox
	TypeDate      VarType = "date"      // 2026-12-31
	TypeDateTime  VarType = "datetime"  // 2026-12-31T15:04:05Z, or without a zone
	TypeChoice    VarType = "choice"    // one of Options
	TypeSecret    VarType = "secret"    // a password field: never saved, never in history, never in a copied command
)

// VarTypes lists the types in the order a form offers them.
var VarTypes = []VarType{TypeText, TypeMultiline, TypeNumber, TypeInteger, TypeBoolean, TypeDate, TypeDateTime, TypeChoice, TypeSecret}

// Words names a type for a person: "Date and time".
func (t VarType) Words() string {
	switch t {
	case TypeMultiline:
		return "Text (several lines)"
	case TypeNumber:
		return "Number"
	case TypeInteger:
		return "Whole number"
	case TypeBoolean:
		return "Yes or no"
	case TypeDate:
		return "Date"
	case TypeDateTime:
		return "Date and time"
	case TypeChoice:
		return "Choice"
	case TypeSecret:
		return "Secret"
	case TypeText, "":
		return "Text"
	}
	return string(t)
}

// Hint is an example of a value of the type, for a field's placeholder: "like 2026-12-31". Empty for text.
func (t VarType) Hint() string {
	switch t {
	case TypeNumber:
		return "like 10.50"
	case TypeInteger:
		return "like 42"
	case TypeDate:
		return "like 2026-12-31"
	case TypeDateTime:
		return "like 2026-12-31T15:04:05Z"
	}
	return ""
}

// Ranged reports whether a variable of the type may have a Min and a Max.
func (t VarType) Ranged() bool {
	return t == TypeNumber || t == TypeInteger || t == TypeDate || t == TypeDateTime
}

// Patterned reports whether a variable of the type may have a Pattern.
func (t VarType) Patterned() bool {
	return t == "" || t == TypeText || t == TypeMultiline || t == TypeSecret
}

// Option is one of a choice's values, with the words shown for it (the value when Label is empty).
type Option struct {
	Value string
	Label string
}

// Text is what a person sees for the option.
func (o Option) Text() string {
	if o.Label != "" {
		return o.Label
	}
	return o.Value
}

// Variable describes a {{variable}} for the people who run a saved query: how its field is labelled and
// explained, what it holds and which values it accepts. Check says whether a value is accepted, in words.
type Variable struct {
	Name        string
	Label       string // the field's label; empty: made from the name ("customer_id" reads "Customer id")
	Description string
	Type        VarType // empty is text
	Optional    bool    // may be left empty (it is then sent empty); otherwise the query needs a value
	Default     string  // never set for a secret
	Options     []Option
	Pattern     string // a regular expression the whole value must match (text, multi-line and secret)
	Min, Max    string // bounds for a number, whole number, date or date and time; empty: none
}

// Kind is the variable's type, text when none is set.
func (v Variable) Kind() VarType {
	if v.Type == "" {
		return TypeText
	}
	return v.Type
}

// Secret reports whether the variable holds a secret.
func (v Variable) Secret() bool { return v.Type == TypeSecret }

// Title is the field's label: Label, or one made from the name.
func (v Variable) Title() string {
	if v.Label != "" {
		return v.Label
	}
	s := strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(v.Name)
	if s == "" {
		return v.Name
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// Typed reports whether anything but a description and a default is saved for the variable.
func (v Variable) Typed() bool {
	return v.Label != "" || v.Kind() != TypeText || v.Optional || len(v.Options) > 0 || v.Pattern != "" || v.Min != "" || v.Max != ""
}

// Check says, in words for the person filling the field in, why value is not accepted, or nil. An empty value
// is accepted only for an optional variable, and for a yes-or-no one (unticked: false).
func (v Variable) Check(value string) error {
	_, err := v.Canonical(value)
	return err
}

// Canonical returns value as it is sent: a yes-or-no as true or false, a choice as its option's value (its
// label is accepted too), a date as 2026-12-31, a date and time in ISO 8601 (2026-12-31T15:04:05, with its
// zone when one is given), numbers without the spaces around them. A value not accepted gives Check's error.
func (v Variable) Canonical(value string) (string, error) {
	out, err := v.canonical(value)
	if err != nil {
		return "", err
	}
	return out, nil
}

func (v Variable) canonical(value string) (string, error) {
	name := v.Title()
	t := v.Kind()
	trimmed := strings.TrimSpace(value)
	if t != TypeText && t != TypeMultiline && t != TypeSecret {
		value = trimmed
	}
	if value == "" {
		switch {
		case t == TypeBoolean:
			return "false", nil
		case v.Optional:
			return "", nil
		}
		if t == TypeChoice {
			return "", fmt.Errorf("Pick one of: %s", v.optionWords())
		}
		return "", fmt.Errorf("Fill in %s: the query needs it", name)
	}
	switch t {
	case TypeText, TypeSecret:
		if strings.ContainsAny(value, "\r\n") {
			return "", fmt.Errorf("%s must be on one line", name)
		}
	case TypeNumber:
		n, ok := parseNumber(value)
		if !ok {
			return "", fmt.Errorf("%s must be a number, like 10.50", name)
		}
		return value, v.inRange(n, name)
	case TypeInteger:
		if _, err := strconv.ParseInt(value, 10, 64); err != nil {
			return "", fmt.Errorf("%s must be a whole number, like 42", name)
		}
		n, _ := parseNumber(value)
		return strings.TrimPrefix(value, "+"), v.inRange(n, name)
	case TypeBoolean:
		switch strings.ToLower(value) {
		case "true", "yes", "y", "1", "on":
			return "true", nil
		case "false", "no", "n", "0", "off":
			return "false", nil
		}
		return "", fmt.Errorf("%s must be yes or no (true or false)", name)
	case TypeDate:
		d, err := time.Parse(time.DateOnly, value)
		if err != nil {
			return "", fmt.Errorf("%s must look like 2026-12-31", name)
		}
		out := d.Format(time.DateOnly)
		return out, v.inDates(out, name, "on or after", "on or before")
	case TypeDateTime:
		out, ok := parseDateTime(value)
		if !ok {
			return "", fmt.Errorf("%s must look like 2026-12-31T15:04:05Z (or 2026-12-31 15:04)", name)
		}
		return out, v.inDates(out, name, "at or after", "at or before")
	case TypeChoice:
		for _, o := range v.Options {
			if o.Value == value {
				return o.Value, nil
			}
		}
		for _, o := range v.Options {
			if strings.EqualFold(o.Text(), value) {
				return o.Value, nil
			}
		}
		return "", fmt.Errorf("Pick one of: %s", v.optionWords())
	}
	if v.Pattern != "" {
		re, err := compilePattern(v.Pattern)
		if err == nil && !re.MatchString(value) {
			if v.Description != "" {
				return "", fmt.Errorf("%s is not in the form expected: %s", name, v.Description)
			}
			return "", fmt.Errorf("%s is not in the form expected", name)
		}
	}
	return value, nil
}

func (v Variable) optionWords() string {
	words := make([]string, len(v.Options))
	for i, o := range v.Options {
		words[i] = o.Text()
	}
	return strings.Join(words, ", ")
}

// parseNumber reads a decimal number as a person writes it: 10.50, -3, .5, 1e6. Not "1,000", not NaN.
func parseNumber(s string) (*big.Rat, bool) {
	if strings.ContainsAny(s, "_xXpP") || strings.EqualFold(s, "inf") {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	if ok && strings.Contains(s, "/") {
		return nil, false
	}
	return r, ok
}

// inRange checks a number against Min and Max.
func (v Variable) inRange(n *big.Rat, name string) error {
	if lo, ok := parseNumber(v.Min); ok && n.Cmp(lo) < 0 {
		return fmt.Errorf("%s must be at least %s", name, v.Min)
	}
	if hi, ok := parseNumber(v.Max); ok && n.Cmp(hi) > 0 {
		return fmt.Errorf("%s must be at most %s", name, v.Max)
	}
	return nil
}

// inDates checks a date, or a date and time, in its canonical form against Min and Max, which are of the same
// type. Dates in ISO 8601 compare as texts; a time with a zone is compared in UTC.
func (v Variable) inDates(s, name, after, before string) error {
	at := func(x string) (time.Time, bool) {
		if v.Kind() == TypeDate {
			t, err := time.Parse(time.DateOnly, x)
			return t, err == nil
		}
		c, ok := parseDateTime(x)
		if !ok {
			return time.Time{}, false
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, c); err == nil {
				return t, true
			}
		}
		return time.Time{}, false
	}
	t, _ := at(s)
	if lo, ok := at(v.Min); ok && t.Before(lo) {
		return fmt.Errorf("%s must be %s %s", name, after, v.Min)
	}
	if hi, ok := at(v.Max); ok && t.After(hi) {
		return fmt.Errorf("%s must be %s %s", name, before, v.Max)
	}
	return nil
}

// parseDateTime reads a date and time in ISO 8601, with T or a space between them, with or without seconds
// and zone, and returns it as 2006-01-02T15:04:05 followed by the zone when one was given (Z or ±hh:mm).
func parseDateTime(s string) (string, bool) {
	if t, err := time.Parse(time.RFC3339Nano, strings.Replace(s, " ", "T", 1)); err == nil {
		return t.Format(time.RFC3339Nano), true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02T15:04:05"), true
		}
	}
	return "", false
}

// compilePattern compiles a pattern the whole value must match.
func compilePattern(p string) (*regexp.Regexp, error) {
	return regexp.Compile(`^(?:` + p + `)$`)
}

// validate returns the problems with what is saved for the variable, each with its field ("type", "min").
func (v Variable) validate() []fieldProblem {
	var out []fieldProblem
	add := func(field string, err error) {
		if err != nil {
			out = append(out, fieldProblem{field, err})
		}
	}
	t := v.Kind()
	known := false
	for _, k := range VarTypes {
		known = known || k == t
	}
	if !known {
		words := make([]string, len(VarTypes))
		for i, k := range VarTypes {
			words[i] = string(k)
		}
		add("type", fmt.Errorf("Unknown type %q for {{%s}}: choose %s", v.Type, v.Name, strings.Join(words, ", ")))
		return out
	}
	if t == TypeSecret && v.Default != "" {
		add("default", fmt.Errorf("{{%s}} holds a secret: it cannot have a saved default (each person types it in)", v.Name))
	}
	if t == TypeChoice && len(v.Options) == 0 {
		add("options", fmt.Errorf("{{%s}} is a choice: give it the options to pick from", v.Name))
	}
	for i, o := range v.Options {
		if strings.TrimSpace(o.Value) == "" {
			add(fmt.Sprintf("options[%d]", i), fmt.Errorf("An option of {{%s}} has no value", v.Name))
		}
	}
	if len(v.Options) > 0 && t != TypeChoice {
		add("options", fmt.Errorf("{{%s}} has options but is not a choice: make it a choice, or remove the options", v.Name))
	}
	if v.Pattern != "" {
		if !t.Patterned() {
			add("pattern", fmt.Errorf("{{%s}} is a %s: a pattern is only for text", v.Name, strings.ToLower(t.Words())))
		} else if _, err := compilePattern(v.Pattern); err != nil {
			add("pattern", fmt.Errorf("The pattern of {{%s}} is not a valid regular expression", v.Name))
		}
	}
	bound := Variable{Name: v.Name, Label: v.Label, Type: v.Type}
	for _, b := range []struct{ field, value string }{{"min", v.Min}, {"max", v.Max}} {
		switch {
		case b.value == "":
		case !t.Ranged():
			add(b.field, fmt.Errorf("{{%s}} is a %s: a lowest or highest value is only for numbers and dates", v.Name, strings.ToLower(t.Words())))
		default:
			if _, err := bound.Canonical(b.value); err != nil {
				add(b.field, fmt.Errorf("The %s of {{%s}}: %w", map[string]string{"min": "lowest value", "max": "highest value"}[b.field], v.Name, lowerFirst(err)))
			}
		}
	}
	if v.Default != "" && t != TypeSecret && len(out) == 0 {
		if err := v.Check(v.Default); err != nil {
			add("default", fmt.Errorf("The default of {{%s}}: %w", v.Name, lowerFirst(err)))
		}
	}
	return out
}

type fieldProblem struct {
	field string
	err   error
}

func lowerFirst(err error) error {
	s := err.Error()
	if s == "" {
		return err
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return errors.New(string(r))
}

// Fill returns the values to run the query on res with (nil res: the query's own variables), from the given
// ones: each variable the request uses gets its given value, else its saved default, each put in its
// canonical form (Variable.Canonical); an optional one left empty is sent empty, and a yes-or-no one false. A
// variable with neither value nor default is left out (the runner names it as missing). Values given for
// names the request does not use are kept as they are. problems has, for each variable whose value is not
// accepted, Check's words, keyed by name, and order lists those names in the order of the inputs.
func (q *Query) Fill(res *resource.Resource, given map[string]string) (values map[string]string, problems map[string]error, order []string) {
	values = make(map[string]string, len(given))
	for k, v := range given {
		values[k] = v
	}
	for _, v := range q.Inputs(res) {
		s, ok := given[v.Name]
		if !ok && v.Default != "" && !v.Secret() {
			s, ok = v.Default, true
		}
		if !ok && !v.Optional && v.Kind() != TypeBoolean {
			continue
		}
		c, err := v.Canonical(s)
		if err != nil {
			if problems == nil {
				problems = map[string]error{}
			}
			problems[v.Name] = err
			order = append(order, v.Name)
			continue
		}
		values[v.Name] = c
	}
	return values, problems, order
}

// SecretValues returns the values in vars of the variables saved as secret.
func (q *Query) SecretValues(vars map[string]string) []string {
	if q == nil {
		return nil
	}
	var out []string
	for _, v := range q.Variables {
		if s, ok := vars[v.Name]; ok && v.Secret() && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// WithoutSecrets returns a copy of vars without the values of the variables saved as secret: what a copied
// command, a history or a log may keep.
func (q *Query) WithoutSecrets(vars map[string]string) map[string]string {
	out := make(map[string]string, len(vars))
	for k, v := range vars {
		out[k] = v
	}
	if q == nil {
		return out
	}
	for _, v := range q.Variables {
		if v.Secret() {
			delete(out, v.Name)
		}
	}
	return out
}

// Variable returns what is saved for the variable name, or a variable of that name with nothing saved.
func (q *Query) Variable(name string) Variable {
	for _, v := range q.Variables {
		if v.Name == name {
			return v
		}
	}
	return Variable{Name: name}
}
