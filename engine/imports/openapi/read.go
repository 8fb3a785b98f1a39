// Package openapi reads OpenAPI 3.0 and 3.1 and Swagger 2.0 documents (JSON or YAML, one file or several joined
// by $refs) into an imports.Plan, and writes a resource with its queries as an OpenAPI 3.1 document.
//
// Reading: the servers become the resource's base URL (the others, and the values a server variable may
// take, are offered as BaseURLs); each operation becomes a query named from its summary, operationId or
// method and path, in the folder of its first tag; its path, query, header and cookie parameters become
// {{variables}} typed from their schemas; a request body becomes a JSON body (from its example or a skeleton of
// its schema), a form, a multipart form or a file; the security scheme the document asks for first becomes the
// resource's authentication. What has no place in apidesk (callbacks, other security schemes, cookie API keys,
// an operation's own servers…) is listed in the plan's LeftOut.
//
// The documents are parsed by github.com/getkin/kin-openapi, whose loader resolves $refs across files and
// converts Swagger 2.0 to OpenAPI 3. A $ref is followed to a file in the folder of a document read from a file,
// and to an address on the host a document was read from; to other files and addresses only when
// Options.AllowRemote says so.
package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"

	"apidesk/engine/imports"
)

// Options say how a document is read.
type Options struct {
	// AllowRemote lets a $ref be fetched from another host than the document's own (for a document read from
	// a file, from any address), and read from a file outside the folder of a document read from a file.
	// Without it such a $ref is refused with an ErrRemoteRef.
	AllowRemote bool
	// Discover reads the OpenID Connect discovery document an openIdConnect security scheme names, to fill the
	// resource's sign-in addresses; without it the resource keeps the issuer, and the addresses are found when
	// the person signs in or asks for them.
	Discover bool
	// Client fetches remote $refs and discovery documents; nil is a client with a 30 second timeout.
	Client *http.Client
}

// ErrRemoteRef is matched by errors.Is when a document refers to an address, or a file, that Options do not
// allow.
var ErrRemoteRef = errors.New("a $ref outside the document was not followed")

// RefError is a $ref that was refused or could not be followed.
type RefError struct {
	Ref    string // as written, or the address it leads to
	Remote bool   // refused because it is on another server, or outside the document's folder (see Options.AllowRemote)
	Msg    string
}

func (e *RefError) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrRemoteRef) true for a refused remote reference.
func (e *RefError) Is(target error) bool { return e.Remote && target == ErrRemoteRef }

const formatName = "an OpenAPI or Swagger document"

// maxRefBytes bounds a document a $ref is fetched from.
const maxRefBytes = 64 << 20

// Read reads an OpenAPI 3.x or Swagger 2.0 document into a plan with one resource. A document that is not one,
// or one whose $refs cannot be followed, gives an error matched by errors.Is(err, imports.ErrFormat), which
// names the line or the place in the document; a $ref to another server that opt does not allow is also
// matched by errors.Is(err, ErrRemoteRef).
func Read(ctx context.Context, src imports.Source, opt Options) (*imports.Plan, error) {
	doc, format, order, err := load(ctx, src, opt)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &reader{ctx: ctx, src: src, opt: opt, doc: doc, plan: &imports.Plan{Format: format}, order: order}
	if err := r.read(); err != nil {
		return nil, err
	}
	return r.plan, nil
}

