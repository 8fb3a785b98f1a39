package workspace

import (
	"time"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
)

// sample is a workspace with every kind of auth and body, as testdata/workspace holds it.
func sampleResources() []*resource.Resource {
	return []*resource.Resource{
		{
			ID: "0a1b2c3d4e5f6071", Name: "Status page", BaseURL: "https://status.example.com/api",
		},
		{
			ID: "1b2c3d4e5f607182", Name: "Internal API", BaseURL: "https://api.internal.example.com/v2",
			Headers: kv.List{kv.On("Accept", "application/json"), {Key: "X-Debug", Value: "1", Enabled: false}},
			Params:  kv.List{kv.On("tenant", "{{tenant}}")},
			Cookies: kv.List{kv.On("region", "eu-west-1")},
			Timeout: 90 * time.Second,
			MaxBody: 5_000_000_000,
			Auth:    resource.Auth{Kind: resource.AuthBearer},
		},
		{
			ID: "2c3d4e5f60718293", Name: "Legacy billing", BaseURL: "http://billing.corp.example:8080",
			Timeout: 1500 * time.Millisecond,
			Auth:    resource.Auth{Kind: resource.AuthBasic, Username: "svc-reports"},
		},
		{
			ID: "3d4e5f60718293a4", Name: "Weather", BaseURL: "https://weather.example.org",
			Auth: resource.Auth{Kind: resource.AuthAPIKey, KeyName: "appid", KeyIn: resource.KeyInQuery},
		},
		{
			ID: "4e5f60718293a4b5", Name: "GitHub", BaseURL: "https://api.github.com",
			Headers: kv.List{
				kv.On("Accept", "application/vnd.github+json"),
				kv.On("Authorization", "Bearer {-oauth_access_token-}"),
				kv.On("X-GitHub-Api-Version", "2022-11-28"),
			},
			Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
				Grant:        resource.GrantAuthorizationCode,
				Preset:       "github",
				AuthURL:      "https://github.com/login/oauth/authorize?allow_signup=false",
				TokenURL:     "https://github.com/login/oauth/access_token",
				TokenMethod:  "POST",
				RevokeURL:    "https://api.github.com/applications/{{client_id}}/token",
				ClientID:     "Iv1.0123456789abcdef",
				ClientAuth:   resource.ClientAuthBody,
				Scopes:       []string{"read:user", "repo"},
				AuthParams:   kv.List{kv.On("prompt", "select_account")},
				TokenParams:  kv.List{{Key: "audience", Value: "https://api.github.com", Enabled: false}},
				LoginTestURL: "https://api.github.com/user",
				RedirectPort: 8765,
				DisablePKCE:  true,
			}},
		},
		{
			ID: "5f60718293a4b5c6", Name: "Reports (machine)", BaseURL: "https://reports.example.com",
			Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
				Grant:      resource.GrantClientCredentials,
				Issuer:     "https://login.example.com/",
				TokenURL:   "https://login.example.com/oauth/token",
				ClientID:   "reports-bot",
				ClientAuth: resource.ClientAuthBasic,
				Scopes:     []string{"https://reports.example.com/.default"},
			}},
		},
		{
			ID: "60718293a4b5c6d7", Name: "TV box", BaseURL: "https://tv.example.com",
			Auth: resource.Auth{Kind: resource.AuthOAuth2, OAuth2: resource.OAuth2{
				Grant:       resource.GrantDevice,
				DeviceURL:   "https://tv.example.com/device/code",
				TokenURL:    "https://tv.example.com/token",
				TokenMethod: "GET",
				ClientID:    "tv",
			}},
		},
		{
			ID: "718293a4b5c6d7e8", Name: "Intranet", BaseURL: "https://intranet.corp.example",
			Auth: resource.Auth{Kind: resource.AuthDigest, Username: "reports"},
			Network: resource.Network{Proxy: resource.ProxyURL, ProxyURL: "http://proxy.corp.example:3128",
				NoProxy: []string{"localhost", ".corp.example"}, CACert: "certs/corp-root.pem",
				ClientCert: "certs/reports.p12", Insecure: true},
		},
	}
}

