// Package jsonview prepares a response body for display: the JSON pretty-printed (or the text as it is) with an
// index of its lines, search, syntax classes for colouring, and a lazily indexed table of a JSON array. The work
// runs off the UI thread, takes a context a newer response can cancel, and never imports Fyne: the window's
// widgets draw what this package prepares.
package jsonview

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// Defaults of Options.
const (
	// DefaultMaxLines keeps a list view below the ~4.5 million rows where float32 coordinates stop placing
	// rows exactly.
	DefaultMaxLines = 3_000_000
	// DefaultMaxLineLen is how many characters of a line are shown: Fyne renders a canvas.Text of many more
	// as a black box (fyne-io/fyne#678).
	DefaultMaxLineLen = 1500
	// hexDumpBytes is how much of a binary body is shown as a hex dump.
	hexDumpBytes = 64 << 10
	// maxText keeps line offsets within int32.
	maxText = 1<<31 - 1<<16
	// checkEvery is how many bytes are handled between looks at the context.
	checkEvery = 1 << 20
)

// Kind says how a body is shown.
type Kind int

// The kinds of Doc.
const (
	Text   Kind = iota // shown as received
	JSON               // pretty-printed JSON
	Binary             // a hex dump of its start
)

func (k Kind) String() string {
	switch k {
	case JSON:
		return "JSON"
	case Binary:
		return "binary"
	default:
		return "text"
	}
}

// Options tune Prepare. The zero value is ready to use.
type Options struct {
	// ContentType is the response's Content-Type header; empty means guess from the bytes.
	ContentType string
	// Partial says the body is only the start of the response (it was cut at the view cap): JSON that is
	// incomplete only because it ends early is still formatted, as far as it goes.
	Partial bool
	// MaxLines is how many lines are kept; 0 means DefaultMaxLines.
	MaxLines int
	// MaxLineLen is how many characters of a line DisplayLine shows; 0 means DefaultMaxLineLen.
	MaxLineLen int
	// Indent is one level of JSON indentation; empty means two spaces.
	Indent string
}

// Doc is a body prepared for display: its text (formatted JSON, the body as it is, or a hex dump) and the
// offsets where its lines start. A Doc does not change after Prepare returns it, so any goroutine may read it.
type Doc struct {
	text       []byte
	lines      []int32 // lines[i] is where line i starts in text
	kind       Kind
	notes      []string
	maxLineLen int
}

// Prepare formats body for display. JSON (by its content type, or by its first byte when the type says
// nothing) is pretty-printed; other text is indexed as it is; a binary body becomes a hex dump of its start.
// What the reader should know (invalid JSON, lines left out) is in Notes. The only error is the context's,
// when it is cancelled first; body must not change while Prepare runs.
func Prepare(ctx context.Context, body []byte, opt Options) (*Doc, error) {
	if opt.MaxLines <= 0 {
		opt.MaxLines = DefaultMaxLines
	}
	if opt.MaxLineLen <= 0 {
		opt.MaxLineLen = DefaultMaxLineLen
	}
	if opt.Indent == "" {
		opt.Indent = "  "
	}
	d := &Doc{maxLineLen: opt.MaxLineLen}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("formatting the body stopped: %w", err)
	}
	ct := mediaType(opt.ContentType)
	if looksBinary(body, ct) {
		d.kind = Binary
		d.text = hexDump(body[:min(len(body), hexDumpBytes)])
		d.notes = append(d.notes, binaryNote(len(body), ct))
		return d, d.indexLines(ctx, opt.MaxLines)
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, bom), " \t\r\n")
	typedJSON := isJSONType(ct)
	if typedJSON || (ct == "" || !isTextType(ct)) && len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		done, err := d.prepareJSON(ctx, trimmed, typedJSON, opt)
		if done || err != nil {
			return d, err
		}
	}
	d.kind = Text
	d.text = body
	return d, d.indexLines(ctx, opt.MaxLines)
}

