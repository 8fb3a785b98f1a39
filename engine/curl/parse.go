package curl

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
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
	optForm                      // -F
	optFormString                // --form-string
	optUpload                    // -T
	optDigest                    // --digest
	optBasic                     // --basic
	optCert                      // --cert
	optKey                       // --key
	optCACert                    // --cacert
	optCertType                  // --cert-type
	optKeyType                   // --key-type
	optPass                      // --pass
	optInsecure                  // -k
	optProxy                     // -x
	optProxyUser                 // -U
	optNoProxy                   // --noproxy
	optSocks5                    // --socks5, --socks5-hostname
	optRange                     // -r
	optJunkSession               // -j
	optNext                      // --next: the options after it are another request
	optUnsupported               // understood, but apidesk cannot reproduce it
)

type spec struct {
	opt  option
	arg  bool   // takes a value
	why  string // optUnsupported: what to do instead
	note string // optIgnore: what the person should know when the option is left out
}

// longOptions maps curl's long option names (without --) to what Parse does with them.
var longOptions = map[string]spec{
	"request":              {opt: optRequest, arg: true},
	"header":               {opt: optHeader, arg: true},
	"data":                 {opt: optData, arg: true},
	"data-ascii":           {opt: optData, arg: true},
	"data-raw":             {opt: optDataRaw, arg: true},
	"data-binary":          {opt: optDataBin, arg: true},
	"data-urlencode":       {opt: optDataURL, arg: true},
	"json":                 {opt: optJSON, arg: true},
	"url-query":            {opt: optURLQuery, arg: true},
	"user":                 {opt: optUser, arg: true},
	"cookie":               {opt: optCookie, arg: true},
	"get":                  {opt: optGet},
	"head":                 {opt: optHead},
	"user-agent":           {opt: optUserAgent, arg: true},
	"referer":              {opt: optReferer, arg: true},
	"url":                  {opt: optURL, arg: true},
	"compressed":           {opt: optCompressed},
	"oauth2-bearer":        {opt: optBearer, arg: true},
	"form":                 {opt: optForm, arg: true},
	"form-string":          {opt: optFormString, arg: true},
	"upload-file":          {opt: optUpload, arg: true},
	"digest":               {opt: optDigest},
	"basic":                {opt: optBasic},
	"cert":                 {opt: optCert, arg: true},
	"key":                  {opt: optKey, arg: true},
	"cacert":               {opt: optCACert, arg: true},
	"cert-type":            {opt: optCertType, arg: true},
	"key-type":             {opt: optKeyType, arg: true},
	"pass":                 {opt: optPass, arg: true},
	"insecure":             {opt: optInsecure},
	"proxy":                {opt: optProxy, arg: true},
	"proxy-user":           {opt: optProxyUser, arg: true},
	"noproxy":              {opt: optNoProxy, arg: true},
	"socks5":               {opt: optSocks5, arg: true},
	"socks5-hostname":      {opt: optSocks5, arg: true},
	"range":                {opt: optRange, arg: true},
	"junk-session-cookies": {opt: optJunkSession},

	// Ways curl itself behaves: they do not change the request apidesk would send.
	"location": {}, "location-trusted": {}, "silent": {}, "show-error": {}, "verbose": {},
	"include": {}, "show-headers": {}, "globoff": {}, "fail": {}, "fail-with-body": {}, "fail-early": {},
	"no-buffer": {}, "remote-name": {}, "remote-name-all": {}, "remote-header-name": {}, "remote-time": {},
	"http1.0": {}, "http1.1": {}, "http2": {}, "http2-prior-knowledge": {}, "http3": {}, "http3-only": {},
	"tlsv1": {}, "tlsv1.0": {}, "tlsv1.1": {}, "tlsv1.2": {}, "tlsv1.3": {}, "tr-encoding": {},
	"keepalive": {}, "tcp-nodelay": {}, "tcp-fastopen": {}, "progress-bar": {}, "progress-meter": {},
	"path-as-is": {}, "raw": {}, "ssl-no-revoke": {}, "ssl-revoke-best-effort": {}, "ssl-allow-beast": {},
	"ipv4": {}, "ipv6": {}, "anyauth": {}, "disable": {}, "create-dirs": {}, "xattr": {},
	"styled-output": {}, "parallel": {}, "parallel-immediate": {}, "alpn": {}, "npn": {}, "sessionid": {},
	"netrc-optional": {}, "buffer": {}, "clobber": {}, "skip-existing": {}, "compressed-ssh": {},
	"no-progress-meter": {}, "no-keepalive": {}, "no-alpn": {}, "no-npn": {}, "no-sessionid": {},
	"no-buffer-size": {}, "suppress-connect-headers": {}, "proxy-insecure": {}, "no-clobber": {},
	"ssl": {}, "ssl-reqd": {}, "cert-status": {}, "false-start": {}, "sasl-ir": {}, "proxy-basic": {},
	"output": {arg: true}, "output-dir": {arg: true}, "write-out": {arg: true}, "max-time": {arg: true},
	"connect-timeout": {arg: true}, "retry": {arg: true}, "retry-delay": {arg: true},
	"retry-max-time": {arg: true}, "retry-connrefused": {}, "retry-all-errors": {}, "max-redirs": {arg: true},
	"limit-rate": {arg: true}, "speed-limit": {arg: true}, "speed-time": {arg: true}, "rate": {arg: true},
	"parallel-max": {arg: true}, "keepalive-time": {arg: true}, "expect100-timeout": {arg: true},
	"happy-eyeballs-timeout-ms": {arg: true}, "dump-header": {arg: true}, "cookie-jar": {arg: true},
	"stderr": {arg: true}, "trace": {arg: true}, "trace-ascii": {arg: true}, "trace-time": {},
	"trace-ids": {}, "trace-config": {arg: true}, "resolve": {arg: true},
	"connect-to": {arg: true}, "dns-servers": {arg: true}, "interface": {arg: true}, "local-port": {arg: true},
	"proto": {arg: true}, "proto-redir": {arg: true},
	"proto-default": {arg: true}, "max-filesize": {arg: true}, "ciphers": {arg: true},
	"tls13-ciphers": {arg: true}, "tls-max": {arg: true}, "curves": {arg: true}, "pinnedpubkey": {arg: true},
	"crlfile": {arg: true}, "doh-url": {arg: true}, "proxy-cacert": {arg: true, note: proxyTLSNote},
	"proxy-capath": {arg: true, note: proxyTLSNote}, "proxy-cert": {arg: true, note: proxyTLSNote},
	"proxy-key": {arg: true, note: proxyTLSNote}, "proxy-pass": {arg: true, note: proxyTLSNote},
	"capath": {arg: true, note: "The folder of CA certificates the command names was left out: apidesk takes one file of CA certificates (PEM) in the resource's network settings."},

	// Understood, but not something a saved query can hold.
	"config":               {opt: optUnsupported, arg: true, why: "options from a config file are not supported: paste the options themselves"},
	"ntlm":                 {opt: optUnsupported, why: "NTLM authentication is not supported: apidesk sends Basic, Digest, Bearer, API key or OAuth 2.0"},
	"ntlm-wb":              {opt: optUnsupported, why: "NTLM authentication is not supported: apidesk sends Basic, Digest, Bearer, API key or OAuth 2.0"},
	"negotiate":            {opt: optUnsupported, why: "Negotiate (Kerberos) authentication is not supported: apidesk sends Basic, Digest, Bearer, API key or OAuth 2.0"},
	"aws-sigv4":            {opt: optUnsupported, arg: true, why: "AWS Signature v4 is not supported: apidesk sends Basic, Digest, Bearer, API key or OAuth 2.0"},
	"proxy-digest":         {opt: optUnsupported, why: "a proxy that wants Digest authentication is not supported: apidesk signs in to a proxy with a user name and password (Basic)"},
	"proxy-ntlm":           {opt: optUnsupported, why: "a proxy that wants NTLM authentication is not supported: apidesk signs in to a proxy with a user name and password (Basic)"},
	"proxy-negotiate":      {opt: optUnsupported, why: "a proxy that wants Negotiate authentication is not supported: apidesk signs in to a proxy with a user name and password (Basic)"},
	"socks4":               {opt: optUnsupported, arg: true, why: "SOCKS4 proxies are not supported: use an HTTP or SOCKS5 proxy"},
	"socks4a":              {opt: optUnsupported, arg: true, why: "SOCKS4 proxies are not supported: use an HTTP or SOCKS5 proxy"},
	"preproxy":             {opt: optUnsupported, arg: true, why: "a chain of proxies is not supported: apidesk goes through one proxy"},
	"unix-socket":          {opt: optUnsupported, arg: true, why: "requests over a Unix socket are not supported: apidesk sends requests over the network"},
	"abstract-unix-socket": {opt: optUnsupported, arg: true, why: "requests over a Unix socket are not supported: apidesk sends requests over the network"},
	"netrc":                {opt: optUnsupported, why: "reading credentials from .netrc is not supported: give them with -u, or set them on the resource"},
	"netrc-file":           {opt: optUnsupported, arg: true, why: "reading credentials from a netrc file is not supported: give them with -u, or set them on the resource"},
	"continue-at":          {opt: optUnsupported, arg: true, why: "resuming a transfer is not supported"},
	"time-cond":            {opt: optUnsupported, arg: true, why: "--time-cond is not supported: send an If-Modified-Since header with -H instead"},
	"next":                 {opt: optNext},
	"variable":             {opt: optUnsupported, arg: true, why: "curl variables are not supported: write the values in place"},
	"expand-url":           {opt: optUnsupported, arg: true, why: "curl variables are not supported: write the values in place"},
	"help":                 {opt: optUnsupported, arg: false, why: "this is a request for curl's help, not an HTTP request"},
	"version":              {opt: optUnsupported, arg: false, why: "this asks curl for its version, not for an HTTP request"},
	"manual":               {opt: optUnsupported, arg: false, why: "this asks for curl's manual, not for an HTTP request"},
}

