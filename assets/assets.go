// Package assets embeds apidesk's icon and bundled files (go:embed cannot reach '..', so they live here).
package assets

import _ "embed"

// IconPNG is the 512×512 app icon; icon.svg is its source (rsvg-convert -w 512 -h 512 icon.svg -o icon.png).
//
//go:embed icon.png
var IconPNG []byte
