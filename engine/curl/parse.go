package curl

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// option is what Parse does with one curl option.
type option int

const (
	optIgnore      option = iota // changes only how curl behaves, not the request: accepted and ignored
	optRequest                   // -X
	optHeader                    // -H
	optData                      // -d, --data, --data-ascii: @file reads a file
	optDataRaw                   // --data-raw: no @file
	optDataBin                   // --data-binary: @file reads a file
	optDataURL                   // --data-urlencode
	optJSON                      // --json
	optURLQuery                  // --url-query
	optUser                      // -u
	optCookie                    // -b
	optGet                       // -G
	optHead                      // -I
	optUserAgent                 // -A
	optReferer                   // -e
	optURL                       // --url
	optCompressed                // --compressed
	optBearer                    // --oauth2-bearer
	optUnsupported               // understood, but apidesk cannot reproduce it
)

type spec struct {
	opt option
	arg bool   // takes a value
	why string // optUnsupported: what to do instead
}

// longOptions maps curl's long option names (without --) to what Parse does with them.
var longOptions = map[string]spec{
	"request":        {opt: optRequest, arg: true},
	"header":         {opt: optHeader, arg: true},
	"data":           {opt: optData, arg: true},
	"data-ascii":     {opt: optData, arg: true},
	"data-raw":       {opt: optDataRaw, arg: true},
	"data-binary":    {opt: optDataBin, arg: true},
	"data-urlencode": {opt: optDataURL, arg: true},
	"json":           {opt: optJSON, arg: true},
	"url-query":      {opt: optURLQuery, arg: true},
	"user":           {opt: optUser, arg: true},
	"cookie":         {opt: optCookie, arg: true},
	"get":            {opt: optGet},
	"head":           {opt: optHead},
	"user-agent":     {opt: optUserAgent, arg: true},
	"referer":        {opt: optReferer, arg: true},
	"url":            {opt: optURL, arg: true},
	"compressed":     {opt: optCompressed},
	"oauth2-bearer":  {opt: optBearer, arg: true},

	// Ways curl itself behaves: they do not change the request apidesk would send.
	"location": {}, "location-trusted": {}, "insecure": {}, "silent": {}, "show-error": {}, "verbose": {},
	"include": {}, "show-headers": {}, "globoff": {}, "fail": {}, "fail-with-body": {}, "fail-early": {},
	"no-buffer": {}, "remote-name": {}, "remote-name-all": {}, "remote-header-name": {}, "remote-time": {},
	"http1.0": {}, "http1.1": {}, "http2": {}, "http2-prior-knowledge": {}, "http3": {}, "http3-only": {},
	"tlsv1": {}, "tlsv1.0": {}, "tlsv1.1": {}, "tlsv1.2": {}, "tlsv1.3": {}, "tr-encoding": {},
	"keepalive": {}, "tcp-nodelay": {}, "tcp-fastopen": {}, "progress-bar": {}, "progress-meter": {},
	"path-as-is": {}, "raw": {}, "ssl-no-revoke": {}, "ssl-revoke-best-effort": {}, "ssl-allow-beast": {},
	"ipv4": {}, "ipv6": {}, "basic": {}, "anyauth": {}, "disable": {}, "create-dirs": {}, "xattr": {},
	"styled-output": {}, "parallel": {}, "parallel-immediate": {}, "alpn": {}, "npn": {}, "sessionid": {},
	"netrc-optional": {}, "buffer": {}, "clobber": {}, "skip-existing": {}, "compressed-ssh": {},
	"no-progress-meter": {}, "no-keepalive": {}, "no-alpn": {}, "no-npn": {}, "no-sessionid": {},
	"no-buffer-size": {}, "suppress-connect-headers": {}, "proxy-insecure": {}, "no-clobber": {},
	"output": {arg: true}, "output-dir": {arg: true}, "write-out": {arg: true}, "max-time": {arg: true},
	"connect-timeout": {arg: true}, "retry": {arg: true}, "retry-delay": {arg: true},
	"retry-max-time": {arg: true}, "retry-connrefused": {}, "retry-all-errors": {}, "max-redirs": {arg: true},
	"limit-rate": {arg: true}, "speed-limit": {arg: true}, "speed-time": {arg: true}, "rate": {arg: true},
	"parallel-max": {arg: true}, "keepalive-time": {arg: true}, "expect100-timeout": {arg: true},
	"happy-eyeballs-timeout-ms": {arg: true}, "dump-header": {arg: true}, "cookie-jar": {arg: true},
	"stderr": {arg: true}, "trace": {arg: true}, "trace-ascii": {arg: true}, "trace-time": {},
	"trace-ids": {}, "trace-config": {arg: true}, "proxy": {arg: true}, "noproxy": {arg: true},
	"proxy-user": {arg: true}, "socks5": {arg: true}, "socks5-hostname": {arg: true}, "resolve": {arg: true},
	"connect-to": {arg: true}, "dns-servers": {arg: true}, "interface": {arg: true}, "local-port": {arg: true},
	"cacert": {arg: true}, "capath": {arg: true}, "proto": {arg: true}, "proto-redir": {arg: true},
	"proto-default": {arg: true}, "max-filesize": {arg: true}, "ciphers": {arg: true},
	"tls13-ciphers": {arg: true}, "tls-max": {arg: true}, "curves": {arg: true}, "pinnedpubkey": {arg: true},

	// Understood, but not something a saved query can hold.
	"form":        {opt: optUnsupported, arg: true, why: "multipart forms are not supported: send the fields as a urlencoded form (-d 'name=value') or as JSON"},
	"form-string": {opt: optUnsupported, arg: true, why: "multipart forms are not supported: send the fields as a urlencoded form (-d 'name=value') or as JSON"},
	"upload-file": {opt: optUnsupported, arg: true, why: "uploading a file is not supported: paste the content with --data-raw"},
	"config":      {opt: optUnsupported, arg: true, why: "options from a config file are not supported: paste the options themselves"},
	"digest":      {opt: optUnsupported, why: "Digest authentication is not supported: apidesk sends Basic, Bearer, API key or OAuth 2.0"},
	"ntlm":        {opt: optUnsupported, why: "NTLM authentication is not supported: apidesk sends Basic, Bearer, API key or OAuth 2.0"},
	"ntlm-wb":     {opt: optUnsupported, why: "NTLM authentication is not supported: apidesk sends Basic, Bearer, API key or OAuth 2.0"},
	"negotiate":   {opt: optUnsupported, why: "Negotiate (Kerberos) authentication is not supported: apidesk sends Basic, Bearer, API key or OAuth 2.0"},
	"aws-sigv4":   {opt: optUnsupported, arg: true, why: "AWS Signature v4 is not supported: apidesk sends Basic, Bearer, API key or OAuth 2.0"},
	"cert":        {opt: optUnsupported, arg: true, why: "client certificates are not supported"},
	"key":         {opt: optUnsupported, arg: true, why: "client certificates are not supported"},
	"netrc":       {opt: optUnsupported, why: "reading credentials from .netrc is not supported: give them with -u, or set them on the resource"},
	"netrc-file":  {opt: optUnsupported, arg: true, why: "reading credentials from a netrc file is not supported: give them with -u, or set them on the resource"},
	"range":       {opt: optUnsupported, arg: true, why: "--range is not supported: send a Range header with -H 'Range: bytes=…' instead"},
	"continue-at": {opt: optUnsupported, arg: true, why: "resuming a transfer is not supported"},
	"time-cond":   {opt: optUnsupported, arg: true, why: "--time-cond is not supported: send an If-Modified-Since header with -H instead"},
	"next":        {opt: optUnsupported, why: "a command with several requests (--next) is not supported: import one request at a time"},
	"variable":    {opt: optUnsupported, arg: true, why: "curl variables are not supported: write the values in place"},
	"expand-url":  {opt: optUnsupported, arg: true, why: "curl variables are not supported: write the values in place"},
	"help":        {opt: optUnsupported, arg: false, why: "this is a request for curl's help, not an HTTP request"},
	"version":     {opt: optUnsupported, arg: false, why: "this asks curl for its version, not for an HTTP request"},
	"manual":      {opt: optUnsupported, arg: false, why: "this asks for curl's manual, not for an HTTP request"},
}

