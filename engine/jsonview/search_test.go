package jsonview

import (
	"context"
	"errors"
	"testing"
)

func TestSearch(t *testing.T) {
	d := prepare(t, `{"Name":"Ada","name":"ADA","list":["ada","Straße","STRASSE","straße"]}`, Options{})
	for _, tc := range []struct {
		name       string
		query      string
		ignoreCase bool
		want       []Match
	}{
		{"exact", "ada", false, []Match{{Line: 4, Start: 5, End: 8}}},
		{"ignoring case", "ada", true, []Match{{1, 11, 14}, {2, 11, 14}, {4, 5, 8}}},
		{"a key with its quotes", `"name"`, true, []Match{{1, 2, 8}, {2, 2, 8}}},
		{"unicode ignoring case", "STRAßE", true, []Match{{5, 5, 12}, {7, 5, 12}}},
		{"unicode exact", "straße", false, []Match{{7, 5, 12}}},
		{"nothing", "zebra", true, nil},
		{"empty query", "", true, nil},
		{"across lines", "[\n", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := d.Search(context.Background(), tc.query, tc.ignoreCase)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Hits) != len(tc.want) || m.More {
				t.Fatalf("hits %v (more %v), want %v", m.Hits, m.More, tc.want)
			}
			for i, h := range m.Hits {
				if h != tc.want[i] {
					t.Errorf("hit %d = %v, want %v", i, h, tc.want[i])
				}
				if got := string(d.Line(int(h.Line))[h.Start:h.End]); !equalFold(got, tc.query, tc.ignoreCase) {
					t.Errorf("hit %d covers %q, not %q", i, got, tc.query)
				}
			}
		})
	}
}

func equalFold(a, b string, fold bool) bool {
	if !fold {
		return a == b
	}
	return len(a) > 0 && regexpFold(a, b)
}

func regexpFold(a, b string) bool {
	m, _ := (&Doc{text: []byte(a), lines: []int32{0}}).Search(context.Background(), b, true)
	return len(m.Hits) == 1 && int(m.Hits[0].End) == len(a)
}

func TestSearchAcrossChunksAndLimit(t *testing.T) {
	body := sampleBody(9 << 20) // three search chunks
	d := prepare(t, string(body), Options{MaxLines: 1 << 30})
	m, err := d.Search(context.Background(), `"Zürich"`, false)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := d.Search(context.Background(), `"id": `, false)
	if want := len(items.Hits) / 2; len(m.Hits) != want { // every item has an id and an owner id
		t.Errorf("%d hits for every city, want %d", len(m.Hits), want)
	}
	for i, h := range m.Hits {
		if i > 0 && h.Line <= m.Hits[i-1].Line {
			t.Fatalf("hits out of order at %d", i)
		}
		if got := string(d.Line(int(h.Line))[h.Start:h.End]); got != `"Zürich"` {
			t.Fatalf("hit %d on line %d covers %q", i, h.Line, got)
		}
	}
	lim, err := d.search(context.Background(), "item", true, 10)
	if err != nil || len(lim.Hits) != 10 || !lim.More || lim.Count() != "10+" {
		t.Errorf("limited search = %d hits, more %v, count %q, %v; want 10+", len(lim.Hits), lim.More, lim.Count(), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Search(ctx, "item", false); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled search err = %v", err)
	}
}

func TestSearchFoldsUnicodeInPlace(t *testing.T) {
	d := prepare(t, "Zürich ZÜRICH école ÉCOLE \u212a", Options{ContentType: "text/plain"})
	for _, tc := range []struct {
		query string
		want  int
	}{{"zürich", 2}, {"ÉCOLE", 2}, {"\u212a", 1}} {
		m, err := d.Search(context.Background(), tc.query, true)
		if err != nil || len(m.Hits) != tc.want {
			t.Errorf("Search(%q) = %v, %v; want %d hits", tc.query, m.Hits, err, tc.want)
		}
	}
}
