// Package bench compares a request sent through apidesk's engine with the same request sent through a bare
// http.Client, against one local server. Run it with ./bench/run.sh.
package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"apidesk/engine/kv"
	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

const token = "bench-token"

// tokenSecrets gives the bearer token; the keychain itself is not what is measured here.
func tokenSecrets(context.Context, string, resource.SecretKind) (string, error) { return token, nil }

func newServer(b testing.TB) *httptest.Server {
	small := []byte(`{"id":42,"name":"Ada Lovelace","email":"ada@example.com","roles":["admin","author"],"active":true}`)
	large := bytes.Repeat([]byte(`{"k":"0123456789abcdef0123456789abcdef"},`), (1<<20)/40)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/large" {
			_, _ = w.Write(large)
			return
		}
		_, _ = w.Write(small)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// compare sends the same GET through the engine and through a bare client, alternating so that both see the
// same machine load, and reports each one's time per request and their ratio.
func compare(b *testing.B, path string) {
	srv := newServer(b)
	rn := runner.New(runner.SecretsFunc(tokenSecrets), nil)
	res := &resource.Resource{
		ID: "bench", Name: "Bench", BaseURL: srv.URL,
		Headers: kv.List{kv.On("Accept", "application/json")},
		Auth:    resource.Auth{Kind: resource.AuthBearer},
	}
	q := &query.Query{Method: http.MethodGet, Path: path, Params: kv.List{kv.On("page", "{{page}}")}}
	vars := map[string]string{"page": "1"}

	bare := runner.NewClient() // the same transport settings, its own connection pool
	url := srv.URL + path + "?page=1"
	ctx := context.Background()

	viaEngine := func() int {
		resp, err := rn.Do(ctx, res, q, vars)
		if err != nil {
			b.Fatal(err)
		}
		n := len(resp.Body)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("engine: %s", resp.Status)
		}
		_ = resp.Close()
		return n
	}
	viaBare := func() int {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := bare.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("bare: %s %v", resp.Status, err)
		}
		return len(body)
	}
	if e, r := viaEngine(), viaBare(); e != r { // also warms both connections up
		b.Fatalf("engine read %d bytes, bare client %d", e, r)
	}

	// Each pair of requests gives one ratio; the median of those ratios holds up when other work on the machine
	// slows some requests down, which a ratio of totals does not.
	var engine, plain []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		var e, p time.Duration
		if i%2 == 0 { // alternate which goes first, so neither always finds the warmer cache
			t := time.Now()
			viaEngine()
			e = time.Since(t)
			t = time.Now()
			viaBare()
			p = time.Since(t)
		} else {
			t := time.Now()
			viaBare()
			p = time.Since(t)
			t = time.Now()
			viaEngine()
			e = time.Since(t)
		}
		engine = append(engine, e)
		plain = append(plain, p)
	}
	ratios := make([]float64, len(engine))
	for i := range engine {
		ratios[i] = float64(engine[i]) / float64(plain[i])
	}
	b.ReportMetric(float64(median(engine)), "engine-ns/req")
	b.ReportMetric(float64(median(plain)), "bare-ns/req")
	b.ReportMetric(median(ratios), "engine/bare")
}

func median[T time.Duration | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// BenchmarkSmallJSON: a ~100-byte JSON answer, where the engine's own work weighs most.
func BenchmarkSmallJSON(b *testing.B) { compare(b, "/small") }

// BenchmarkOneMB: a 1 MB answer, where reading the body dominates.
func BenchmarkOneMB(b *testing.B) { compare(b, "/large") }
