package curl

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
)

// workDir makes a folder with files for commands to name, and returns it.
func workDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func textPart(name, value string) query.Part {
	return query.Part{Name: name, Value: value, Enabled: true}
}

func filePart(name, file, filename, ct string) query.Part {
	return query.Part{Name: name, File: file, Filename: filename, ContentType: ct, Enabled: true}
}

func hasNote(notes []string, says string) bool {
	return slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, says) })
}

// TestParseBodies: each way curl sends a body from a form or a file, read in the folder the command runs in.
func TestParseBodies(t *testing.T) {
	dir := workDir(t, map[string]string{
		"photo.png":    "\x89PNG\r\n",
		"a;b.png":      "png",
		"note.txt":     "Dear team,\nhello",
		"body.json":    `{"a":1}`,
		"lines.txt":    "a=1\nb=2\n",
		"up/data.bin":  "\x00\x01",
		"value.txt":    "x y&z",
		"binary.dat":   "\xff\xfe\x00",
		"sub/cert.pem": "-",
	})
	in := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name   string
		cmd    string
		want   Request
		note   string // a note Parse must give
		noNote bool   // Parse gives no note
	}{
		{"-F text fields and a file", `curl https://api.example.com/u -F name=Ada -F 'photo=@photo.png'`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{textPart("name", "Ada"), filePart("photo", in("photo.png"), "", "")}},
		}, "", true},
		{"-F ;type= and ;filename=, in either order, with spaces", `curl https://api.example.com/u -F 'photo=@photo.png; type=image/png;filename=me.png' -F 'doc=@note.txt;filename="my, note.txt";type=text/plain; charset=utf-8'`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
				filePart("photo", in("photo.png"), "me.png", "image/png"),
				filePart("doc", in("note.txt"), "my, note.txt", "text/plain; charset=utf-8"),
			}},
		}, "", true},
		{"-F a quoted file name with ; and an escaped quote", `curl https://api.example.com/u -F 'f=@"a;b.png";type=image/png' -F 'g=@"x\"y\\z.png"'`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
				filePart("f", in("a;b.png"), "", "image/png"), filePart("g", in(`x"y\z.png`), "", ""),
			}},
		}, `x"y\z.png is not there now`, false},
		{"-F a quoted text value and a typed JSON field", `curl https://api.example.com/u -F 'token="a;b"' -F 'meta={"a": 1};type=application/json' -F 'empty=' -F 'sp=  padded  '`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
				textPart("token", "a;b"), {Name: "meta", Value: `{"a": 1}`, ContentType: "application/json", Enabled: true},
				textPart("empty", ""), textPart("sp", "padded"),
			}},
		}, "", true},
		{"-F an unknown attribute is skipped, as curl skips it", `curl https://api.example.com/u -F 'a=1;charset=x'`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{textPart("a", "1")}},
		}, "", true},
		{"--form-string takes @, < and ; as they are", `curl https://api.example.com/u --form-string 'at=@photo.png;type=x/y' --form-string 'lt=<note.txt'`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{textPart("at", "@photo.png;type=x/y"), textPart("lt", "<note.txt")}},
		}, "", true},
		{"-F name=<file is a text field with the file's content", `curl https://api.example.com/u -F 'letter=<note.txt;type=text/plain'`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{{Name: "letter", Value: "Dear team,\nhello", ContentType: "text/plain", Enabled: true}}},
		}, "read when the command was imported", false},
		{"-F name=<file that is not text is sent as a file", `curl https://api.example.com/u -F 'blob=<binary.dat'`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{filePart("blob", in("binary.dat"), "", "")}},
		}, "sent as the file", false},
		{"-F a missing file is kept with a note", `curl https://api.example.com/u -F 'f=@gone.pdf' -X PUT`, Request{
			Method: "PUT", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{filePart("f", in("gone.pdf"), "", "")}},
		}, "gone.pdf is not there now", false},
		{"-F with a Content-Type header", `curl https://api.example.com/u -H 'Content-Type: multipart/form-data' -F a=1`, Request{
			Method: "POST", URL: "https://api.example.com/u", Headers: rows("Content-Type", "multipart/form-data"),
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{textPart("a", "1")}},
		}, "", true},
		{"--data-binary @file with its type", `curl https://api.example.com/u -H 'Content-Type: application/json' --data-binary @body.json`, Request{
			Method: "POST", URL: "https://api.example.com/u", Headers: rows("Content-Type", "application/json"),
			Body: query.Body{Kind: query.BodyFile, File: in("body.json"), ContentType: "application/json"},
		}, "", true},
		{"-d @file without a type is curl's urlencoded; its line breaks are noted", `curl https://api.example.com/u -d @lines.txt`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyFile, File: in("lines.txt"), ContentType: "application/x-www-form-urlencoded"},
		}, "leaves out the line breaks", false},
		{"--data @file with an absolute path", `curl https://api.example.com/u --data '@` + in("body.json") + `'`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: query.Body{Kind: query.BodyFile, File: in("body.json"), ContentType: "application/x-www-form-urlencoded"},
		}, "", true},
		{"--data-binary @file with the type removed", `curl https://api.example.com/u -H 'Content-Type:' --data-binary @up/data.bin`, Request{
			Method: "POST", URL: "https://api.example.com/u", Body: query.Body{Kind: query.BodyFile, File: in("up/data.bin")},
		}, "", true},
		{"--json @file", `curl https://api.example.com/u --json @body.json`, Request{
			Method: "POST", URL: "https://api.example.com/u", Headers: rows("Content-Type", "application/json", "Accept", "application/json"),
			Body: query.Body{Kind: query.BodyFile, File: in("body.json"), ContentType: "application/json"},
		}, "", true},
		{"--data-raw @ is text", `curl https://api.example.com/u --data-raw '@body.json'`, Request{
			Method: "POST", URL: "https://api.example.com/u", Body: rawBody("@body.json", "application/x-www-form-urlencoded"),
		}, "", true},
		{"--data-urlencode, all five forms", `curl https://api.example.com/u --data-urlencode 'a b' --data-urlencode '=c&d' --data-urlencode 'n=e f' --data-urlencode @value.txt --data-urlencode v@value.txt`, Request{
			Method: "POST", URL: "https://api.example.com/u",
			Body: rawBody("a%20b&c%26d&n=e%20f&x%20y%26z&v=x%20y%26z", "application/x-www-form-urlencoded"),
		}, "value.txt was read into the request", false},
		{"--data-urlencode name@file into a form", `curl https://api.example.com/u --data-urlencode v@value.txt --data-urlencode w=1`, Request{
			Method: "POST", URL: "https://api.example.com/u", Body: formBody("v", "x y&z", "w", "1"),
		}, "", false},
		{"--url-query name@file and +raw", `curl https://api.example.com/u --url-query q@value.txt --url-query '+r=a+b'`, Request{
			Method: "GET", URL: "https://api.example.com/u?q=x%20y%26z&r=a+b", Body: none,
		}, "", false},
		{"-T is a PUT of the file, with no type of its own", `curl -T up/data.bin https://api.example.com/u/data`, Request{
			Method: "PUT", URL: "https://api.example.com/u/data", Body: query.Body{Kind: query.BodyFile, File: in("up/data.bin")},
		}, "", true},
		{"-T to a URL ending with / adds the file's name", `curl --upload-file 'up/data.bin' 'https://api.example.com/u/?v=1' -H 'Content-Type: application/octet-stream' -X POST`, Request{
			Method: "POST", URL: "https://api.example.com/u/data.bin?v=1", Headers: rows("Content-Type", "application/octet-stream"),
			Body: query.Body{Kind: query.BodyFile, File: in("up/data.bin"), ContentType: "application/octet-stream"},
		}, "", true},
		{"-T to a host alone", `curl -T photo.png https://api.example.com`, Request{
			Method: "PUT", URL: "https://api.example.com/photo.png", Body: query.Body{Kind: query.BodyFile, File: in("photo.png")},
		}, "", true},
		{"@- from a file", `curl https://api.example.com/u -H 'Content-Type: application/json' --data-binary @- < body.json`, Request{
			Method: "POST", URL: "https://api.example.com/u", Headers: rows("Content-Type", "application/json"),
			Body: query.Body{Kind: query.BodyFile, File: in("body.json"), ContentType: "application/json"},
		}, "", true},
		{"-T - from a file", `cat photo.png | curl -T - https://api.example.com/u/`, Request{
			Method: "PUT", URL: "https://api.example.com/u/photo.png", Body: query.Body{Kind: query.BodyFile, File: in("photo.png")},
		}, "", true},
		{"-d @- from a here-document leaves out its line breaks", "curl https://api.example.com/u -d @- <<'EOF'\na=1&\nb=$HOME\nEOF\n", Request{
			Method: "POST", URL: "https://api.example.com/u", Body: formBody("a", "1", "b", "$HOME"),
		}, "", true},
		{"--data-binary @- from a here-document with a variable", "curl https://api.example.com/u -H 'Content-Type: text/plain' --data-binary @- <<EOF\nhi $NAME\nEOF\n", Request{
			Method: "POST", URL: "https://api.example.com/u", Headers: rows("Content-Type", "text/plain"),
			Body: rawBody("hi {{NAME}}\n", "text/plain"),
		}, "$NAME is now {{NAME}}", false},
		{"--json @- from echo, curl's output piped on", `echo '{"a": 1}' | curl --json @- https://api.example.com/u | jq .`, Request{
			Method: "POST", URL: "https://api.example.com/u", Headers: rows("Content-Type", "application/json", "Accept", "application/json"),
			Body: jsonBody("{\"a\": 1}\n"),
		}, "", true},
		{"--data-urlencode @- from a <<< string", `curl https://api.example.com/u --data-urlencode q@- <<< 'a b'`, Request{
			Method: "POST", URL: "https://api.example.com/u", Body: formBody("q", "a b\n"),
		}, "", true},
		{"output redirections are left out", `curl https://api.example.com/u -o out.json > log.txt 2>&1`, Request{
			Method: "GET", URL: "https://api.example.com/u", Body: none,
		}, "", true},
		{"-r is a Range header", `curl -r 0-499 https://api.example.com/u`, Request{
			Method: "GET", URL: "https://api.example.com/u", Headers: rows("Range", "bytes=0-499"), Body: none,
		}, "", true},
		{"abbreviated options, as curl takes them", `curl --sil --show-e --compressed https://api.example.com/u`, Request{
			Method: "GET", URL: "https://api.example.com/u", Body: none, Compressed: true,
		}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Options{Dir: dir}.Parse(tc.cmd)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			notes := got.Notes
			got.Notes = nil
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("Parse:\n got  %#v\n want %#v", *got, tc.want)
			}
			if tc.note != "" && !hasNote(notes, tc.note) {
				t.Errorf("notes %q do not say %q", notes, tc.note)
			}
			if tc.noNote && len(notes) > 0 {
				t.Errorf("notes %q, want none", notes)
			}
			// What Command writes reads back the same, in the same folder.
			cmd := got.Command()
			back, err := Options{Dir: dir}.Parse(cmd)
			if err != nil {
				t.Fatalf("Parse(Command()) = %v\n%s", err, cmd)
			}
			back.Notes = nil
			if !reflect.DeepEqual(back, got) {
				t.Errorf("Command → Parse changed the request:\n%s\n got  %#v\n want %#v", cmd, back, got)
			}
		})
	}
}

