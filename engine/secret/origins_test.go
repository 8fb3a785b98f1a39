package secret

import (
	"context"
	"testing"

	"apidesk/engine/resource"
)

func TestOriginsAreRecordedWithTheSecrets(t *testing.T) {
	ctx := context.Background()
	b := newMem(nil)
	s := New(b, Options{})
	origins := func() resource.Origins {
		t.Helper()
		o, err := s.Origins(ctx, "r1")
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	// No secret: nothing to bind, nothing recorded.
	if err := s.SetOrigins(ctx, "r1", resource.Origins{API: "https://a.example"}); err != nil {
		t.Fatal(err)
	}
	if o := origins(); o != (resource.Origins{}) || len(b.entries) != 0 {
		t.Fatalf("recorded %+v with no secret (entries %v)", o, b.entries)
	}

	if err := s.Set(ctx, "r1", resource.SecretClientSecret, "cs"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetOrigins(ctx, "r1", resource.Origins{API: "https://a.example", Token: "https://login.example"}); err != nil {
		t.Fatal(err)
	}
	// A field left "" keeps what is recorded.
	if err := s.Trust(ctx, &resource.OriginChangedError{ID: "r1", Was: "https://a.example", Now: "https://b.example"}); err != nil {
		t.Fatal(err)
	}
	want := resource.Origins{API: "https://b.example", Token: "https://login.example"}
	if o := origins(); o != want {
		t.Fatalf("recorded %+v, want %+v", o, want)
	}
	// Another secret, and the removal of one, keep the record; no secret left drops it.
	if err := s.Set(ctx, "r1", resource.SecretOAuthToken, `{"access_token":"x"}`); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "r1", resource.SecretClientSecret); err != nil {
		t.Fatal(err)
	}
	if o := origins(); o != want {
		t.Fatalf("after Set and Delete: %+v, want %+v", o, want)
	}
	if err := s.DeleteAll(ctx, "r1"); err != nil {
		t.Fatal(err)
	}
	if o := origins(); o != (resource.Origins{}) || len(b.entries) != 0 {
		t.Fatalf("after DeleteAll: %+v, entries %v", o, b.entries)
	}
}

func TestProxyOriginIsRecordedAndTrusted(t *testing.T) {
	ctx := context.Background()
	s := New(newMem(nil), Options{})
	if err := s.Set(ctx, "r1", resource.SecretProxyAuth, "ann:pw"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetOrigins(ctx, "r1", resource.Origins{API: "https://a.example", Proxy: "http://proxy.example:3128"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Trust(ctx, &resource.OriginChangedError{ID: "r1", Proxy: true, Was: "http://proxy.example:3128", Now: "socks5://p2.example:1080"}); err != nil {
		t.Fatal(err)
	}
	o, err := s.Origins(ctx, "r1")
	if want := (resource.Origins{API: "https://a.example", Proxy: "socks5://p2.example:1080"}); err != nil || o != want {
		t.Fatalf("recorded %+v, %v; want %+v", o, err, want)
	}
}