// prepareJSON formats body as JSON when it is valid (or a valid start, when the body is partial). It reports
// false when the body is to be shown as text instead, with a note when the content type promised JSON.
func (d *Doc) prepareJSON(ctx context.Context, body []byte, typedJSON bool, opt Options) (bool, error) {
	// Validating and formatting are independent passes over the body: run them side by side and keep the
	// formatted text only when the body is valid.
	valid := make(chan bool, 1)
	go func() { valid <- gojson.Valid(body) }()
	f := formatter{indent: opt.Indent, maxLines: opt.MaxLines}
	if err := f.format(ctx, body); err != nil {
		return false, err // cancelled: the validation finishes on its own
	}
	switch {
	case <-valid:
	case opt.Partial && endsEarly(body):
		f.lenient = true
	default:
		if typedJSON || body[0] == '{' || body[0] == '[' {
			d.notes = append(d.notes, invalidNote(body))
		}
		return false, nil
	}
	d.kind, d.text, d.lines = JSON, f.out, f.lines
	if f.lenient {
		d.notes = append(d.notes, "The body is cut short, so its JSON ends early: it is formatted as far as it goes.")
	}
	if f.full {
		d.notes = append(d.notes, fmt.Sprintf("Showing the first %s lines. Save the body to see all of it.", thousands(len(f.lines))))
	}
	return true, nil
}

var bom = []byte("\xef\xbb\xbf")

// indexLines records where each line of d.text starts, keeping at most maxLines lines.
func (d *Doc) indexLines(ctx context.Context, maxLines int) error {
	text := d.text
	if len(text) > maxText {
		text = text[:maxText]
		d.notes = append(d.notes, fmt.Sprintf("Showing the first %s bytes. Save the body to see all of it.", thousands(maxText)))
	}
	lines := make([]int32, 0, min(maxLines, len(text)/32+1))
	lines = append(lines, 0)
	next := checkEvery
	for i := 0; ; {
		k := bytes.IndexByte(text[i:], '\n')
		if k < 0 {
			break
		}
		i += k + 1
		if i == len(text) { // a final line break does not start an empty line
			break
		}
		if len(lines) == maxLines {
			text = text[:i-1]
			d.notes = append(d.notes, fmt.Sprintf("Showing the first %s lines. Save the body to see all of it.", thousands(maxLines)))
			break
		}
		lines = append(lines, int32(i))
		if i >= next {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("indexing the body's lines stopped: %w", err)
			}
			next = i + checkEvery
		}
	}
	d.text, d.lines = text, lines
	return nil
}

// Kind says how the body is shown.
func (d *Doc) Kind() Kind { return d.kind }

// Notes are sentences the reader should see above the body (invalid JSON, lines left out, a cut-short body).
func (d *Doc) Notes() []string { return d.notes }

// Lines is the number of lines.
func (d *Doc) Lines() int { return len(d.lines) }

// Bytes is the whole text shown (formatted JSON, the body, or the hex dump); callers must not change it.
func (d *Doc) Bytes() []byte { return d.text }

// Line is the full text of line i, without its line break; callers must not change it.
func (d *Doc) Line(i int) []byte {
	start, end := d.lineBounds(i)
	return d.text[start:end]
}

func (d *Doc) lineBounds(i int) (start, end int) {
	start, end = int(d.lines[i]), len(d.text)
	if i+1 < len(d.lines) {
		end = int(d.lines[i+1]) - 1
	} else if end > start && d.text[end-1] == '\n' {
		end--
	}
	if end > start && d.text[end-1] == '\r' {
		end--
	}
	return start, end
}

// DisplayLine is line i as a single line of text to draw: tabs as spaces, control characters as '·', and
// cut after MaxLineLen characters. more is how many bytes of the line were left out (0 when none).
func (d *Doc) DisplayLine(i int) (s string, more int) {
	line := d.Line(i)
	s, used := Display(line, d.maxLineLen)
	return s, len(line) - used
}

// Widest is about how many characters the longest line shows (its length in bytes, at most MaxLineLen), for
// the width of a horizontal scroll.
func (d *Doc) Widest() int {
	widest := 0
	for i := 1; i < len(d.lines); i++ {
		widest = max(widest, int(d.lines[i]-d.lines[i-1])-1)
	}
	if n := len(d.lines); n > 0 {
		widest = max(widest, len(d.text)-int(d.lines[n-1]))
	}
	return min(widest, d.maxLineLen)
}

