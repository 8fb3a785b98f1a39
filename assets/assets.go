// Package assets embeds apidesk's icon and bundled files (go:embed cannot reach '..', so they live here).
package assets

import _ "embed"

// IconPNG is the 512×512 app icon, for packages and About; icon.svg is its source
// (rsvg-convert -w 512 -h 512 icon.svg -o icon.png; icons/N.png are the same at N×N).
//
//go:embed icon.png
var IconPNG []byte

// WindowIconPNG is the 128×128 icon the window gives the window manager. Title bars and task switchers show
// 16–64 px; handing X11 the 512 px icon cost a third of apidesk's start time (bench/window.sh).
//
//go:embed icons/128.png
var WindowIconPNG []byte

// GuideMarkdown is the short guide the window's Help → Getting started shows.
//
//go:embed guide.md
var GuideMarkdown string
