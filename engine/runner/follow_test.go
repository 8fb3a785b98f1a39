package runner_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"apidesk/engine/kv"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// Follow sends the query's headers and credentials to the next page's address on the same origin, keeps an
// API key sent in the URL when the address lacks it, and sends nothing to another origin.
func TestFollow(t *testing.T) {
	srv := newEcho(t)
	res := newResource(srv.URL + "/v1")
	res.Auth = resource.Auth{Kind: resource.AuthAPIKey, KeyName: "key", KeyIn: resource.KeyInQuery}
	keys := newKeychain(res.ID, secrets{resource.SecretAPIKey: "k3y"})
	rn := &runner.Runner{Secrets: keys}
	q := get("/items")
	q.Headers = kv.List{kv.On("X-Team", "blue")}
	q.Params = kv.List{kv.On("per_page", "2")}

	resp, err := rn.Follow(context.Background(), res, q, nil, srv.URL+"/v1/items?per_page=2&page=2")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	s := decodeSeen(t, resp)
	if s.Path != "/v1/items" || s.RawQuery != "per_page=2&page=2&key=k3y" || s.header("X-Team") != "blue" {
		t.Errorf("sent %s ?%s X-Team=%q", s.Path, s.RawQuery, s.header("X-Team"))
	}
	if strings.Contains(resp.URL, "k3y") {
		t.Errorf("the answer's URL shows the key: %s", resp.URL)
	}

	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Error("a request reached the other origin")
	}))
	defer other.Close()
	_, err = rn.Follow(context.Background(), res, q, nil, other.URL+"/v1/items?page=2")
	if !errors.Is(err, runner.ErrOffOrigin) || strings.Contains(err.Error(), "k3y") {
		t.Fatalf("err = %v, want ErrOffOrigin", err)
	}
	if !strings.Contains(err.Error(), "so that your credentials go nowhere else") {
		t.Errorf("err = %q", err)
	}
}