// shortOptions maps curl's one-letter options to their long names.
var shortOptions = map[byte]string{
	'X': "request", 'H': "header", 'd': "data", 'u': "user", 'b': "cookie", 'G': "get", 'I': "head",
	'A': "user-agent", 'e': "referer", 'L': "location", 'k': "insecure", 's': "silent", 'S': "show-error",
	'v': "verbose", 'i': "include", 'g': "globoff", 'f': "fail", 'N': "no-buffer", 'O': "remote-name",
	'J': "remote-header-name", 'R': "remote-time", '#': "progress-bar", '4': "ipv4", '6': "ipv6",
	'0': "http1.0", 'Z': "parallel", 'q': "disable", 'o': "output", 'w': "write-out", 'm': "max-time",
	'x': "proxy", 'U': "proxy-user", 'c': "cookie-jar", 'D': "dump-header", 'Y': "speed-limit",
	'y': "speed-time", 'F': "form", 'T': "upload-file", 'K': "config", 'E': "cert", 'n': "netrc",
	'r': "range", 'C': "continue-at", 'z': "time-cond", ':': "next", 'h': "help", 'V': "version",
	'M': "manual",
}

// parser collects the options of one command.
type parser struct {
	method    string
	head, get bool
	urls      []string
	headers   kv.List
	cookies   kv.List // from -b
	// headerCookies come from Cookie headers; when there is one (even empty), curl sends no -b cookies.
	headerCookies kv.List
	cookieHeader  bool
	userAgent     *string
	referer       *string
	bearer        *string
	data          strings.Builder
	hasData       bool
	isJSON        bool // --json was used
	urlQuery      []string
	user          *string
	compressed    bool
}

