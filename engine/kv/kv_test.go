package kv

import (
	"reflect"
	"testing"
)

func TestMerge(t *testing.T) {
	base := List{On("Accept", "a"), On("X-Old", "1"), {Key: "Off", Value: "x"}, On("accept", "b")}
	over := List{On("ACCEPT", "json"), On("X-New", "2"), {Key: "X-Old", Value: "disabled override"}}
	got := Merge(base, over, true)
	want := List{On("X-Old", "1"), On("ACCEPT", "json"), On("X-New", "2")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Merge headers = %v, want %v", got, want)
	}
	got = Merge(List{On("q", "1"), On("Q", "2")}, List{On("q", "3")}, false)
	if want := (List{On("Q", "2"), On("q", "3")}); !reflect.DeepEqual(got, want) {
		t.Fatalf("Merge params = %v, want %v", got, want)
	}
}

func TestParse(t *testing.T) {
	if p, err := ParseHeader("Authorization:  Bearer x:y"); err != nil || p != On("Authorization", "Bearer x:y") {
		t.Fatalf("ParseHeader = %v, %v", p, err)
	}
	if p, err := ParsePair("q=a=b"); err != nil || p != On("q", "a=b") {
		t.Fatalf("ParsePair = %v, %v", p, err)
	}
	for _, bad := range []string{"novalue", "=x", " =x"} {
		if _, err := ParsePair(bad); err == nil {
			t.Errorf("ParsePair(%q) accepted", bad)
		}
	}
	if _, err := ParseHeader("no colon"); err == nil {
		t.Error("ParseHeader accepted a line without ':'")
	}
}

func TestGet(t *testing.T) {
	l := List{On("A", "1"), {Key: "a", Value: "off"}, On("a", "2")}
	if v, ok := l.Get("A", true); !ok || v != "2" {
		t.Fatalf("Get fold = %q %v", v, ok)
	}
	if v, ok := l.Get("A", false); !ok || v != "1" {
		t.Fatalf("Get exact = %q %v", v, ok)
	}
}
