package kv

import (
	"reflect"
	"strings"
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

// TestMergeIsTheDefinition checks the one-allocation Merge against its plain definition on every small
// combination of rows (the runner's own copy of Merge was checked this way before it went).
func TestMergeIsTheDefinition(t *testing.T) {
	definition := func(base, over List, fold bool) List {
		var out List
		for _, b := range base.Active() {
			overridden := false
			for _, o := range over.Active() {
				overridden = overridden || o.Key == b.Key || fold && strings.EqualFold(o.Key, b.Key)
			}
			if !overridden {
				out = append(out, b)
			}
		}
		return append(out, over.Active()...)
	}
	pairs := []Pair{On("a", "1"), On("A", "2"), {Key: "a", Value: "off"}, On(" ", "blank"), On("b", "3"), On("a", "4")}
	var lists []List
	for mask := range 1 << len(pairs) {
		var l List
		for i, p := range pairs {
			if mask&(1<<i) != 0 {
				l = append(l, p)
			}
		}
		lists = append(lists, l)
	}
	for _, base := range lists {
		for _, over := range lists {
			for _, fold := range []bool{false, true} {
				if want, got := definition(base, over, fold), Merge(base, over, fold); !reflect.DeepEqual(want, got) {
					t.Fatalf("Merge(%v, %v, %v) = %v, want %v", base, over, fold, got, want)
				}
			}
		}
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
