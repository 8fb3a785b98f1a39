package curl

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// Commands as Chrome 131, Firefox 133 and Safari 18 write them with "Copy as cURL (bash)" / "Copy as cURL".
// Chrome puts one option per line, uses -b for cookies, --data-raw for bodies and $'…' (with \uXXXX escapes)
// for values holding a quote, '!' or a control character; Firefox writes one line, a Cookie header, and
// $'…' with \xHH for every non-ASCII character below U+0100; Safari writes -X 'POST' and --data-binary.
const (
	chromeGET = `curl 'https://api.example.com/v1/orders?status=open&page=2' \
  -H 'accept: application/json, text/plain, */*' \
  -H 'accept-language: en-GB,en;q=0.9,de;q=0.8' \
  -H 'authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl' \
  -b '_ga=GA1.1.1234567890.1700000000; session_id=s%3AabcDEF123.xyz; theme=dark' \
  -H 'origin: https://app.example.com' \
  -H 'priority: u=1, i' \
  -H 'referer: https://app.example.com/orders' \
  -H 'sec-ch-ua: "Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"' \
  -H 'sec-ch-ua-mobile: ?0' \
  -H 'sec-ch-ua-platform: "macOS"' \
  -H 'sec-fetch-dest: empty' \
  -H 'sec-fetch-mode: cors' \
  -H 'sec-fetch-site: same-site' \
  -H 'user-agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'`

	chromePOST = `curl 'https://api.example.com/v1/orders' \
  -H 'accept: application/json' \
  -H 'content-type: application/json' \
  -b 'session_id=s%3AabcDEF123.xyz' \
  -H 'origin: https://app.example.com' \
  -H 'x-csrf-token: 4bd1c7f0e2a94d53' \
  --data-raw $'{"sku":"A-1","qty":2,"note":"it\'s a gift\u0021","lines":"one\\ntwo"}'`

	chromePUT = `curl 'https://api.example.com/v1/orders/42' \
  -X 'PUT' \
  -H 'accept: */*' \
  -H 'content-type: application/json' \
  --data-raw '{"qty":3}'`

	firefoxPUT = `curl 'https://api.example.com/v1/orders/42' -X PUT -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' -H 'Accept: application/json' -H 'Accept-Language: en-US,en;q=0.5' -H 'Accept-Encoding: gzip, deflate, br, zstd' -H 'Content-Type: application/json' -H 'Authorization: Bearer abc.def.ghi' -H 'Origin: https://app.example.com' -H 'Connection: keep-alive' -H 'Referer: https://app.example.com/' -H 'Cookie: session_id=xyz; theme=dark' -H 'Sec-Fetch-Dest: empty' -H 'Sec-Fetch-Mode: cors' -H 'Sec-Fetch-Site: same-site' -H 'Priority: u=0' --data-raw $'{"city":"Z\xfcrich","emoji":"\ud83d\ude00"}'`

	firefoxForm = `curl 'https://api.example.com/login' -X POST -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' -H 'Accept: text/html' -H 'Content-Type: application/x-www-form-urlencoded' -H 'Origin: https://api.example.com' --data-raw 'username=ada&password=s3cr%21t&remember=on'`

	safariPOST = `curl 'https://api.example.com/v1/orders' \
-X 'POST' \
-H 'Content-Type: application/json' \
-H 'Accept: application/json' \
-H 'Authorization: Basic YWRhOmxvdmVsYWNl' \
-H 'Accept-Language: en-GB,en;q=0.9' \
--data-binary '{"sku":"A-1"}'`
)

var chromeUA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

func rows(kvs ...string) kv.List {
	var l kv.List
	for i := 0; i+1 < len(kvs); i += 2 {
		l = append(l, kv.On(kvs[i], kvs[i+1]))
	}
	return l
}

var none = query.Body{Kind: query.BodyNone}