const proxyTLSNote = "The command's TLS settings for the proxy itself were left out: apidesk checks an https:// proxy's certificate against the system's CA certificates."

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
	'M': "manual", 'j': "junk-session-cookies",
}

// parser collects the options of one command.
type parser struct {
	opts      Options
	stdin     *stdin // the command's standard input, from a redirection
	method    string
	head, get bool
	urls      []string
	headers   kv.List
	cookies   kv.List // from -b
	// headerCookies come from Cookie headers; when there is one (even empty), curl sends no -b cookies.
	headerCookies kv.List
	cookieHeader  bool
	noContentType bool     // -H 'Content-Type:'
	cookieFiles   []string // -b FILE, as written
	junkSession   bool     // -j
	userAgent     *string
	referer       *string
	bearer        *string
	rangeV        *string
	data          strings.Builder
	hasData       bool
	pieces        int        // the -d, --data-binary, --json… given, text and files
	dataFiles     []dataFile // the pieces read from a file, which the body sends from disk
	isJSON        bool       // --json was used
	form          bool       // -F or --form-string was used
	parts         []query.Part
	upload        *string // -T: the file, resolved
	uploadName    string  // -T: the file as written
	urlQuery      []string
	user          *string
	digest        bool
	compressed    bool
	network       resource.Network // CACert, ClientCert, ClientKey, Insecure
	proxy         *string          // -x, --socks5
	proxyUser     *string          // -U
	noProxy       *string          // --noproxy
	keyPass       *string          // --cert FILE:PASSPHRASE, --pass
	notes         []string
}