// load parses the document and follows its $refs.
func load(ctx context.Context, src imports.Source, opt Options) (*openapi3.T, string, []string, error) {
	data := src.Data
	version, err := sniff(data)
	if err != nil {
		return nil, "", nil, err
	}
	refs := &refReader{ctx: ctx, src: src, opt: opt, cache: map[string][]byte{}}
	if refs.client = opt.Client; refs.client == nil {
		refs.client = &http.Client{Timeout: 30 * time.Second}
	}
	loader := openapi3.NewLoader()
	loader.Context = ctx
	loader.IsExternalRefsAllowed = true // refReader decides which
	loader.ReadFromURIFunc = refs.read
	location := refs.location()

	var doc *openapi3.T
	var format string
	switch {
	case strings.HasPrefix(version.Swagger, "2"):
		format = "Swagger 2.0"
		var doc2 openapi2.T
		if err := openapi2.UnmarshalFromData(data, &doc2); err != nil {
			if yamlLine.MatchString(err.Error()) {
				return nil, "", nil, parseError(data, err)
			}
			return nil, "", nil, jsonTypeError(data, err)
		}
		if doc, err = openapi2conv.ToV3WithLoader(&doc2, loader, location); err != nil {
			return nil, "", nil, loadError(data, err)
		}
	case strings.HasPrefix(version.OpenAPI, "3"):
		format = "OpenAPI " + shortVersion(version.OpenAPI)
		if version.JSON {
			// kin reads JSON as YAML, whose node tree takes three times the memory (about 350 MB for a
			// 10 MB document); its JSON decoder takes a third of it for about the same time.
			doc = &openapi3.T{}
			if err := json.Unmarshal(data, doc); err != nil {
				// kin's JSON decoder says what is wrong but not where; its YAML reader says the line. (Its
				// loader without a reader of ours follows no $ref to another document.)
				if _, yerr := openapi3.NewLoader().LoadFromData(data); yerr != nil && yamlLine.MatchString(yerr.Error()) {
					return nil, "", nil, parseError(data, yerr)
				}
				return nil, "", nil, jsonTypeError(data, err)
			}
			if err := loader.ResolveRefsIn(doc, location); err != nil {
				return nil, "", nil, loadError(data, err)
			}
			break
		}
		if location != nil {
			doc, err = loader.LoadFromDataWithPath(data, location)
		} else {
			doc, err = loader.LoadFromData(data)
		}
		if err != nil {
			return nil, "", nil, loadError(data, err)
		}
	case version.Swagger != "":
		return nil, "", nil, &imports.FormatError{Format: formatName, Where: "swagger", Msg: fmt.Sprintf("Swagger %s is not a version apidesk reads: it reads Swagger 2.0 and OpenAPI 3", version.Swagger)}
	case version.OpenAPI != "":
		return nil, "", nil, &imports.FormatError{Format: formatName, Where: "openapi", Msg: fmt.Sprintf("OpenAPI %s is not a version apidesk reads: it reads OpenAPI 3.0, 3.1 and Swagger 2.0", version.OpenAPI)}
	default:
		return nil, "", nil, &imports.FormatError{Format: formatName, Msg: `it does not say which OpenAPI version it is (an "openapi: 3.1.0" or "swagger: '2.0'" line at its top)`}
	}
	return doc, format, version.Paths, nil
}

// shortVersion is "3.1" for "3.1.0".
func shortVersion(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

// version is what a document says it is, and what Read needs to know of it before kin reads it.
type version struct {
	OpenAPI string
	Swagger string
	JSON    bool     // the document is JSON (else YAML)
	Paths   []string // the keys of its paths, in the order written, as far as they were found
}

// topVersion finds a YAML document's top-level openapi or swagger key without parsing it whole.
var topVersion = regexp.MustCompile(`(?m)^["']?(openapi|swagger)["']?[ \t]*:[ \t]*["']?([^"'\s#]*)`)

// sniff tells which version a document is, and finds a JSON document's syntax errors (with their line) that
// kin's YAML-first parser would describe in YAML's words.
func sniff(data []byte) (version, error) {
	var v version
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return v, &imports.FormatError{Format: formatName, Msg: "the file is empty"}
	}
	if trimmed[0] == '{' {
		return sniffJSON(data)
	}
	if trimmed[0] == '[' {
		return v, &imports.FormatError{Format: formatName, Where: "line 1", Msg: "it is a list or a single value, where an OpenAPI document is a mapping of openapi, info, paths…"}
	}
	for _, m := range topVersion.FindAllSubmatch(data, -1) {
		switch string(m[1]) {
		case "openapi":
			if v.OpenAPI == "" {
				v.OpenAPI = string(m[2])
			}
		case "swagger":
			if v.Swagger == "" {
				v.Swagger = string(m[2])
			}
		}
	}
	if v.OpenAPI != "" && v.Swagger != "" {
		v.Swagger = "" // an openapi key wins, as kin reads it
	}
	v.Paths = yamlPaths(data)
	if v.OpenAPI == "" && v.Swagger == "" {
		// Not found where YAML puts top-level keys: let the YAML parser say what is wrong, with its line.
		var probe yaml.Node
		if err := yaml.Unmarshal(data, &probe); err != nil {
			return v, parseError(data, err)
		}
		if len(probe.Content) > 0 && probe.Content[0].Kind != yaml.MappingNode {
			return v, &imports.FormatError{Format: formatName, Where: "line 1", Msg: "it is a list or a single value, where an OpenAPI document is a mapping of openapi, info, paths…"}
		}
	}
	return v, nil
}