func jsonBody(s string) query.Body { return query.Body{Kind: query.BodyJSON, Text: s} }
func formBody(kvs ...string) query.Body {
	return query.Body{Kind: query.BodyForm, Form: rows(kvs...)}
}
func rawBody(s, ct string) query.Body {
	return query.Body{Kind: query.BodyRaw, Text: s, ContentType: ct}
}

// parseCases are commands Parse accepts, with the request each describes.
var parseCases = []struct {
	name string
	cmd  string
	want Request
}{
	{"chrome GET", chromeGET, Request{
		Method: "GET", URL: "https://api.example.com/v1/orders?status=open&page=2",
		Headers: rows("accept", "application/json, text/plain, */*", "accept-language", "en-GB,en;q=0.9,de;q=0.8",
			"authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl",
			"origin", "https://app.example.com", "priority", "u=1, i", "referer", "https://app.example.com/orders",
			"sec-ch-ua", `"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"`, "sec-ch-ua-mobile", "?0",
			"sec-ch-ua-platform", `"macOS"`, "sec-fetch-dest", "empty", "sec-fetch-mode", "cors", "sec-fetch-site", "same-site",
			"user-agent", chromeUA),
		Cookies: rows("_ga", "GA1.1.1234567890.1700000000", "session_id", "s%3AabcDEF123.xyz", "theme", "dark"),
		Body:    none,
	}},
	{"chrome POST with $'…' body", chromePOST, Request{
		Method: "POST", URL: "https://api.example.com/v1/orders",
		Headers: rows("accept", "application/json", "content-type", "application/json", "origin", "https://app.example.com",
			"x-csrf-token", "4bd1c7f0e2a94d53"),
		Cookies: rows("session_id", "s%3AabcDEF123.xyz"),
		Body:    jsonBody(`{"sku":"A-1","qty":2,"note":"it's a gift!","lines":"one\ntwo"}`),
	}},
	{"chrome PUT", chromePUT, Request{
		Method: "PUT", URL: "https://api.example.com/v1/orders/42",
		Headers: rows("accept", "*/*", "content-type", "application/json"),
		Body:    jsonBody(`{"qty":3}`),
	}},
	{"firefox PUT with \\x and surrogate escapes", firefoxPUT, Request{
		Method: "PUT", URL: "https://api.example.com/v1/orders/42",
		Headers: rows("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
			"Accept", "application/json", "Accept-Language", "en-US,en;q=0.5", "Accept-Encoding", "gzip, deflate, br, zstd",
			"Content-Type", "application/json", "Authorization", "Bearer abc.def.ghi", "Origin", "https://app.example.com",
			"Connection", "keep-alive", "Referer", "https://app.example.com/", "Sec-Fetch-Dest", "empty",
			"Sec-Fetch-Mode", "cors", "Sec-Fetch-Site", "same-site", "Priority", "u=0"),
		Cookies: rows("session_id", "xyz", "theme", "dark"),
		Body:    jsonBody(`{"city":"Zürich","emoji":"😀"}`),
	}},
	{"firefox form", firefoxForm, Request{
		Method: "POST", URL: "https://api.example.com/login",
		Headers: rows("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
			"Accept", "text/html", "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://api.example.com"),
		Body: formBody("username", "ada", "password", "s3cr!t", "remember", "on"),
	}},
	{"safari POST", safariPOST, Request{
		Method: "POST", URL: "https://api.example.com/v1/orders",
		Headers: rows("Content-Type", "application/json", "Accept", "application/json",
			"Authorization", "Basic YWRhOmxvdmVsYWNl", "Accept-Language", "en-GB,en;q=0.9"),
		Body: jsonBody(`{"sku":"A-1"}`),
	}},
	{"typed: combined flags, -XPOST, several -d, --compressed", `curl -sSL -XPOST https://api.example.com/v1/items -d name=lamp -d 'color=dark blue' --compressed`, Request{
		Method: "POST", URL: "https://api.example.com/v1/items", Compressed: true,
		Body: formBody("name", "lamp", "color", "dark blue"),
	}},
	{"typed: -sX POST takes the next word", `curl -sX POST https://api.example.com/v1/items`, Request{
		Method: "POST", URL: "https://api.example.com/v1/items", Body: none,
	}},
	{"typed: JSON without a content type", `curl https://api.example.com/v1/items -d '{"name": "lamp"}'`, Request{
		Method: "POST", URL: "https://api.example.com/v1/items", Body: jsonBody(`{"name": "lamp"}`),
	}},
	{"typed: --header= and --request= forms", `curl --request=PATCH --header="X-Trace: abc" --url=https://api.example.com/v1/items/7 --data-raw=@literal`, Request{
		Method: "PATCH", URL: "https://api.example.com/v1/items/7", Headers: rows("X-Trace", "abc"),
		Body: rawBody("@literal", "application/x-www-form-urlencoded"),
	}},
	{"typed: --json adds the JSON headers and joins without &", `curl --json '{"a":' --json '1}' https://api.example.com/v1/items`, Request{
		Method: "POST", URL: "https://api.example.com/v1/items",
		Headers: rows("Content-Type", "application/json", "Accept", "application/json"),
		Body:    jsonBody(`{"a":1}`),
	}},
	{"typed: --json keeps a given Accept", `curl -H 'Accept: text/plain' --json '[1]' https://api.example.com/v1/items`, Request{
		Method: "POST", URL: "https://api.example.com/v1/items",
		Headers: rows("Accept", "text/plain", "Content-Type", "application/json"),
		Body:    jsonBody(`[1]`),
	}},
	{"typed: -G puts data in the query", `curl -G https://api.example.com/v1/search?lang=en --data-urlencode 'q=hello world & more' -d limit=10 --data-urlencode =x/y --data-urlencode 'a b'`, Request{
		Method: "GET", URL: "https://api.example.com/v1/search?lang=en&q=hello%20world%20%26%20more&limit=10&x%2Fy&a%20b",
		Body: none,
	}},
	{"typed: -G with -I is HEAD", `curl -GI https://api.example.com/v1/search? -d q=a -d 'b=%2F'`, Request{
		Method: "HEAD", URL: "https://api.example.com/v1/search?q=a&b=%2F", Body: none,
	}},
	{"typed: -G data with # and a space", `curl -G https://api.example.com/v1/search -d 'q=a#b c'`, Request{
		Method: "GET", URL: "https://api.example.com/v1/search?q=a%23b%20c", Body: none,
	}},
	{"typed: --url-query", `curl https://api.example.com/v1/search --url-query 'q=a b' --url-query '+raw=%41'`, Request{
		Method: "GET", URL: "https://api.example.com/v1/search?q=a%20b&raw=%41", Body: none,
	}},
	{"typed: -u user:password with a colon in the password", `curl -u 'ada:pa:ss' https://api.example.com/v1/me`, Request{
		Method: "GET", URL: "https://api.example.com/v1/me", HasUser: true, User: "ada", Password: "pa:ss", Body: none,
	}},
	{"typed: -u user alone", `curl --user ada https://api.example.com/v1/me`, Request{
		Method: "GET", URL: "https://api.example.com/v1/me", HasUser: true, User: "ada", Body: none,
	}},
	{"typed: user:password@ in the URL, fragment dropped", `curl 'https://ada:l%40ve@api.example.com/v1/me#top'`, Request{
		Method: "GET", URL: "https://api.example.com/v1/me", HasUser: true, User: "ada", Password: "l@ve", Body: none,
	}},
	{"typed: no scheme means http", `curl api.example.com/v1/ping`, Request{
		Method: "GET", URL: "http://api.example.com/v1/ping", Body: none,
	}},
	{"typed: -A, -e, --oauth2-bearer", `curl -A 'probe/1.0' -e 'https://example.org/;auto' --oauth2-bearer tok123 https://api.example.com/v1/me`, Request{
		Method: "GET", URL: "https://api.example.com/v1/me",
		Headers: rows("User-Agent", "probe/1.0", "Referer", "https://example.org/", "Authorization", "Bearer tok123"),
		Body:    none,
	}},
	{"typed: -H wins over -A", `curl -A probe -H 'User-Agent: mine' https://api.example.com/`, Request{
		Method: "GET", URL: "https://api.example.com/", Headers: rows("User-Agent", "mine"), Body: none,
	}},
	{"typed: Name; sends an empty header, Name: removes one", `curl -H 'X-Empty;' -H 'Accept:' https://api.example.com/`, Request{
		Method: "GET", URL: "https://api.example.com/", Headers: rows("X-Empty", ""), Body: none,
	}},
	{"typed: -b cookies", `curl -b 'a=1;b=2' -b 'c=3' https://api.example.com/`, Request{
		Method: "GET", URL: "https://api.example.com/", Cookies: rows("a", "1", "b", "2", "c", "3"), Body: none,
	}},
	{"typed: a Cookie header wins over -b, as in curl", `curl -b 'a=1;b=2' -H 'Cookie: c=3' -H 'cookie: d=4' https://api.example.com/`, Request{
		Method: "GET", URL: "https://api.example.com/", Cookies: rows("c", "3", "d", "4"), Body: none,
	}},
	{"typed: raw body with its type", `curl -H 'Content-Type: text/csv' --data-binary $'id,name\n1,lamp\n' https://api.example.com/v1/import`, Request{
		Method: "POST", URL: "https://api.example.com/v1/import", Headers: rows("Content-Type", "text/csv"),
		Body: rawBody("id,name\n1,lamp\n", "text/csv"),
	}},
	{"typed: not a form stays raw", `curl -d 'hello world' https://api.example.com/v1/echo`, Request{
		Method: "POST", URL: "https://api.example.com/v1/echo",
		Body: rawBody("hello world", "application/x-www-form-urlencoded"),
	}},
	{"typed: JSON type but invalid JSON stays raw", `curl -H 'Content-Type: application/json' -d '{oops' https://api.example.com/v1/echo`, Request{
		Method: "POST", URL: "https://api.example.com/v1/echo", Headers: rows("Content-Type", "application/json"),
		Body: rawBody("{oops", "application/json"),
	}},
	{"typed: empty -d still posts", `curl -d '' https://api.example.com/v1/touch`, Request{
		Method: "POST", URL: "https://api.example.com/v1/touch", Body: rawBody("", "application/x-www-form-urlencoded"),
	}},
	{"typed: -X GET with data keeps the body", `curl -X get -d x=1 https://api.example.com/`, Request{
		Method: "GET", URL: "https://api.example.com/", Body: formBody("x", "1"),
	}},
	{"typed: --head", `curl --head https://api.example.com/health`, Request{
		Method: "HEAD", URL: "https://api.example.com/health", Body: none,
	}},
	{"typed: ignored options with values, --no- switches, --", `curl -o /dev/null -w '%{http_code}' --max-time 5 --retry 3 -x http://proxy:3128 --no-progress-meter --no-compressed --compressed --no-compressed -- https://api.example.com/`, Request{
		Method: "GET", URL: "https://api.example.com/", Body: none,
		Network: resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy:3128"},
	}},
	{"shell: CRLF continuations, comment, prompt, double quotes", "$ curl \"https://api.example.com/v1/items?q=\\\"x\\\"\" \\\r\n  -H \"X-Path: C:\\\\tmp\\n\" \\\r\n  -H \"X-Dollar: costs \\$5 or $ 6\" # trailing comment\r\n", Request{
		Method: "GET", URL: `https://api.example.com/v1/items?q="x"`,
		Headers: rows("X-Path", `C:\tmp\n`, "X-Dollar", "costs $5 or $ 6"), Body: none,
	}},
	{"shell: lines without backslashes read as one command", "curl https://api.example.com/v1/items\n  -H 'X-A: 1'\n", Request{
		Method: "GET", URL: "https://api.example.com/v1/items", Headers: rows("X-A", "1"), Body: none,
	}},
	{"shell: backslash escapes and quote concatenation", `curl https://api.example.com/a\&c -H X-A:\ \'q\' -H 'X-B: it'\''s'`, Request{
		Method: "GET", URL: "https://api.example.com/a&c", Headers: rows("X-A", "'q'", "X-B", "it's"), Body: none,
	}},
	{"typed: ^\" in a body is no Windows command", `curl https://api.example.com/v1/x -H 'Content-Type: application/json' -d '{"re":"^\"x ^"}'`, Request{
		Method: "POST", URL: "https://api.example.com/v1/x", Headers: rows("Content-Type", "application/json"),
		Body: jsonBody(`{"re":"^\"x ^"}`),
	}},
	{"typed: curl.exe and a path to curl", `/usr/bin/curl https://api.example.com/`, Request{
		Method: "GET", URL: "https://api.example.com/", Body: none,
	}},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.cmd)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("Parse:\n got  %#v\n want %#v", *got, tc.want)
			}
		})
	}
}