// Parse reads a curl command line as bash would run it and returns the request it sends.
func Parse(cmd string) (*Request, error) {
	if t := strings.TrimSpace(cmd); strings.HasPrefix(t, `curl ^"`) || strings.HasSuffix(strings.TrimRight(strings.SplitN(t, "\n", 2)[0], "\r"), " ^") {
		return nil, fmt.Errorf("%w: this looks like \"Copy as cURL (cmd)\" for the Windows command prompt: use \"Copy as cURL (bash)\" instead", ErrUnsupported)
	}
	words, err := splitWords(cmd)
	if err != nil {
		return nil, err
	}
	if len(words) > 0 && words[0] == "$" { // a pasted shell prompt
		words = words[1:]
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("%w: the text is empty: paste a command that starts with curl", ErrSyntax)
	}
	if name := path.Base(strings.ReplaceAll(words[0], `\`, "/")); name != "curl" && !strings.EqualFold(name, "curl.exe") {
		return nil, fmt.Errorf("%w: the command must start with curl", ErrSyntax)
	}
	var p parser
	if err := p.words(words[1:]); err != nil {
		return nil, err
	}
	return p.request()
}

func (p *parser) words(words []string) error {
	for i := 0; i < len(words); i++ {
		w := words[i]
		// next returns the value of an option that takes one: the rest of the word, else the next word.
		next := func(name, rest string, attached bool) (string, error) {
			if attached {
				return rest, nil
			}
			if i+1 >= len(words) {
				return "", fmt.Errorf("%w: the option %s needs a value after it", ErrSyntax, name)
			}
			i++
			return words[i], nil
		}
		switch {
		case w == "--":
			p.urls = append(p.urls, words[i+1:]...)
			return nil
		case strings.HasPrefix(w, "--"):
			name, value, attached := strings.Cut(w[2:], "=")
			sp, ok := longOptions[name]
			if !ok {
				// --no-X turns the switch --X off.
				if off, neg := strings.CutPrefix(name, "no-"); neg && !attached {
					if s, found := longOptions[off]; found && !s.arg && (s.opt == optIgnore || s.opt == optCompressed) {
						if s.opt == optCompressed {
							p.compressed = false
						}
						continue
					}
				}
				return unknownOption("--" + name)
			}
			if attached && !sp.arg {
				return fmt.Errorf("%w: the option --%s takes no value, but has =… after it", ErrSyntax, name)
			}
			var v string
			if sp.arg {
				var err error
				if v, err = next("--"+name, value, attached); err != nil {
					return err
				}
			}
			if err := p.apply("--"+name, sp, v); err != nil {
				return err
			}
		case strings.HasPrefix(w, "-") && len(w) > 1:
			// One or more short options run together (-sSL); one that takes a value takes the rest of the
			// word (-XPOST) or, when nothing is left, the next word.
			for j := 1; j < len(w); j++ {
				long, ok := shortOptions[w[j]]
				if !ok {
					return unknownOption("-" + safeOptionChar(w[j:]))
				}
				sp := longOptions[long]
				name := "-" + string(w[j])
				if !sp.arg {
					if err := p.apply(name, sp, ""); err != nil {
						return err
					}
					continue
				}
				v, err := next(name, w[j+1:], j+1 < len(w))
				if err != nil {
					return err
				}
				if err := p.apply(name, sp, v); err != nil {
					return err
				}
				break
			}
		default:
			p.urls = append(p.urls, w)
		}
	}
	return nil
}

// safeOptionChar returns the first character of s for an error message, or a description of it.
func safeOptionChar(s string) string {
	r := []rune(s)[0]
	if r < 0x20 || r == 0x7f || r == '\uFFFD' {
		return fmt.Sprintf("(character %U)", r)
	}
	return string(r)
}

func unknownOption(name string) error {
	if len(name) > 40 {
		name = name[:40] + "…"
	}
	return fmt.Errorf("%w: curl option %q is not one apidesk knows: remove it, or check its spelling", ErrUnsupported, strings.ToValidUTF8(name, "?"))
}

func (p *parser) apply(name string, sp spec, v string) error {
	switch sp.opt {
	case optIgnore:
	case optUnsupported:
		return fmt.Errorf("%w: %s: %s", ErrUnsupported, name, sp.why)
	case optRequest:
		if v == "" || query.ValidateMethod(v) != nil {
			return fmt.Errorf("%w: %s needs an HTTP method such as GET, POST, PUT, PATCH or DELETE", ErrBadRequest, name)
		}
		p.method = strings.ToUpper(v)
	case optHeader:
		return p.header(name, v)
	case optData, optDataBin:
		if strings.HasPrefix(v, "@") {
			return fmt.Errorf("%w: %s %s reads the body from a file, which apidesk cannot do: paste the content with --data-raw instead", ErrUnsupported, name, truncate(v))
		}
		p.addData(v, true)
	case optDataRaw:
		p.addData(v, true)
	case optDataURL:
		enc, err := urlencodeArg(name, v)
		if err != nil {
			return err
		}
		p.addData(enc, true)
	case optJSON:
		if strings.HasPrefix(v, "@") {
			return fmt.Errorf("%w: %s %s reads the body from a file, which apidesk cannot do: paste the JSON with --json '…' instead", ErrUnsupported, name, truncate(v))
		}
		p.addData(v, false) // curl joins --json pieces without '&'
		p.isJSON = true
	case optURLQuery:
		if raw, ok := strings.CutPrefix(v, "+"); ok {
			p.urlQuery = append(p.urlQuery, raw)
			break
		}
		enc, err := urlencodeArg(name, v)
		if err != nil {
			return err
		}
		p.urlQuery = append(p.urlQuery, enc)
	case optUser:
		p.user = &v
	case optCookie:
		if !strings.Contains(v, "=") {
			return fmt.Errorf("%w: %s without name=value reads cookies from a file, which apidesk cannot do: give them as -b 'name=value; other=value'", ErrUnsupported, name)
		}
		cs, err := parseCookies(v)
		if err != nil {
			return err
		}
		p.cookies = append(p.cookies, cs...)
	case optGet:
		p.get = true
	case optHead:
		p.head = true
	case optUserAgent:
		p.userAgent = &v
	case optReferer:
		v = strings.TrimSuffix(v, ";auto")
		p.referer = &v
	case optURL:
		p.urls = append(p.urls, v)
	case optCompressed:
		p.compressed = true
	case optBearer:
		p.bearer = &v
	}
	return nil
}

func truncate(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func (p *parser) addData(s string, amp bool) {
	if p.hasData && amp {
		p.data.WriteByte('&')
	}
	p.data.WriteString(s)
	p.hasData = true
}

// header reads one -H value: "Name: value", "Name;" (empty value) or "Name:" (curl removes the header).
func (p *parser) header(opt, h string) error {
	if strings.HasPrefix(h, "@") {
		return fmt.Errorf("%w: %s %s reads headers from a file, which apidesk cannot do: give each header with -H 'Name: value'", ErrUnsupported, opt, truncate(h))
	}
	if strings.TrimSpace(h) == "" {
		return nil
	}
	name, value, ok := strings.Cut(h, ":")
	empty := false
	if !ok {
		n, rest, semi := strings.Cut(h, ";")
		if !semi || strings.TrimSpace(rest) != "" {
			return fmt.Errorf("%w: a header given with %s has no ':': write it as -H 'Name: value'", ErrBadRequest, opt)
		}
		name, empty = n, true
	}
	name = strings.TrimSpace(name)
	value = strings.Trim(value, " \t")
	if err := resource.ValidateHeaderName(name); err != nil {
		return fmt.Errorf("%w: header %q: %v", ErrBadRequest, truncate(strings.ToValidUTF8(name, "?")), err)
	}
	if err := resource.ValidateHeaderValue(value); err != nil {
		return fmt.Errorf("%w: header %s: %v", ErrBadRequest, name, err)
	}
	if value == "" && !empty {
		if strings.EqualFold(name, "Cookie") {
			p.cookieHeader = true // curl then sends no -b cookies either
		}
		return nil // "Name:" removes a header curl would add; apidesk adds none of those
	}
	if strings.EqualFold(name, "Cookie") {
		p.cookieHeader = true
		cs, err := parseCookies(value)
		if err != nil {
			return err
		}
		p.headerCookies = append(p.headerCookies, cs...)
		return nil
	}
	p.headers = append(p.headers, kv.On(name, value))
	return nil
}

// parseCookies reads "a=1; b=2" (the form of -b and the Cookie header).
func parseCookies(s string) (kv.List, error) {
	var out kv.List
	for part := range strings.SplitSeq(s, ";") {
		part = strings.Trim(part, " \t")
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		name = strings.Trim(name, " \t")
		if err := resource.ValidateHeaderValue(part); err != nil {
			return nil, fmt.Errorf("%w: cookie %s: %v", ErrBadRequest, truncate(strings.ToValidUTF8(name, "?")), err)
		}
		out = append(out, kv.On(name, value))
	}
	return out, nil
}

// urlencodeArg encodes a --data-urlencode or --url-query value as curl does: "content", "=content" and
// "name=content" encode content; "@file" and "name@file" read a file.
func urlencodeArg(opt, s string) (string, error) {
	i := strings.IndexAny(s, "=@")
	switch {
	case i >= 0 && s[i] == '@':
		return "", fmt.Errorf("%w: %s %s reads the value from a file, which apidesk cannot do: write the value itself, as %s 'name=value'", ErrUnsupported, opt, truncate(s), opt)
	case i == 0:
		return escapeCurl(s[1:]), nil
	case i > 0:
		return s[:i] + "=" + escapeCurl(s[i+1:]), nil
	}
	return escapeCurl(s), nil
}

// escapeCurl percent-encodes every byte but ALPHA DIGIT - . _ ~, as curl_easy_escape does.
func escapeCurl(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// request puts the collected options together the way curl would send them.
func (p *parser) request() (*Request, error) {
	switch len(p.urls) {
	case 0:
		return nil, fmt.Errorf("%w: the command has no URL: add the URL to request", ErrBadRequest)
	case 1:
	default:
		return nil, fmt.Errorf("%w: the command has %d URLs: import one request at a time", ErrUnsupported, len(p.urls))
	}
	r := &Request{Compressed: p.compressed}
	u, user, err := normalizeURL(p.urls[0])
	if err != nil {
		return nil, err
	}
	if user != nil {
		r.HasUser, r.User = true, user.Username()
		r.Password, _ = user.Password()
	}
	if p.user != nil {
		r.HasUser = true
		r.User, r.Password, _ = strings.Cut(*p.user, ":")
	}
	if r.HasUser && strings.Contains(r.User, ":") {
		return nil, fmt.Errorf("%w: the user name may not contain ':' (Basic authentication uses it as the separator)", ErrBadRequest)
	}
	if r.HasUser && (resource.ValidateHeaderValue(r.User) != nil || strings.IndexByte(r.Password, 0) >= 0 || !utf8.ValidString(r.User+r.Password)) {
		// Not UTF-8: a %-escape in the URL made bytes that are not text, which no command line can carry back.
		return nil, fmt.Errorf("%w: the user name or password contains a control character or bytes that are not text: check the -u value or the URL", ErrBadRequest)
	}

	data := p.data.String()
	extra := p.urlQuery
	if p.get && p.hasData {
		extra = append(extra, data)
	}
	for _, q := range extra {
		u = appendQuery(u, q)
	}
	if len(extra) > 0 {
		if _, err := checkURL(u); err != nil {
			return nil, err
		}
	}
	r.URL = u

	r.Headers = p.headers
	implied := func(name string, v *string) error {
		if v == nil {
			return nil
		}
		if _, ok := r.Headers.Get(name, true); ok {
			return nil
		}
		v = new(strings.Trim(*v, " \t")) // as a -H value is read
		if err := resource.ValidateHeaderValue(*v); err != nil {
			return fmt.Errorf("%w: header %s: %v", ErrBadRequest, name, err)
		}
		if *v != "" {
			r.Headers = append(r.Headers, kv.On(name, *v))
		}
		return nil
	}
	var bearer *string
	if p.bearer != nil {
		bearer = new("Bearer " + *p.bearer)
	}
	var jsonType *string
	if p.isJSON {
		jsonType = new("application/json")
	}
	for _, h := range []struct {
		name string
		v    *string
	}{{"User-Agent", p.userAgent}, {"Referer", p.referer}, {"Authorization", bearer}, {"Content-Type", jsonType}, {"Accept", jsonType}} {
		if err := implied(h.name, h.v); err != nil {
			return nil, err
		}
	}
	r.Cookies = p.cookies
	if p.cookieHeader {
		r.Cookies = p.headerCookies
	}

	if p.hasData && !p.get {
		ct, explicit := r.Headers.Get("Content-Type", true)
		if !explicit {
			ct = "application/x-www-form-urlencoded"
		}
		r.Body = interpretBody(data, ct, explicit)
	} else {
		r.Body = query.Body{Kind: query.BodyNone}
	}

	switch {
	case p.method != "":
		r.Method = p.method
	case p.head:
		r.Method = http.MethodHead
	case r.Body.Kind != query.BodyNone:
		r.Method = http.MethodPost
	default:
		r.Method = http.MethodGet
	}
	return r, nil
}

// normalizeURL checks a URL as curl would take it and returns it without #fragment and user:password@ (which it
// returns apart). A URL without a scheme is http://, as in curl.
func normalizeURL(s string) (string, *url.Userinfo, error) {
	if i := strings.Index(s, "://"); i < 0 || strings.ContainsAny(s[:i], "/?#") {
		s = "http://" + s
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	scheme, rest, _ := strings.Cut(s, "://")
	authEnd := strings.IndexAny(rest, "/?")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	var user *url.Userinfo
	if at := strings.LastIndexByte(rest[:authEnd], '@'); at >= 0 {
		u, err := url.Parse(scheme + "://" + rest[:at+1] + "x")
		if err != nil || u.User == nil {
			return "", nil, fmt.Errorf("%w: the user name and password in the URL cannot be read: give them with -u 'user:password' instead", ErrBadRequest)
		}
		user = u.User
		rest = rest[at+1:]
	}
	s = scheme + "://" + rest
	if _, err := checkURL(s); err != nil {
		return "", nil, err
	}
	return s, user, nil
}

// checkURL checks that s is an http or https URL apidesk can send. The messages leave the URL out: its query
// may hold an API key.
func checkURL(s string) (*url.URL, error) {
	if strings.ContainsAny(s, " \t\r\n") {
		return nil, fmt.Errorf("%w: the URL may not contain spaces or line breaks: encode a space as %%20", ErrBadRequest)
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%w: the URL is not valid: check it for typos", ErrBadRequest)
	}
	if sc := strings.ToLower(u.Scheme); sc != "http" && sc != "https" {
		return nil, fmt.Errorf("%w: the URL must start with http:// or https://", ErrUnsupported)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%w: the URL needs a host name after %s://", ErrBadRequest, u.Scheme)
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("%w: the URL is not valid: check it for typos", ErrBadRequest)
	}
	return u, nil
}

// appendQuery adds q to u's query string as curl -G does, escaping what would end or break a URL.
func appendQuery(u, q string) string {
	var b strings.Builder
	b.WriteString(u)
	switch {
	case !strings.Contains(u, "?"):
		b.WriteByte('?')
	case !strings.HasSuffix(u, "?") && !strings.HasSuffix(u, "&"):
		b.WriteByte('&')
	}
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '#' || c <= ' ' || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// interpretBody decides what kind of body data is, given the content type it is sent with.
func interpretBody(data, ct string, explicit bool) query.Body {
	raw := query.Body{Kind: query.BodyRaw, Text: data, ContentType: ct}
	mt := mediaType(ct)
	switch {
	case isJSONType(mt) || !explicit && looksJSON(data):
		if strings.TrimSpace(data) != "" && query.ValidateJSON(data) == nil {
			return query.Body{Kind: query.BodyJSON, Text: data}
		}
	case mt == "application/x-www-form-urlencoded":
		if form, ok := parseForm(data); ok {
			return query.Body{Kind: query.BodyForm, Form: form}
		}
	}
	return raw
}

func isJSONType(mt string) bool {
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// looksJSON reports whether s is a JSON object or array (what people mean by -d '{…}' without a type).
func looksJSON(s string) bool {
	t := strings.TrimSpace(s)
	return (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && query.ValidateJSON(t) == nil
}

// parseForm reads a urlencoded form. It fails (and the body stays raw text) unless every field is name=value
// with a name and valid %-escapes, so that the fields written back out mean the same.
func parseForm(s string) (kv.List, bool) {
	if s == "" {
		return nil, false
	}
	var out kv.List
	for part := range strings.SplitSeq(s, "&") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" {
			return nil, false
		}
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || strings.TrimSpace(k) == "" {
			return nil, false
		}
		out = append(out, kv.On(k, v))
	}
	return out, true
}