// Without a folder, relative paths stay as written.
func TestParseKeepsRelativePathsWithoutADir(t *testing.T) {
	r, err := Parse(`curl https://api.example.com/u -F 'f=@./docs/a.pdf'`)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Body.Parts[0].File; got != "./docs/a.pdf" {
		t.Errorf("file %q, want ./docs/a.pdf as written", got)
	}
	if !hasNote(r.Notes, "./docs/a.pdf is not there now") {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestParseBodyErrors(t *testing.T) {
	dir := workDir(t, map[string]string{"a.txt": "a", "big.txt": strings.Repeat("x", maxRead+1)})
	if err := os.Mkdir(filepath.Join(dir, "folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, cmd string
		is        error
		says      string
	}{
		{"-F and -d", "curl -F a=b -d c=d https://api.example.com/", ErrUnsupported, "curl refuses too"},
		{"-T and -d", "curl -T a.txt -d c=d https://api.example.com/", ErrUnsupported, "curl refuses too"},
		{"a file and other data", "curl -d a=b --data-binary @a.txt https://api.example.com/", ErrUnsupported, "other data"},
		{"two files", "curl --data-binary @a.txt -d @a.txt https://api.example.com/", ErrUnsupported, "other data"},
		{"-G with a file", "curl -G -d @a.txt https://api.example.com/", ErrUnsupported, "-G puts the data in the URL"},
		{"-G with a form", "curl -G -F a=b https://api.example.com/", ErrUnsupported, "-G puts the data in the URL"},
		{"-d @ without a file", "curl -d @ https://api.example.com/", ErrBadRequest, "name of the file"},
		{"-d @- without stdin", "curl -d @- https://api.example.com/", ErrUnsupported, "standard input (@-)"},
		{"-T - from a program", "date | curl -T - https://api.example.com/", ErrUnsupported, "standard input"},
		{"-T - from text", "curl -T - https://api.example.com/ <<< hi", ErrUnsupported, "gives it text"},
		{"-T .", "curl -T . https://api.example.com/", ErrUnsupported, "name the file"},
		{"two -T", "curl -T a.txt -T a.txt https://api.example.com/", ErrUnsupported, "several files"},
		{"-F without =", "curl -F ab https://api.example.com/", ErrBadRequest, "name=value"},
		{"-F without a name", "curl -F =ab https://api.example.com/", ErrBadRequest, "without a name"},
		{"-F several files in one field", "curl -F 'f=@a.txt,a.txt' https://api.example.com/", ErrUnsupported, "several files in one field"},
		{"-F nested multipart", "curl -F 'f=(;type=multipart/mixed' https://api.example.com/", ErrUnsupported, "nested"},
		{"-F ;headers=", "curl -F 'f=@a.txt;headers=X-A: 1' https://api.example.com/", ErrUnsupported, "its own headers"},
		{"-F ;encoder=", "curl -F 'f=@a.txt;encoder=base64' https://api.example.com/", ErrUnsupported, "encoder"},
		{"-F a bad ;type=", "curl -F 'f=@a.txt;type=png' https://api.example.com/", ErrBadRequest, "not a content type"},
		{"-F a text field with a file name", "curl -F 'f=abc;filename=x.txt' https://api.example.com/", ErrUnsupported, "file name"},
		{"-F name=@- without stdin", "curl -F f=@- https://api.example.com/", ErrUnsupported, "standard input"},
		{"--data-urlencode a missing file", "curl --data-urlencode v@gone.txt https://api.example.com/", ErrUnsupported, "gone.txt, which does not exist"},
		{"--data-urlencode a folder", "curl --data-urlencode v@folder https://api.example.com/", ErrUnsupported, "not a plain file"},
		{"--data-urlencode a device", "curl --data-urlencode v@/dev/zero https://api.example.com/", ErrUnsupported, "not a plain file"},
		{"--data-urlencode a large file", "curl --data-urlencode v@big.txt https://api.example.com/", ErrUnsupported, "larger than 1 MB"},
		{"stdin from a variable", "curl -d @- https://api.example.com/ < $FILE", ErrSyntax, "whose name is not in the text"},
		{"stdin from a command", "curl -d @- https://api.example.com/ < `ls`", ErrSyntax, "whose name is not in the text"},
		{"&& between commands", "curl https://api.example.com/ && curl https://api.example.com/", ErrSyntax, "more than one command"},
		{"a statement after ;", "curl https://api.example.com/?a=1;b=2", ErrSyntax, "more than one command"},
		{"a bad range", "curl -r 'x' https://api.example.com/", ErrBadRequest, "byte ranges"},
		{"a header file", "curl -H @a.txt https://api.example.com/", ErrUnsupported, "headers from a file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Options{Dir: dir}.Parse(tc.cmd)
			if err == nil {
				t.Fatalf("Parse accepted it: %#v", r)
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is more than one line", err)
			}
		})
	}
}

// TestParseCookieFile: -b FILE reads the cookies curl would send to the URL from a Netscape cookie file.
func TestParseCookieFile(t *testing.T) {
	jar := strings.Join([]string{
		"# Netscape HTTP Cookie File",
		"api.example.com\tFALSE\t/\tFALSE\t0\tsession\ts-1",
		".example.com\tTRUE\t/\tFALSE\t4102444800\twide\tw 1",
		"#HttpOnly_api.example.com\tFALSE\t/v1\tTRUE\t4102444800\thttponly\th=1",
		"api.example.com\tFALSE\t/v1/orders\tFALSE\t0\tdeeper\td",
		"api.example.com\tFALSE\t/v10\tFALSE\t0\tsibling\tx",
		"api.example.com\tFALSE\t/\tFALSE\t1\texpired\tx",
		"other.example.org\tFALSE\t/\tFALSE\t0\tforeign\tx",
		"sub.api.example.com\tFALSE\t/\tFALSE\t0\tsubdomain\tx",
		"api.example.com\tFALSE\t/\tTRUE\t0\tsecure\tonly-https",
		"Set-Cookie: hdr=1; Path=/v1; Domain=example.com",
		"Set-Cookie: gone=1; Max-Age=0",
		"not a cookie line",
	}, "\n") + "\n"
	dir := workDir(t, map[string]string{"cookies.txt": jar})
	tests := []struct {
		cmd     string
		cookies kv.List
	}{
		// In curl's order: the longest path first, then the longest domain and name; -b name=value ones last.
		{"curl -b cookies.txt https://api.example.com/v1/x",
			rows("httponly", "h=1", "hdr", "1", "session", "s-1", "secure", "only-https", "wide", "w 1")},
		{"curl -b cookies.txt http://api.example.com/v1/orders/1",
			rows("deeper", "d", "hdr", "1", "session", "s-1", "wide", "w 1")},
		{"curl -j -b 'a=1' -b cookies.txt https://api.example.com/",
			rows("wide", "w 1", "a", "1")},
	}
	for _, tc := range tests {
		t.Run(tc.cmd, func(t *testing.T) {
			r, err := Options{Dir: dir}.Parse(tc.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Cookies, tc.cookies) {
				t.Errorf("cookies:\n got  %v\n want %v", r.Cookies, tc.cookies)
			}
			if !hasNote(r.Notes, "read from the cookie file "+filepath.Join(dir, "cookies.txt")) {
				t.Errorf("notes %q", r.Notes)
			}
		})
	}
	r, err := Options{Dir: dir}.Parse("curl -b gone.txt -c gone.txt https://api.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Cookies) != 0 || !hasNote(r.Notes, "gone.txt is not there") {
		t.Errorf("a missing cookie file: cookies %v, notes %q", r.Cookies, r.Notes)
	}
	if _, err := (Options{Dir: dir}).Parse("curl -b /dev/null https://api.example.com/"); err == nil || !strings.Contains(err.Error(), "not a plain file") {
		t.Errorf("a cookie file that is a device: %v", err)
	}
}

// TestParseShell: shell variables become {{variables}}; several commands, URLs and --next give the first
// request, with a note.
func TestParseShell(t *testing.T) {
	tests := []struct {
		name, cmd string
		want      Request
		note      string
	}{
		{"variables in double quotes and bare", `curl -H "Authorization: Bearer $TOKEN" https://api.example.com/v1/items/${ID} -d "{\"n\": \"$N\"}"`, Request{
			Method: "POST", URL: "https://api.example.com/v1/items/{{ID}}", Headers: rows("Authorization", "Bearer {{TOKEN}}"),
			Body: jsonBody(`{"n": "{{N}}"}`),
		}, "$TOKEN is now {{TOKEN}}, $ID is now {{ID}}, $N is now {{N}}"},
		{"a variable in single quotes is text", `curl -H 'X-A: $A' https://api.example.com/`, Request{
			Method: "GET", URL: "https://api.example.com/", Headers: rows("X-A", "$A"), Body: none,
		}, ""},
		{"several commands", "curl https://api.example.com/a\n\ncurl https://api.example.com/b -d x=1; curl https://api.example.com/c", Request{
			Method: "GET", URL: "https://api.example.com/a", Body: none,
		}, "The text holds 3 curl commands"},
		{"curl in a pipe twice", "echo a | curl https://api.example.com/a | curl -d @- https://api.example.com/b", Request{
			Method: "GET", URL: "https://api.example.com/a", Body: none,
		}, "The text holds 2 curl commands"},
		{"several URLs", "curl https://api.example.com/a https://api.example.com/b -H 'X-A: 1'", Request{
			Method: "GET", URL: "https://api.example.com/a", Headers: rows("X-A", "1"), Body: none,
		}, "sends 2 requests"},
		{"--next", "curl https://api.example.com/a -d x=1 --next https://api.example.com/b -X DELETE", Request{
			Method: "POST", URL: "https://api.example.com/a", Body: formBody("x", "1"),
		}, "(--next)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.cmd)
			if err != nil {
				t.Fatal(err)
			}
			notes := got.Notes
			got.Notes = nil
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("Parse:\n got  %#v\n want %#v", *got, tc.want)
			}
			if tc.note != "" && !hasNote(notes, tc.note) {
				t.Errorf("notes %q do not say %q", notes, tc.note)
			}
			if tc.note == "" && len(notes) > 0 {
				t.Errorf("notes %q, want none", notes)
			}
		})
	}
}