// TestCommandRoundTrip: what Command writes, Parse reads back into the same request, and writing that again
// gives the same text.
func TestCommandRoundTrip(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.cmd)
			if err != nil {
				t.Skip("not accepted:", err)
			}
			cmd := r.Command()
			back, err := Parse(cmd)
			if err != nil {
				t.Fatalf("Parse(Command()) = %v\n%s", err, cmd)
			}
			r.Notes, back.Notes = nil, nil // what Parse says of how it read the command
			if !reflect.DeepEqual(r, back) {
				t.Errorf("round trip changed the request:\n%s\n got  %#v\n want %#v", cmd, back, r)
			}
			if again := back.Command(); again != cmd {
				t.Errorf("Command is not stable:\n%s\n---\n%s", cmd, again)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, cmd string
		is        error
		says      string
	}{
		{"empty", "  \n", ErrSyntax, "empty"},
		{"not curl", "wget https://api.example.com/", ErrSyntax, "must start with curl"},
		{"unknown option", "curl --frobnicate https://api.example.com/", ErrUnsupported, `"--frobnicate"`},
		{"unknown short option in a cluster", "curl -sQ https://api.example.com/", ErrUnsupported, `"-Q"`},
		{"unknown option with a value keeps the value out", "curl --token=s3cr3t https://api.example.com/", ErrUnsupported, `"--token"`},
		{"switch given a value", "curl --compressed=yes https://api.example.com/", ErrSyntax, "takes no value"},
		{"option without its value", "curl https://api.example.com/ -H", ErrSyntax, "-H needs a value"},
		{"binary data from stdin", "curl --data-binary @- https://api.example.com/", ErrUnsupported, "standard input"},
		{"urlencode from a missing file", "curl --data-urlencode name@file.txt https://api.example.com/", ErrUnsupported, "file.txt, which does not exist"},
		{"headers from a file", "curl -H @headers.txt https://api.example.com/", ErrUnsupported, "headers from a file"},
		{"no URL", "curl -H 'Accept: */*'", ErrBadRequest, "no URL"},
		{"ftp", "curl ftp://files.example.com/a.txt", ErrUnsupported, "http:// or https://"},
		{"space in the URL", "curl 'https://api.example.com/a b'", ErrBadRequest, "spaces"},
		{"bad method", "curl -X 'GET /' https://api.example.com/", ErrBadRequest, "HTTP method"},
		{"header without a colon", "curl -H 'Accept application/json' https://api.example.com/", ErrBadRequest, "no ':'"},
		{"header with a line break", `curl -H $'X-A: 1\r\nX-Injected: 2' https://api.example.com/`, ErrBadRequest, "line break"},
		{"header name with a space", `curl -H 'X A: 1' https://api.example.com/`, ErrBadRequest, "spaces"},
		{"cookie with a line break", `curl -b $'a=1\n2' https://api.example.com/`, ErrBadRequest, "cookie a"},
		{"colon in the user name", `curl 'https://a%3Ab:c@api.example.com/'`, ErrBadRequest, "may not contain ':'"},
		{"open single quote", "curl 'https://api.example.com/", ErrSyntax, "single quote"},
		{"open double quote", "curl \"https://api.example.com/\n-H x", ErrSyntax, "line 1, column 6: a double quote"},
		{"open $'", "curl $'https://api.example.com/", ErrSyntax, "never closed"},
		{"shell variable as the host", `curl https://${HOST}/`, ErrBadRequest, "host is a variable"},
		{"shell expansion with a default", `curl -H "X-A: ${A:-x}" https://api.example.com/`, ErrSyntax, "$A"},
		{"positional parameter", `curl -H "X-A: $1" https://api.example.com/`, ErrSyntax, "shell expansion"},
		{"command substitution", `curl -H "X-A: $(date)" https://api.example.com/`, ErrSyntax, "$(…)"},
		{"backquotes", "curl -H \"X-A: `date`\" https://api.example.com/", ErrSyntax, "backquotes"},
		{"unquoted &", "curl https://api.example.com/?a=1&b=2", ErrSyntax, "unquoted &"},
		{"NUL in $'…'", `curl -H $'X-A: a\u0000b' https://api.example.com/`, ErrSyntax, "NUL"},
		{"windows cmd copy", `curl ^"https://api.example.com/^" ^` + "\r\n" + `  -H ^"accept: */*^"`, ErrUnsupported, "Copy as cURL (bash)"},
		{"windows cmd copy, one line", `curl ^"https://api.example.com/^" -H ^"accept: */*^"`, ErrUnsupported, "Copy as cURL (bash)"},
		{"NUL octal", `curl -H $'X-A: a\0' https://api.example.com/`, ErrSyntax, "NUL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.cmd)
			if err == nil {
				t.Fatalf("Parse accepted it: %#v", r)
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error %q repeats a value from the command", err)
			}
		})
	}
}

