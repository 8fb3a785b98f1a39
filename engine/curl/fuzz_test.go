package curl

import (
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// fuzzResources are the resources FuzzParse imports every accepted command into. Their base URL is the one
// the seeds use, so that many inputs get through to Import and Export.
var fuzzResources = []*resource.Resource{
	resNone, resBearer, resBasic, resKeyHdr, resKeyQuery, resOAuth, resRoot, resDefaults,
}

// FuzzParse checks that Parse never panics and that every error it returns is one of the package's; that
// what it accepts, Command writes back as a command Parse reads into the same request; and that a command
// imported into a resource, exported and imported again gives the same query.
//
// Run it with: go test ./engine/curl -run '^$' -fuzz FuzzParse -fuzztime 3m
// The seeds are the parse and error cases of the tests and the files in testdata/fuzz/FuzzParse, which keep
// the inputs that once found a bug.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.cmd)
	}
	for _, s := range []string{
		"curl -F a=b https://api.example.com/", "curl 'https://api.example.com/",
		`curl https://api.example.com/v1/u -F 'f=@"a;b.png";type=image/png;filename=x,y.png' -F 't="v;1";type=text/plain' --form-string 'p=@x'`,
		"curl -T up.bin https://api.example.com/v1/", "curl --data-binary @- https://api.example.com/v1/x < body.json",
		"curl -d @- https://api.example.com/v1/x <<EOF\na=1\nb=2\nEOF\n", "echo hi | curl --data-binary @- https://api.example.com/v1/x | jq .",
		"curl -u ada:pw --digest https://api.example.com/v1/x", "curl -b missing-cookies.txt https://api.example.com/v1/x",
		"curl -x user:pw@proxy:3128 --noproxy a.example,b.example --cacert ca.pem --cert 'c\\:1.pem:pp' --key k.pem -k https://api.example.com/v1/x",
		"curl --noproxy '*' --socks5-hostname s:1 https://api.example.com/v1/x", "curl -r 0-99 --url-query a=b https://api.example.com/v1/x",
		`curl -H "Authorization: Bearer $TOKEN" "https://api.example.com/v1/$ID"`, "curl https://api.example.com/a https://api.example.com/b", `curl -H "A: $X" x`,
		"curl https://api.example.com/ | jq", `curl -H $'X: a\u0000' x`, "curl --json @f x", "curl",
		`curl 'https://api.example.com/v1/x?api_key=k&q=1' -H 'X-API-Key: k' -u a:b -b 'sid=1; t=2' -d 'password=p&u=1'`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		r, err := Parse(cmd)
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrBadRequest) {
				t.Fatalf("Parse error %q wraps none of the package's errors", err)
			}
			return
		}
		out := r.Command()
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Command()) = %v\n%s", err, out)
		}
		r.Notes, back.Notes = nil, nil // what Parse says of how it read the command
		if !reflect.DeepEqual(r, back) {
			t.Fatalf("Command → Parse changed the request:\n%s\n got  %#v\n want %#v", out, back, r)
		}
		if again := back.Command(); again != out {
			t.Fatalf("Command is not stable:\n%s\n---\n%s", out, again)
		}

		for _, res := range fuzzResources {
			im, err := Import(cmd, res)
			if err != nil {
				if !errors.Is(err, ErrNotUnderBase) && !errors.Is(err, ErrBadRequest) {
					t.Fatalf("Import error %q wraps none of the package's errors", err)
				}
				continue
			}
			exported, err := Export(im.Query, res, nil)
			if err != nil {
				t.Fatalf("Export of an imported query: %v", err)
			}
			im2, err := Import(exported, res)
			if err != nil {
				t.Fatalf("Import(Export()) on %s: %v\n%s", res.Name, err, exported)
			}
			if a, b := comparable(im.Query), comparable(im2.Query); !reflect.DeepEqual(a, b) {
				t.Fatalf("Import → Export → Import on %s (auth %s) changed the query:\n%s\n got  %#v\n want %#v", res.Name, res.Auth.Kind, exported, b, a)
			}
			// Paths are compared through the URL they make: "/" and "" are the same below "…/v1/".
			if again, err := Export(im2.Query, res, nil); err != nil || again != exported {
				t.Fatalf("Export is not stable on %s: %v\n%s\n---\n%s", res.Name, err, exported, again)
			}
			if len(im2.Secrets) > 0 {
				t.Fatalf("the exported command still had secrets: %v\n%s", im2.Secrets, exported)
			}
		}
	})
}

// comparable is a query without its ID and path (which FuzzParse compares through the exported URL).
func comparable(q *query.Query) query.Query {
	c := *q
	c.ID, c.Path = "", ""
	for _, l := range []*kv.List{&c.Params, &c.Headers, &c.Cookies, &c.Body.Form} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	// Export writes the files a body sends by their absolute paths (relative ones are the current folder's).
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil && p != "" && !strings.Contains(p, "{{") {
			return a
		}
		return p
	}
	c.Body.File = abs(c.Body.File)
	if c.Body.Kind == query.BodyFile && c.Body.ContentType == "" { // guessed from the name; Export writes the guess
		c.Body.ContentType = query.ContentTypeOf(c.Body.File)
	}
	c.Body.Parts = slices.Clone(c.Body.Parts)
	for i := range c.Body.Parts {
		c.Body.Parts[i].File = abs(c.Body.Parts[i].File)
	}
	return c
}