// sniffJSON reads the top-level keys of a JSON document, skipping their values.
func sniffJSON(data []byte) (version, error) {
	v := version{JSON: true}
	dec := json.NewDecoder(bytes.NewReader(data))
	fail := func(err error) (version, error) { return v, jsonError(data, dec, err) }
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		switch key {
		case "paths":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			v.Paths = jsonKeys(raw)
		case "openapi", "swagger":
			var s any
			if err := dec.Decode(&s); err != nil {
				return fail(err)
			}
			str := fmt.Sprint(s)
			if key == "openapi" {
				v.OpenAPI = str
			} else {
				v.Swagger = str
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if v.OpenAPI != "" {
		v.Swagger = ""
	}
	return v, nil
}

// jsonKeys are the keys of a JSON object, in order.
func jsonKeys(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := tok.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

var (
	yamlPathsKey = regexp.MustCompile(`(?m)^["']?paths["']?[ \t]*:[ \t]*(#.*)?\r?$`)
	yamlKey      = regexp.MustCompile(`^( +)('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s#'"][^#]*?)[ \t]*:(?:[ \t]|$)`)
)

// yamlPaths are the keys of a YAML document's paths written in block style, in order, found line by line
// (kin's YAML reader could give them only with a position for every element, which costs memory).
func yamlPaths(data []byte) []string {
	loc := yamlPathsKey.FindIndex(data)
	if loc == nil {
		return nil
	}
	var keys []string
	indent := -1
	for b := range bytes.Lines(data[loc[1]:]) {
		line := strings.TrimRight(string(b), "\r\n")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line[0] != ' ' {
			break // the next top-level key
		}
		m := yamlKey.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if indent < 0 {
			indent = len(m[1])
		}
		if len(m[1]) != indent {
			continue
		}
		k := m[2]
		switch {
		case strings.HasPrefix(k, "'"):
			k = strings.ReplaceAll(k[1:len(k)-1], "''", "'")
		case strings.HasPrefix(k, `"`):
			if u, err := strconv.Unquote(k); err == nil {
				k = u
			}
		}
		keys = append(keys, k)
	}
	return keys
}

var jsonType = regexp.MustCompile(`cannot unmarshal (\w+) into (?:Go )?(?:struct )?(?:field (\w+)\.([\w.]+)|value) of type ([\w.]+)`)

// jsonTypeError is a FormatError for a document whose values are not of the types OpenAPI gives them, as kin's
// JSON decoder says it: with the field, not the line.
func jsonTypeError(data []byte, err error) error {
	what := func(t string) string {
		if w := map[string]string{"number": "a number", "string": "a text", "bool": "a yes or no", "array": "a list", "object": "a mapping"}[t]; w != "" {
			return w
		}
		return "a value"
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		where := "line " + strconv.Itoa(lineAt(data, int(te.Offset)))
		if te.Field != "" {
			where += " (" + te.Field + ")"
		}
		return &imports.FormatError{Format: formatName, Where: where, Msg: what(te.Value) + " is not what belongs here"}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &imports.FormatError{Format: formatName, Where: "line " + strconv.Itoa(lineAt(data, int(se.Offset))), Msg: "it is not valid JSON here"}
	}
	if m := jsonType.FindStringSubmatch(err.Error()); m != nil {
		place := m[4]
		if m[2] != "" {
			place = m[2] + "." + m[3]
		}
		if i := strings.LastIndex(place, "openapi3."); i >= 0 {
			place = place[i+len("openapi3."):]
		}
		return &imports.FormatError{Format: formatName, Where: place, Msg: what(m[1]) + " is not what belongs here"}
	}
	return &imports.FormatError{Format: formatName, Msg: firstLine(err.Error())}
}

// jsonError is a FormatError at the line of a JSON syntax error.
func jsonError(data []byte, dec *json.Decoder, err error) error {
	off := int(dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	msg := "it is not valid JSON"
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		msg = "it stops before its end: a } or ] is missing"
		off = len(data)
	case se != nil:
		msg = "it is not valid JSON here (" + se.Error() + ")"
	}
	return &imports.FormatError{Format: formatName, Where: "line " + strconv.Itoa(lineAt(data, off)), Msg: msg}
}

// lineAt is the line, from 1, of the byte at offset off.
func lineAt(data []byte, off int) int {
	off = max(0, min(off, len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

var (
	yamlLine    = regexp.MustCompile(`line (\d+): (.*)`)
	yamlConvert = regexp.MustCompile("cannot (?:construct|unmarshal) !!(\\w+)(?: `([^`]*)`)? into \\S+(?: in (\\S+))?")
	inURI       = regexp.MustCompile(`in (?:fragment in )?URI: "([^"]*)"`)
)

// parseError turns a parser's error into a FormatError with the line (and place) it names, in words.
func parseError(data []byte, err error) error {
	var fe *imports.FormatError
	if errors.As(err, &fe) {
		return err
	}
	s := err.Error()
	s = strings.TrimPrefix(s, "failed to unmarshal data: ")
	if i := strings.LastIndex(s, "yaml error: "); i >= 0 {
		s = s[i+len("yaml error: "):]
	}
	s = strings.TrimPrefix(s, "yaml: ")
	s = strings.TrimPrefix(s, "construct errors: ")
	s = strings.TrimPrefix(s, "unmarshal errors:\n  ")
	if m := yamlLine.FindStringSubmatch(s); m != nil {
		where := "line " + m[1]
		msg := m[2]
		if c := yamlConvert.FindStringSubmatch(msg); c != nil {
			what := map[string]string{"int": "a number", "float": "a number", "str": "a text", "bool": "a yes or no",
				"seq": "a list", "map": "a mapping", "null": "nothing"}[c[1]]
			if what == "" {
				what = "a value"
			}
			if c[2] != "" && len(c[2]) < 40 {
				what += " (" + c[2] + ")"
			}
			msg = what + " is not what belongs here"
			if c[3] != "" {
				where += " (" + pointerWords(c[3]) + ")"
			}
		} else {
			msg = "the YAML is not well formed: " + msg
		}
		return &imports.FormatError{Format: formatName, Where: where, Msg: msg}
	}
	return &imports.FormatError{Format: formatName, Msg: firstLine(s)}
}

// pointerWords writes a JSON pointer (/paths/~1pets/get) as a place in the document: paths./pets.get.
func pointerWords(p string) string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
	}
	return strings.Join(parts, ".")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// loadError is parseError for what the loader says after parsing: $refs it could not follow, above all.
func loadError(data []byte, err error) error {
	var re *RefError
	if errors.As(err, &re) {
		return &refFormatError{FormatError: imports.FormatError{Format: formatName, Where: refLine(data, re.Ref), Msg: re.Msg}, ref: re}
	}
	s := err.Error()
	if m := inURI.FindStringSubmatch(s); m != nil {
		return &imports.FormatError{Format: formatName, Where: refLine(data, m[1]),
			Msg: fmt.Sprintf("the $ref %s points at nothing: check the name after the #", m[1])}
	}
	if strings.Contains(s, "line ") && strings.Contains(s, "unmarshal") {
		return parseError(data, err)
	}
	return &imports.FormatError{Format: formatName, Msg: "its references cannot be followed: " + firstLine(s)}
}

// refFormatError is a FormatError that is also the RefError it came from (errors.Is ErrRemoteRef).
type refFormatError struct {
	imports.FormatError
	ref *RefError
}

func (e *refFormatError) Unwrap() error { return e.ref }

// Is matches imports.ErrFormat; Unwrap gives the RefError (and ErrRemoteRef).
func (e *refFormatError) Is(target error) bool { return target == imports.ErrFormat }

// As gives the FormatError, for a caller that shows where the problem is.
func (e *refFormatError) As(target any) bool {
	if t, ok := target.(**imports.FormatError); ok {
		*t = &e.FormatError
		return true
	}
	return false
}

// refLine is "line N" of the first $ref to ref (or to its file) in data, or "".
func refLine(data []byte, ref string) string {
	for _, s := range []string{ref, strings.SplitN(ref, "#", 2)[0], filepath.Base(strings.SplitN(ref, "#", 2)[0])} {
		if s == "" || s == "." {
			continue
		}
		if i := bytes.Index(data, []byte(s)); i >= 0 {
			return "line " + strconv.Itoa(lineAt(data, i))
		}
	}
	return ""
}

// refReader reads the documents $refs lead to, as Options allow.
type refReader struct {
	ctx    context.Context
	src    imports.Source
	opt    Options
	client *http.Client
	cache  map[string][]byte
}

// location is where the document was read from, as the loader resolves relative $refs against it; nil for a
// document that came from neither a file nor an address.
func (r *refReader) location() *url.URL {
	switch {
	case r.src.Path != "":
		p, err := filepath.Abs(r.src.Path)
		if err != nil {
			p = r.src.Path
		}
		return &url.URL{Path: filepath.ToSlash(p)}
	case r.src.URL != "":
		if u, err := url.Parse(r.src.URL); err == nil && u.Host != "" {
			return u
		}
	}
	return nil
}

func (r *refReader) read(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	key := u.String()
	if b, ok := r.cache[key]; ok {
		return b, nil
	}
	var b []byte
	var err error
	if u.Host == "" && (u.Scheme == "" || u.Scheme == "file") {
		b, err = r.readFile(u)
	} else {
		b, err = r.fetch(u)
	}
	if err != nil {
		return nil, err
	}
	r.cache[key] = b
	return b, nil
}

func (r *refReader) readFile(u *url.URL) ([]byte, error) {
	name := filepath.FromSlash(u.Path)
	switch {
	case r.src.Path == "" && r.src.URL != "":
		return nil, &RefError{Ref: u.Path, Msg: fmt.Sprintf("it refers to the file %s on this computer, which a document read from an address may not open", u.Path)}
	case r.src.Path == "":
		return nil, &RefError{Ref: u.Path, Msg: fmt.Sprintf("it refers to the file %s: import the document from its file, so the files next to it can be read", u.Path)}
	}
	if !r.opt.AllowRemote && !r.inFolder(name) {
		return nil, &RefError{Ref: u.Path, Remote: true, Msg: fmt.Sprintf("it refers to the file %s, outside the folder the document is in: it was not read, "+
			"since a document should not bring other files of this computer into a workspace; allow references outside the document to import it", name)}
	}
	b, err := readFileLimited(name, maxRefBytes)
	if err != nil {
		return nil, &RefError{Ref: u.Path, Msg: fmt.Sprintf("the file %s it refers to cannot be read: %s", filepath.Base(name), fileProblem(err))}
	}
	return b, nil
}

// inFolder reports whether a file is in the folder of the document (or a folder inside it).
func (r *refReader) inFolder(name string) bool {
	root, err := filepath.Abs(filepath.Dir(r.src.Path))
	if err != nil {
		return false
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(root, abs)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (r *refReader) fetch(u *url.URL) ([]byte, error) {
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &RefError{Ref: u.String(), Msg: fmt.Sprintf("it refers to %s, which is neither a file nor a web address", u.Redacted())}
	}
	own := ""
	if src, err := url.Parse(r.src.URL); err == nil && r.src.URL != "" {
		own = src.Host
	}
	if !r.opt.AllowRemote && !strings.EqualFold(u.Host, own) {
		return nil, &RefError{Ref: u.String(), Remote: true, Msg: fmt.Sprintf("it refers to %s, on another server (%s): it was not fetched, "+
			"since a document should not make apidesk contact servers it does not name itself; allow references to other servers to import it", u.Redacted(), u.Hostname())}
	}
	req, err := http.NewRequestWithContext(r.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &RefError{Ref: u.String(), Msg: fmt.Sprintf("it refers to %s, which is not a valid address", u.Redacted())}
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, &RefError{Ref: u.String(), Msg: fmt.Sprintf("%s, which it refers to, could not be fetched: %v", u.Redacted(), unwrapURL(err))}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &RefError{Ref: u.String(), Msg: fmt.Sprintf("%s, which it refers to, answered %d %s", u.Redacted(), resp.StatusCode, http.StatusText(resp.StatusCode))}
	}
	b, err := readLimited(resp.Body, maxRefBytes)
	if err != nil {
		return nil, &RefError{Ref: u.String(), Msg: fmt.Sprintf("%s, which it refers to, could not be read: %v", u.Redacted(), err)}
	}
	return b, nil
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// readLimited reads r whole, refusing more than limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("it is larger than %d MB", limit>>20)
	}
	return b, nil
}

// readFileLimited reads a file whole, refusing one of more than limit bytes.
func readFileLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, limit)
}

// fileProblem says why a file cannot be read, in words.
func fileProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "there is no such file"
	case errors.Is(err, fs.ErrPermission):
		return "you may not read it"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