func TestSplitWordsANSIC(t *testing.T) {
	tests := []struct{ in, want string }{
		{`$'\x41\101\u00e9\U0001F600'`, "AAé😀"},
		{`$'\cA\e\a\b\f\v\t\r\n'`, "\x01\x1b\a\b\f\v\t\r\n"},
		{`$'\'\"\?\\'`, `'"?\`},
		{`$'\xc3\xa9'`, "é"},            // UTF-8 bytes stay bytes
		{`$'Z\xfcrich'`, "Zürich"},      // Firefox's Latin-1 escape is the character
		{`$'\ud83d\ude00'`, "😀"},        // Firefox's surrogate pair is one character
		{`$'\ud83d'`, "\uFFFD"},         // a lone surrogate is not a character
		{`$'\q\x\u'`, `\q\x\u`},         // unknown or empty escapes stay as written
		{`$'a'"b"'c'd`, "abcd"},         // one word from four pieces
		{`$"translated"`, "translated"}, // $"…" is "…"
		{`'a''b'`, "ab"},
		{`''`, ""},
	}
	for _, tc := range tests {
		got, err := splitWords(tc.in)
		if err != nil {
			t.Errorf("splitWords(%s): %v", tc.in, err)
			continue
		}
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("splitWords(%s) = %q, want [%q]", tc.in, got, tc.want)
		}
	}
}

func TestRequestStringHidesSecrets(t *testing.T) {
	r, err := Parse(chromeGET)
	if err != nil {
		t.Fatal(err)
	}
	s := r.String()
	for _, secret := range []string{"eyJhbGciOiJIUzI1NiJ9", "abcDEF123", "api.example.com"} {
		if strings.Contains(s, secret) {
			t.Errorf("String() = %q shows %q", s, secret)
		}
	}
}
