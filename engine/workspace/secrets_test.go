package workspace

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/secret"
)

// TestNoSecretInTheFolder saves a resource of every auth kind with its secrets, as the window and the CLI do (the
// keychain is go-keyring's in-memory mock here), renames, deletes, fails a write, loads, and then greps every file
// the workspace left for every secret.
func TestNoSecretInTheFolder(t *testing.T) {
	keys := secret.New(secret.MockBackend(), secret.Options{})
	secrets := map[resource.SecretKind]string{
		resource.SecretPassword:     "canary-basic-password-Zq81",
		resource.SecretBearerToken:  "canary-bearer-token-Xw27",
		resource.SecretAPIKey:       "canary-api-key-value-Pk55",
		resource.SecretClientSecret: "canary-client-secret-Hc09",
	}
	tokens := []string{"canary-access-token-eyJhbGciOi.Ta14", "canary-refresh-token-Rf63", "canary-id-token-eyJ0eXAi.Id77"}
	needles := append([]string{}, tokens...)
	for _, s := range secrets {
		needles = append(needles, s)
	}

	dir := t.TempDir()
	w := mustOpen(t, dir)
	ctx := t.Context()
	resources := append(sampleResources(), &resource.Resource{
		Name: "Key in header", BaseURL: "https://k.example.com",
		Headers: kv.List{kv.On("Proxy-Authorization", "Basic {{proxy_credentials}}")},
		Auth:    resource.Auth{Kind: resource.AuthAPIKey, KeyName: "X-API-Key", KeyIn: resource.KeyInHeader},
	})
	for _, r := range resources {
		typed := map[resource.SecretKind]string{}
		if kinds := r.Auth.Kind.Secrets(); len(kinds) > 0 {
			typed[kinds[0]] = secrets[kinds[0]]
		}
		if err := w.SaveResource(ctx, r, keys, typed); err != nil {
			t.Fatal(err)
		}
		if r.Auth.Kind == resource.AuthOAuth2 { // what a sign-in leaves
			tok := fmt.Sprintf(`{"access_token":%q,"refresh_token":%q,"id_token":%q}`, tokens[0], tokens[1], tokens[2])
			if err := keys.Set(ctx, r.ID, resource.SecretOAuthToken, tok); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, q := range sampleQueries() {
		q.Headers = append(q.Headers, kv.On("Authorization", "Bearer {-oauth_access_token-}"))
		q.Params = append(q.Params, kv.On("access_token", "{-oauth_access_token-}"))
		if err := w.SaveQuery(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	gh, err := w.ResourceByName("GitHub")
	if err != nil {
		t.Fatal(err)
	}
	gh.Name = "GitHub renamed"
	if err := w.SaveResource(ctx, gh, keys, nil); err != nil {
		t.Fatal(err)
	}
	if q, err := w.QueryByName("Health"); err != nil || w.DeleteQuery(ctx, q.ID) != nil {
		t.Fatal("delete Health:", err)
	}
	w.rename = func(string, string) error { return errors.New("injected") }
	never := &resource.Resource{Name: "Never", BaseURL: "https://n.example.com", Auth: resource.Auth{Kind: resource.AuthBearer}}
	if err := w.SaveResource(ctx, never, keys, map[resource.SecretKind]string{resource.SecretBearerToken: secrets[resource.SecretBearerToken]}); err == nil {
		t.Fatal("the injected failure did not fail the save")
	}
	w.rename = os.Rename
	if _, problems := mustLoad(t, dir); len(problems) > 0 {
		t.Fatal(problems)
	}

	for _, hit := range grepFiles(t, dir, needles) {
		t.Error(hit)
	}
	for rel := range files(t, dir) {
		if !strings.HasSuffix(rel, ".yaml") || !(strings.HasPrefix(rel, "resources/") || strings.HasPrefix(rel, "queries/")) {
			t.Errorf("unexpected file left in the workspace: %s", rel)
		}
	}
	// The secrets are where they belong.
	if got, err := keys.Get(ctx, gh.ID, resource.SecretClientSecret); err != nil || got != secrets[resource.SecretClientSecret] {
		t.Errorf("the keychain lost the client secret: %v", err)
	}
	if got, err := keys.Get(ctx, gh.ID, resource.SecretOAuthToken); err != nil || !strings.Contains(got, tokens[1]) {
		t.Errorf("the keychain lost the sign-in: %v", err)
	}

	// The grep would see a secret that got in: this test can fail.
	control := t.TempDir()
	writeRaw(t, control, "resources/leak.yaml", "note: "+strings.ToUpper(secrets[resource.SecretAPIKey])+"\n")
	if hits := grepFiles(t, control, needles); len(hits) != 1 {
		t.Errorf("the grep missed a planted secret: %v", hits)
	}
}

// TestSecretFieldsTypedByHand: a file with a secret field is refused by name, the secret is not repeated, and the
// file is not rewritten with the secret removed behind the person's back.
func TestSecretFieldsTypedByHand(t *testing.T) {
	for _, field := range []string{"password", "token", "client_secret", "refresh_token", "Access_Token", "api_key"} {
		dir := t.TempDir()
		content := "version: 1\nid: r1\nname: R\nbase_url: https://x.example.com\nauth:\n  kind: oauth2\n  " + field + ": canary-typed-secret-Ty42\n"
		writeRaw(t, dir, "resources/r.yaml", content)
		_, problems := mustLoad(t, dir)
		if len(problems) != 1 || problems[0].Line != 7 || !problems[0].Skipped || !strings.Contains(problems[0].Msg, "keychain") {
			t.Errorf("%s: %v", field, problems)
		}
		for _, p := range problems {
			if strings.Contains(p.Error(), "canary-typed-secret") {
				t.Errorf("%s: the problem repeats the secret: %v", field, p)
			}
		}
	}
	// In a query file too.
	dir := t.TempDir()
	writeRaw(t, dir, "queries/q.yaml", "version: 1\nid: q1\nname: Q\nresource: r1\ntoken: canary\n")
	if _, problems := mustLoad(t, dir); len(problems) != 1 || problems[0].Line != 5 || !strings.Contains(problems[0].Msg, `"token" does not belong`) {
		t.Errorf("query file: %v", problems)
	}
}