// TestImportStreamedBodies: the query keeps the form's rows and the files' paths; a secret-looking text field
// becomes a {{variable}}; a Content-Type the body sets itself is left out; the notes come along.
func TestImportStreamedBodies(t *testing.T) {
	dir := workDir(t, map[string]string{"a.png": "png", "b.json": "{}"})
	im, err := Options{Dir: dir}.Import(`curl https://api.example.com/v1/login -H 'Content-Type: multipart/form-data; boundary=x' `+
		`-F user=ada -F password=s3cr3t -F 'avatar=@a.png;type=image/png' -F 'cv=@missing.pdf'`, resNone)
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, im, resNone, want{
		method: "POST", path: "/login",
		body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
			textPart("user", "ada"), textPart("password", "{{password}}"),
			filePart("avatar", filepath.Join(dir, "a.png"), "", "image/png"), filePart("cv", filepath.Join(dir, "missing.pdf"), "", ""),
		}},
		secrets: []Secret{{From: "the form field password", Variable: "password", Value: "s3cr3t"}},
	})
	if !hasNote(im.Notes, "missing.pdf is not there now") || len(im.Notes) != 1 {
		t.Errorf("notes %q", im.Notes)
	}

	im, err = Options{Dir: dir}.Import(`curl -T b.json -H 'Content-Type: application/json' https://api.example.com/v1/docs/`, resNone)
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, im, resNone, want{
		method: "PUT", path: "/docs/b.json",
		body: query.Body{Kind: query.BodyFile, File: filepath.Join(dir, "b.json"), ContentType: "application/json"},
	})
}