// LineOf is the line that holds byte offset off of Bytes.
func (d *Doc) LineOf(off int) int {
	lo, hi := 0, len(d.lines)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if int(d.lines[m]) <= off {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// Display turns b into text safe to draw on one line: tabs become four spaces, other control characters '·'
// and invalid UTF-8 '�', and it stops before maxChars characters are exceeded (maxChars <= 0: no limit).
// used is how many bytes of b went into s. A prefix of a line gives a prefix of its display, so a caller can
// measure where a byte offset lands.
func Display(b []byte, maxChars int) (s string, used int) {
	if maxChars <= 0 {
		maxChars = len(b)*4 + 1
	}
	plain := len(b) <= maxChars
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return string(b), len(b)
	}
	var sb strings.Builder
	sb.Grow(min(len(b), maxChars) + 8)
	chars := 0
	for used < len(b) {
		c := b[used]
		var (
			add  string
			r    rune
			size = 1
			n    = 1
		)
		switch {
		case c == '\t':
			add, n = "    ", 4
		case c < 0x20 || c == 0x7f:
			add = "·"
		case c < utf8.RuneSelf:
		default:
			r, size = utf8.DecodeRune(b[used:])
			if r == utf8.RuneError && size == 1 {
				add = "\uFFFD"
			}
		}
		if chars+n > maxChars {
			break
		}
		if add != "" {
			sb.WriteString(add)
		} else {
			sb.Write(b[used : used+size])
		}
		chars += n
		used += size
	}
	return sb.String(), used
}

// mediaType is the lower-case media type of a Content-Type header, or "" when there is none.
func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func isJSONType(mt string) bool {
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

func isTextType(mt string) bool {
	return strings.HasPrefix(mt, "text/") || mt == "application/xml" || strings.HasSuffix(mt, "+xml") ||
		mt == "application/javascript" || mt == "application/x-ndjson" || mt == "application/x-www-form-urlencoded"
}

// looksBinary says whether a body is not text: an image, audio, video or font type, or a NUL byte or
// invalid UTF-8 in its first 8 KB.
func looksBinary(body []byte, mt string) bool {
	for _, p := range []string{"image/", "audio/", "video/", "font/"} {
		if strings.HasPrefix(mt, p) && !strings.HasSuffix(mt, "+xml") {
			return true
		}
	}
	if mt == "application/octet-stream" || mt == "application/pdf" || mt == "application/zip" || mt == "application/gzip" {
		return true
	}
	if isJSONType(mt) || isTextType(mt) {
		return false
	}
	head := body[:min(len(body), 8<<10)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size == 1 && len(head)-i >= utf8.UTFMax {
			return true
		}
		i += size
	}
	return false
}

func binaryNote(size int, mt string) string {
	what := "This body is binary"
	if mt != "" {
		what += " (" + mt + ")"
	}
	shown := ""
	if size > hexDumpBytes {
		shown = fmt.Sprintf(" of its first %s bytes", thousands(hexDumpBytes))
	}
	return fmt.Sprintf("%s, %s bytes: shown as a hex dump%s. Save the body to open it in another program.", what, thousands(size), shown)
}

const hexDigits = "0123456789abcdef"

// hexDump shows b as lines of 16 bytes: offset, hex, and the printable ASCII.
func hexDump(b []byte) []byte {
	out := make([]byte, 0, (len(b)/16+1)*78)
	for off := 0; off < len(b); off += 16 {
		row := b[off:min(off+16, len(b))]
		out = fmt.Appendf(out, "%08x  ", off)
		for i := range 16 {
			if i < len(row) {
				out = append(out, hexDigits[row[i]>>4], hexDigits[row[i]&15], ' ')
			} else {
				out = append(out, "   "...)
			}
			if i == 7 {
				out = append(out, ' ')
			}
		}
		out = append(out, " |"...)
		for _, c := range row {
			if c < 0x20 || c >= 0x7f {
				c = '.'
			}
			out = append(out, c)
		}
		out = append(out, "|\n"...)
	}
	return out
}

// endsEarly says whether body is the valid start of a JSON value that is cut short.
func endsEarly(body []byte) bool {
	var syn *json.SyntaxError
	err := json.Unmarshal(body, new(json.RawMessage))
	return errors.As(err, &syn) && syn.Offset >= int64(len(bytes.TrimRight(body, " \t\r\n")))
}

// invalidNote says where body stops being JSON, in the reader's words.
func invalidNote(body []byte) string {
	err := json.Unmarshal(body, new(json.RawMessage))
	var syn *json.SyntaxError
	where := ""
	msg := "it ends early"
	if errors.As(err, &syn) {
		msg = strings.TrimPrefix(syn.Error(), "json: ")
		if msg == "unexpected end of JSON input" {
			msg = "it ends early"
		} else {
			off := max(0, min(int(syn.Offset)-1, len(body))) // Offset counts the bad byte
			line := bytes.Count(body[:off], []byte{'\n'}) + 1
			col := off - bytes.LastIndexByte(body[:off], '\n')
			where = fmt.Sprintf(" at line %d, column %d", line, col)
		}
	}
	return fmt.Sprintf("This body is not valid JSON (%s%s), so it is shown as received.", msg, where)
}

// thousands writes n with commas: 3,000,000.
func thousands(n int) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