// dataFile is a piece of data curl reads from a file (-d @FILE).
type dataFile struct {
	opt, path string
}

// Parse reads a curl command line as bash would run it and returns the request it sends. It is Options{}.Parse:
// relative file paths are kept as written.
func Parse(cmd string) (*Request, error) { return Options{}.Parse(cmd) }

// Parse reads a curl command line as bash would run it, in the folder o.Dir, and returns the request it
// sends. It reads the files whose content goes into the request itself (a -b cookie file, --data-urlencode
// name@FILE, -F name=<FILE); a body sent from a file (-F name=@FILE, --data-binary @FILE, -T FILE) stays a
// path, and a file that is not there is kept with a note (see Request.Notes).
func (o Options) Parse(cmd string) (*Request, error) {
	if t := strings.TrimSpace(cmd); strings.HasPrefix(t, `curl ^"`) || strings.HasSuffix(strings.TrimRight(strings.SplitN(t, "\n", 2)[0], "\r"), " ^") {
		return nil, fmt.Errorf("%w: this looks like \"Copy as cURL (cmd)\" for the Windows command prompt: use \"Copy as cURL (bash)\" instead", ErrUnsupported)
	}
	cs, err := splitCommands(cmd)
	if err != nil {
		return nil, err
	}
	c := cs[0]
	words := c.words
	if len(words) > 0 && words[0] == "$" { // a pasted shell prompt
		words = words[1:]
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("%w: the text is empty: paste a command that starts with curl", ErrSyntax)
	}
	if name := path.Base(strings.ReplaceAll(words[0], `\`, "/")); name != "curl" && !strings.EqualFold(name, "curl.exe") {
		return nil, fmt.Errorf("%w: the command must start with curl", ErrSyntax)
	}
	p := parser{opts: o, stdin: c.stdin}
	if len(cs) > 1 {
		p.note("The text holds %d curl commands: this is the first one. Import the others one at a time.", len(cs))
	}
	if len(c.vars) > 0 {
		shown := make([]string, len(c.vars))
		for i, v := range c.vars {
			shown[i] = "$" + v + " is now {{" + v + "}}"
		}
		p.note("The command uses shell variables, whose values are not in it: %s. Give their values when you send the query.", strings.Join(shown, ", "))
	}
	if err := p.words(words[1:]); err != nil {
		return nil, err
	}
	return p.request()
}

// note adds a message for the person (once).
func (p *parser) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !slices.Contains(p.notes, n) {
		p.notes = append(p.notes, n)
	}
}

// checkFile notes a file the request sends from disk that is not there now.
func (p *parser) checkFile(opt, file string) {
	if missing(file) {
		p.note("The file %s is not there now: the query keeps its path, so put the file there before you send it.", file)
	}
}

// inputFile resolves a file an option reads: "-" is the command's standard input, which must come from a file.
func (p *parser) inputFile(opt, name string) (string, error) {
	if name != "-" {
		return p.opts.path(name), nil
	}
	if p.stdin == nil || !p.stdin.isFile {
		return "", p.needStdin(opt)
	}
	return p.opts.path(p.stdin.file), nil
}

// needStdin is the error for an option that reads standard input the command does not give.
func (p *parser) needStdin(opt string) error {
	if p.stdin != nil {
		return fmt.Errorf("%w: %s reads standard input as a file, and the command gives it text: save the text in a file and name the file", ErrUnsupported, opt)
	}
	return fmt.Errorf("%w: %s reads standard input (@-), which is not in the command: write the data in the command, or name the file it comes from", ErrUnsupported, opt)
}

// errNext ends the options of the first request at --next.
var errNext = errors.New("--next")

func (p *parser) words(words []string) error {
	err := p.options(words)
	if err == errNext {
		p.note("The command sends several requests (--next): this is the first one. Import the others one at a time.")
		return nil
	}
	return err
}

func (p *parser) options(words []string) error {
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
					if s, found := longOptions[lookupLong(off)]; found && !s.arg && p.switchOff(s.opt) {
						continue
					}
				}
				if full := lookupLong(name); full != "" {
					name, sp = full, longOptions[full]
				} else {
					return unknownOption("--" + name)
				}
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

// lookupLong returns the long option name is, or the one it is the start of (curl takes --sil for --silent),
// or "" when there is none or more than one.
func lookupLong(name string) string {
	if _, ok := longOptions[name]; ok {
		return name
	}
	if len(name) < 2 {
		return ""
	}
	found := ""
	for full := range longOptions {
		if strings.HasPrefix(full, name) {
			if found != "" {
				return ""
			}
			found = full
		}
	}
	return found
}

// switchOff applies --no-X for a switch --X, and reports whether it is one that can be turned off.
func (p *parser) switchOff(opt option) bool {
	switch opt {
	case optIgnore:
	case optCompressed:
		p.compressed = false
	case optDigest:
		p.digest = false
	case optInsecure:
		p.network.Insecure = false
	case optJunkSession:
		p.junkSession = false
	case optBasic:
	default:
		return false
	}
	return true
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
		if sp.note != "" {
			p.note("%s", sp.note)
		}
	case optUnsupported:
		return fmt.Errorf("%w: %s: %s", ErrUnsupported, name, sp.why)
	case optNext:
		return errNext
	case optRequest:
		if v == "" || query.ValidateMethod(v) != nil {
			return fmt.Errorf("%w: %s needs an HTTP method such as GET, POST, PUT, PATCH or DELETE", ErrBadRequest, name)
		}
		p.method = strings.ToUpper(v)
	case optHeader:
		return p.header(name, v)
	case optData, optDataBin, optJSON:
		amp := sp.opt != optJSON // curl joins --json pieces without '&'
		if sp.opt == optJSON {
			p.isJSON = true
		}
		file, ok := strings.CutPrefix(v, "@")
		if !ok {
			p.addData(v, amp)
			break
		}
		if file == "" {
			return fmt.Errorf("%w: %s @ needs the name of the file to read after the @", ErrBadRequest, name)
		}
		if file == "-" && p.stdin != nil && !p.stdin.isFile {
			text := p.stdin.text
			if sp.opt == optData { // -d leaves out the line breaks of what it reads
				text = strings.NewReplacer("\r", "", "\n", "").Replace(text)
			}
			p.addData(text, amp)
			break
		}
		path, err := p.inputFile(name, file)
		if err != nil {
			return err
		}
		p.dataFiles = append(p.dataFiles, dataFile{opt: name, path: path})
		p.pieces++
		p.checkFile(name, path)
		if sp.opt == optData && hasLineBreaks(path) {
			p.note("curl -d leaves out the line breaks of the file %s; apidesk sends the file as it is (as --data-binary does).", path)
		}
	case optDataRaw:
		p.addData(v, true)
	case optDataURL:
		enc, err := p.urlencodeArg(name, v)
		if err != nil {
			return err
		}
		p.addData(enc, true)
	case optURLQuery:
		if raw, ok := strings.CutPrefix(v, "+"); ok {
			p.urlQuery = append(p.urlQuery, raw)
			break
		}
		enc, err := p.urlencodeArg(name, v)
		if err != nil {
			return err
		}
		p.urlQuery = append(p.urlQuery, enc)
	case optForm, optFormString:
		p.form = true
		return p.formPart(name, v, sp.opt == optFormString)
	case optUpload:
		if p.upload != nil {
			return fmt.Errorf("%w: %s: the command uploads several files, which makes several requests: import one at a time", ErrUnsupported, name)
		}
		if v == "" || v == "." {
			return fmt.Errorf("%w: %s %s uploads standard input, which is not in the command: name the file to upload", ErrUnsupported, name, truncate(v))
		}
		path, err := p.inputFile(name, v)
		if err != nil {
			return err
		}
		p.upload, p.uploadName = &path, v
		if v == "-" {
			p.uploadName = p.stdin.file
		}
		p.checkFile(name, path)
	case optUser:
		p.user = &v
	case optDigest:
		p.digest = true
	case optBasic:
		p.digest = false
	case optCookie:
		if !strings.Contains(v, "=") {
			if v != "" {
				p.cookieFiles = append(p.cookieFiles, v)
			}
			break
		}
		cs, err := parseCookies(v)
		if err != nil {
			return err
		}
		p.cookies = append(p.cookies, cs...)
	case optJunkSession:
		p.junkSession = true
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
	case optRange:
		if v == "" || strings.Trim(v, "0123456789,-") != "" {
			return fmt.Errorf("%w: %s needs byte ranges such as 0-499 or 500-", ErrBadRequest, name)
		}
		p.rangeV = &v
	case optInsecure:
		p.network.Insecure = true
	case optCACert:
		p.network.CACert = p.opts.path(v)
		p.checkFile(name, p.network.CACert)
	case optCert:
		if hasPrefixFold(v, "pkcs11:") {
			return fmt.Errorf("%w: %s: a certificate in a security token (pkcs11:) is not supported: give a certificate file (PEM or PKCS#12)", ErrUnsupported, name)
		}
		file, pass, hasPass := certParam(v)
		if file == "" {
			return fmt.Errorf("%w: %s needs the client certificate's file", ErrBadRequest, name)
		}
		p.network.ClientCert = p.opts.path(file)
		if hasPass {
			p.keyPass = &pass
		}
		p.checkFile(name, p.network.ClientCert)
	case optKey:
		if hasPrefixFold(v, "pkcs11:") {
			return fmt.Errorf("%w: %s: a key in a security token (pkcs11:) is not supported: give a key file (PEM)", ErrUnsupported, name)
		}
		if v == "" {
			return fmt.Errorf("%w: %s needs the client key's file", ErrBadRequest, name)
		}
		p.network.ClientKey = p.opts.path(v)
		p.checkFile(name, p.network.ClientKey)
	case optCertType, optKeyType:
		switch strings.ToUpper(v) {
		case "PEM", "":
		case "P12":
			if sp.opt == optCertType {
				break
			}
			fallthrough
		case "DER":
			return fmt.Errorf("%w: %s %s: apidesk reads certificates and keys in PEM (or PKCS#12) files: convert it to PEM with openssl", ErrUnsupported, name, truncate(v))
		case "ENG":
			return fmt.Errorf("%w: %s ENG: keys in an OpenSSL engine are not supported: give a PEM or PKCS#12 file", ErrUnsupported, name)
		default:
			return fmt.Errorf("%w: %s must be PEM, DER, ENG or P12", ErrBadRequest, name)
		}
	case optPass:
		p.keyPass = &v
	case optProxy:
		p.proxy = &v
	case optSocks5:
		v = "socks5://" + strings.TrimPrefix(strings.TrimPrefix(v, "socks5h://"), "socks5://")
		p.proxy = &v
	case optProxyUser:
		p.proxyUser = &v
	case optNoProxy:
		p.noProxy = &v
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
	p.pieces++
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
		if strings.EqualFold(name, "Content-Type") {
			p.noContentType = true // a file body then goes without one
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
// "name=content" encode content; "@file" and "name@file" encode the file's content, which is read now (and
// "-" is the command's standard input).
func (p *parser) urlencodeArg(opt, s string) (string, error) {
	i := strings.IndexAny(s, "=@")
	switch {
	case i >= 0 && s[i] == '@':
		name, file := s[:i], s[i+1:]
		var content string
		switch {
		case file == "-" && p.stdin != nil && !p.stdin.isFile:
			content = p.stdin.text
		default:
			path, err := p.inputFile(opt, file)
			if err != nil {
				return "", err
			}
			b, err := readSmall(opt, path)
			if err != nil {
				return "", err
			}
			content = string(b)
			p.note("The content of the file %s was read into the request when the command was imported: a later change to the file is not sent.", path)
		}
		if name == "" {
			return escapeCurl(content), nil
		}
		return name + "=" + escapeCurl(content), nil
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
		p.note("The command sends %d requests, one to each of its URLs: this is the first one. Import the others one at a time.", len(p.urls))
	}
	if err := p.bodyConflicts(); err != nil {
		return nil, err
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
	r.Digest = p.digest && r.HasUser

	if p.upload != nil {
		u = uploadURL(u, p.uploadName)
	}
	data := p.data.String()
	extra := p.urlQuery
	if p.get && p.hasData {
		extra = append(extra, data)
	}
	for _, q := range extra {
		u = appendQuery(u, q)
	}
	if len(extra) > 0 || p.upload != nil {
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
	var byteRange *string
	if p.rangeV != nil {
		byteRange = new("bytes=" + *p.rangeV)
	}
	for _, h := range []struct {
		name string
		v    *string
	}{{"User-Agent", p.userAgent}, {"Referer", p.referer}, {"Authorization", bearer}, {"Content-Type", jsonType}, {"Accept", jsonType}, {"Range", byteRange}} {
		if err := implied(h.name, h.v); err != nil {
			return nil, err
		}
	}
	fromFiles, err := p.readCookieFiles(u)
	if err != nil {
		return nil, err
	}
	r.Cookies = append(fromFiles, p.cookies...)
	if len(r.Cookies) == 0 {
		r.Cookies = nil
	}
	if p.cookieHeader {
		r.Cookies = p.headerCookies
	}

	ct, explicit := r.Headers.Get("Content-Type", true)
	switch {
	case p.form:
		r.Body = query.Body{Kind: query.BodyMultipart, Parts: p.parts}
	case p.upload != nil:
		r.Body = query.Body{Kind: query.BodyFile, File: *p.upload, ContentType: ct} // curl sends no type of its own
	case len(p.dataFiles) > 0:
		if !explicit && !p.noContentType {
			ct = "application/x-www-form-urlencoded"
		}
		r.Body = query.Body{Kind: query.BodyFile, File: p.dataFiles[0].path, ContentType: ct}
	case p.hasData && !p.get:
		if !explicit {
			ct = "application/x-www-form-urlencoded"
		}
		r.Body = interpretBody(data, ct, explicit)
	default:
		r.Body = query.Body{Kind: query.BodyNone}
	}

	switch {
	case p.method != "":
		r.Method = p.method
	case p.head:
		r.Method = http.MethodHead
	case p.upload != nil:
		r.Method = http.MethodPut
	case r.Body.Kind != query.BodyNone:
		r.Method = http.MethodPost
	default:
		r.Method = http.MethodGet
	}

	if err := p.networkSettings(r); err != nil {
		return nil, err
	}
	r.Notes = p.notes
	return r, nil
}

// bodyConflicts refuses what curl refuses, or what no single body can send: a form with data, an upload with
// either, a file with other data, -G with a form or a file.
func (p *parser) bodyConflicts() error {
	hasData := p.pieces > 0
	switch {
	case p.form && hasData:
		return fmt.Errorf("%w: the command sends both form fields (-F) and data (-d), which curl refuses too: keep one of them", ErrUnsupported)
	case p.upload != nil && (p.form || hasData):
		return fmt.Errorf("%w: the command both uploads a file (-T) and sends data or form fields, which curl refuses too: keep one of them", ErrUnsupported)
	case p.get && (p.form || len(p.dataFiles) > 0):
		return fmt.Errorf("%w: -G puts the data in the URL, which a form or a file cannot be: leave out -G, or write the values with --url-query", ErrUnsupported)
	case len(p.dataFiles) > 0 && p.pieces > 1:
		return fmt.Errorf("%w: %s @%s sends a file as the body, and the command sends other data with it, which apidesk cannot join: keep only the file, or paste all the data", ErrUnsupported, p.dataFiles[0].opt, shortPath(filepath.Base(p.dataFiles[0].path)))
	}
	return nil
}

// uploadURL is the URL -T sends the file to: curl adds the file's name when the URL's path ends with '/'.
func uploadURL(u, file string) string {
	base, query, hasQuery := strings.Cut(u, "?")
	scheme, rest, _ := strings.Cut(base, "://")
	host, p, _ := strings.Cut(rest, "/")
	p = "/" + p
	if !strings.HasSuffix(p, "/") {
		return u
	}
	name := filepath.Base(strings.ReplaceAll(file, `\`, "/"))
	if name == "." || name == "/" {
		return u
	}
	u = scheme + "://" + host + p + url.PathEscape(name)
	if hasQuery {
		u += "?" + query
	}
	return u
}

// readCookieFiles reads the -b cookie files, and returns the cookies curl would send to u from them, in the
// order curl sends them (before any -b name=value cookies).
func (p *parser) readCookieFiles(u string) (kv.List, error) {
	var all []cookie
	for _, f := range p.cookieFiles {
		path, err := p.inputFile("-b", f)
		if err != nil {
			return nil, err
		}
		if missing(path) {
			p.note("The cookie file %s is not there, so no cookies were read from it.", path)
			continue
		}
		cs, err := cookieFile("-b", path, u, p.junkSession, time.Now())
		if err != nil {
			return nil, err
		}
		for i := range cs {
			cs[i].order += len(all)
		}
		all = append(all, cs...)
		switch len(cs) {
		case 0:
			p.note("The cookie file %s has no cookie for this address, so none was read from it.", path)
		case 1:
			p.note("1 cookie was read from the cookie file %s (the one curl would send to this address).", path)
		default:
			p.note("%d cookies were read from the cookie file %s (the ones curl would send to this address).", len(cs), path)
		}
	}
	return sortCookies(all), nil
}

// networkSettings puts the proxy, CA, client certificate and -k options into r.
func (p *parser) networkSettings(r *Request) error {
	n := p.network
	if p.proxy != nil {
		proxyURL, auth, err := proxySetting("-x", *p.proxy)
		if err != nil {
			return err
		}
		if proxyURL == "" {
			n.Proxy = resource.ProxyNone
		} else {
			n.Proxy, n.ProxyURL, r.ProxyAuth = resource.ProxyURL, proxyURL, auth
		}
	}
	if p.proxyUser != nil {
		if n.Proxy == resource.ProxyURL {
			r.ProxyAuth = *p.proxyUser
		} else {
			p.note("The proxy user name and password were left out: the command names no proxy to sign in to.")
		}
	}
	if p.noProxy != nil {
		list := noProxyList(*p.noProxy)
		switch {
		case slices.Contains(list, "*"):
			n.Proxy, n.ProxyURL, n.NoProxy, r.ProxyAuth = resource.ProxyNone, "", nil, ""
		case n.Proxy == resource.ProxyURL:
			n.NoProxy = list
		case len(list) > 0:
			p.note("The list of hosts reached without a proxy was left out: the command names no proxy.")
		}
	}
	if strings.ContainsAny(r.ProxyAuth, "\r\n\x00") {
		return fmt.Errorf("%w: the proxy user name or password contains a line break: check it", ErrBadRequest)
	}
	if n.ClientKey != "" && n.ClientCert == "" {
		p.note("The client key %s was left out: the command names no client certificate (--cert) for it.", n.ClientKey)
		n.ClientKey = ""
	}
	if p.keyPass != nil && n.ClientCert != "" {
		r.KeyPassphrase = *p.keyPass
	}
	r.Network = n
	return nil
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
	if err != nil && strings.Contains(s, "{{") {
		return nil, fmt.Errorf("%w: the URL's host is a variable (a shell variable in the command): write the host name itself", ErrBadRequest)
	}
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
