package openapi

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// swaggerParser is the version of @apidevtools/swagger-parser, OpenAPI's own validator on npm, that the export is
// checked with. It is installed into testdata/.npm (which git ignores) the first time. 10.1 (OpenAPI 3.1 and
// 3.0) runs on the Node.js 18 of Debian 12, where 13 does not (it requires an ES module).
const swaggerParser = "10.1.1"

const validateJS = `
const SwaggerParser = require(process.argv[2]);
(async () => {
  for (const f of process.argv.slice(3)) {
    try { await SwaggerParser.validate(f); console.log("valid " + f); }
    catch (e) { console.log("invalid " + f + ": " + String(e.message).split("\n").join(" ")); }
  }
})();
`

// The exports open in @apidevtools/swagger-parser, which finds them valid OpenAPI 3.1 (and finds a broken
// document invalid, so the check can fail). Skipped only where node and npm are not installed (make test
// installs them: scripts/deps.sh test).
func TestExportOpensInSwaggerParser(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs npm)")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed (apt-get install nodejs npm)")
	}
	prefix, err := filepath.Abs(filepath.Join("testdata", ".npm"))
	if err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(prefix, "node_modules", "@apidevtools", "swagger-parser")
	if b, err := os.ReadFile(filepath.Join(pkg, "package.json")); err != nil || !bytes.Contains(b, []byte(`"version": "`+swaggerParser+`"`)) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", prefix, "@apidevtools/swagger-parser@"+swaggerParser)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install @apidevtools/swagger-parser: %v\n%s", err, out)
		}
	}

	dir := t.TempDir()
	var files []string
	for _, name := range []string{"petstore.yaml", "api31.json", "swagger2.yaml", "multi/main.yaml"} {
		r := readFile(t, name, Options{}).Resources[0]
		doc, err := Export(&r.Resource, pointers(r.Queries))
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, strings.ReplaceAll(name, "/", "-")+".json")
		if err := os.WriteFile(f, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	res, qs := crm()
	doc, err := Export(res, qs)
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(dir, "crm.json"))
	if err := os.WriteFile(files[len(files)-1], doc, 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(`{"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": [{"name": "x"}]}}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "validate.js")
	if err := os.WriteFile(script, []byte(validateJS), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{script, pkg}, append(files, broken)...)...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	for _, f := range files {
		if !strings.Contains(string(out), "valid "+f+"\n") {
			t.Errorf("swagger-parser does not find %s valid:\n%s", filepath.Base(f), out)
		}
	}
	if !strings.Contains(string(out), "invalid "+broken+":") {
		t.Errorf("swagger-parser finds a broken document valid: the check cannot fail\n%s", out)
	}
}