func sampleQueries() []*query.Query {
	return []*query.Query{
		{
			ID: "a0b1c2d3e4f50617", Name: "List repositories", ResourceID: "4e5f60718293a4b5",
			Method: "GET", Path: "/orgs/{{org}}/repos",
			Params:    kv.List{kv.On("per_page", "100"), {Key: "type", Value: "private", Enabled: false}},
			Variables: []query.Variable{{Name: "org", Description: "GitHub organisation", Default: "apidesk"}},
			Result:    &query.Result{Columns: []query.Column{{Key: "full_name", Label: "Repository"}, {Key: "private"}}},
			Paging:    query.Paging{Kind: query.PagingLink}, // GitHub names the next page in a Link header
		},
		{
			ID: "b1c2d3e4f5061728", Name: "Create issue", ResourceID: "4e5f60718293a4b5",
			Method: "POST", Path: "/repos/{{owner}}/{{repo}}/issues",
			Headers: kv.List{kv.On("X-Request-Id", "{{request_id}}")},
			Body:    query.Body{Kind: query.BodyJSON, Text: "{\n  \"title\": \"{{title}}\",\n  \"labels\": [\"bug\"],\n  \"assignees\": []\n}\n"},
			Variables: []query.Variable{
				{Name: "owner", Default: "apidesk"},
				{Name: "repo", Label: "Repository", Description: "Its name, without the owner", Pattern: `[A-Za-z0-9_.-]+`},
				{Name: "title", Description: "One line: what is wrong"},
				{Name: "request_id", Label: "Request number", Type: query.TypeInteger, Optional: true, Min: "1", Max: "999999"},
			},
			Group: "Issues/Writing", Source: "openapi:issues/create",
		},
		{
			ID: "c2d3e4f506172839", Name: "Log in form", ResourceID: "2c3d4e5f60718293",
			Method: "post", Path: "/session",
			Cookies: kv.List{kv.On("lang", "en")},
			Body: query.Body{Kind: query.BodyForm, Form: kv.List{
				kv.On("user", "{{user}}"), kv.On("remember", "true"), {Key: "debug", Value: "", Enabled: false},
			}},
		},
		{
			ID: "d3e4f5061728394a", Name: "Upload CSV", ResourceID: "1b2c3d4e5f607182",
			Method: "PUT", Path: "/imports/today.csv",
			Body: query.Body{Kind: query.BodyRaw, ContentType: "text/csv", Text: "id,name\n1,Ada\n2,Grace"},
		},
		{
			ID: "e4f5061728394a5b", Name: "Health", ResourceID: "0a1b2c3d4e5f6071",
		},
		{
			ID: "f5061728394a5b6c", Name: "Send invoice", ResourceID: "1b2c3d4e5f607182",
			Method: "POST", Path: "/invoices",
			Body: query.Body{Kind: query.BodyMultipart, Parts: []query.Part{
				{Name: "customer", Value: "{{customer_id}}", Enabled: true},
				{Name: "invoice", File: "samples/invoice-{{month}}.pdf", Enabled: true},
				{Name: "logo", File: "samples/logo.png", Filename: "brand.png", ContentType: "image/png", Enabled: true},
				{Name: "meta", Value: "{\"paid\": false}", ContentType: "application/json", Enabled: true},
				{Name: "note", Value: "", Enabled: false},
			}},
		},
		{
			ID: "061728394a5b6c7d", Name: "Upload backup", ResourceID: "1b2c3d4e5f607182",
			Method: "PUT", Path: "/backups/latest",
			Body: query.Body{Kind: query.BodyFile, File: "/var/backups/crm.tar.gz", ContentType: "application/gzip"},
		},
	}
}
