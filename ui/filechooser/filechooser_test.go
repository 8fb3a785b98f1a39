package filechooser

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
)

func TestRelAndAbs(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, path, rel string }{
		{"inside", filepath.Join(dir, "samples", "photo.png"), "samples/photo.png"},
		{"at the top", filepath.Join(dir, "a.json"), "a.json"},
		{"beside the folder", filepath.Join(filepath.Dir(dir), filepath.Base(dir)+"-other", "a.json"), filepath.Join(filepath.Dir(dir), filepath.Base(dir)+"-other", "a.json")},
		{"above it", filepath.Join(filepath.Dir(dir), "a.json"), filepath.Join(filepath.Dir(dir), "a.json")},
		{"already relative", "samples/photo.png", "samples/photo.png"},
		{"none", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rel := Rel(dir, c.path)
			if rel != c.rel {
				t.Errorf("Rel(%q) = %q, want %q", c.path, rel, c.rel)
			}
			want := c.path
			if c.name == "already relative" {
				want = filepath.Join(dir, "samples", "photo.png")
			}
			if got := Abs(dir, rel); got != want {
				t.Errorf("Abs(%q) = %q, want %q", rel, got, want)
			}
		})
	}
}

func TestDialogSize(t *testing.T) {
	for _, c := range []struct {
		name      string
		win, want fyne.Size
	}{
		{"the default window", fyne.NewSize(1200, 780), fyne.NewSize(1000, 663)},
		{"a small window", fyne.NewSize(900, 600), fyne.NewSize(810, 510)},
		{"a large screen", fyne.NewSize(2400, 1600), fyne.NewSize(1000, 700)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := dialogSize(c.win); got != c.want {
				t.Errorf("dialogSize(%v) = %v, want %v", c.win, got, c.want)
			}
		})
	}
}
