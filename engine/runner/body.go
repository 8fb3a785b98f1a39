package runner

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"apidesk/engine/kv"
	"apidesk/engine/query"
)

// ErrFile is matched by errors.Is when a body's file cannot be sent: it is missing, is a folder, cannot be
// read, or changed while it was sent.
var ErrFile = errors.New("the file cannot be sent")

func fileError(format string, args ...any) error {
	return &plainError{msg: fmt.Sprintf(format, args...), kind: ErrFile}
}

// upload is a body streamed from disk as it is sent: pieces of memory (a multipart form's boundaries, part
// headers and text fields) and files, in order. Each read of the request body opens its files anew, so the
// same upload can be sent again (Request.GetBody) after a redirect that keeps the method.
type upload struct {
	pieces []piece
	size   int64 // the whole body's length; -1 when a file's length is not known beforehand (a pipe)
}

// piece is bytes of memory, or a file of a size known when the request was planned (-1 when it is not).
type piece struct {
	data    []byte
	path    string // absolute
	written string // the path as the query writes it, for messages
	size    int64
}

// resolve makes a body file's path absolute: a relative one is in dir (the workspace folder), or the current
// folder when dir is "". Paths are written with '/' in a query, whatever the system.
func resolve(dir, path string) string {
	p := filepath.FromSlash(path)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	if dir == "" {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
		return p
	}
	return filepath.Join(dir, p)
}

// statFile checks that the file at abs (written as written, for field, e.g. `the file of the field "avatar"`)
// can be read, and returns its size (-1 when it is not a regular file, such as a pipe, whose size cannot be
// known beforehand).
func statFile(abs, written, what string) (int64, error) {
	where := ""
	if abs != written {
		where = " (looked for " + abs + ")"
	}
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return 0, fileError("%s, %s, was not found%s: choose the file again, or put it back", what, written, where)
	case errors.Is(err, fs.ErrPermission):
		return 0, fileError("%s, %s, cannot be read: you are not allowed to open it%s", what, written, where)
	case err != nil:
		return 0, fileError("%s, %s, cannot be read%s: %v", what, written, where, err)
	case fi.IsDir():
		return 0, fileError("%s, %s, is a folder, not a file%s: choose a file", what, written, where)
	}
	f, err := os.Open(abs)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return 0, fileError("%s, %s, cannot be read: you are not allowed to open it%s", what, written, where)
		}
		return 0, fileError("%s, %s, cannot be read%s: %v", what, written, where, err)
	}
	_ = f.Close()
	if !fi.Mode().IsRegular() {
		return -1, nil
	}
	return fi.Size(), nil
}

// fileBody plans a file body: the file, checked (when check is set: not in a preview), and its content type.
func fileBody(dir string, b query.Body, check bool) (abs, contentType string, u *upload, err error) {
	if strings.TrimSpace(b.File) == "" {
		return "", "", nil, fileError("no file is chosen for the body: choose the file to send")
	}
	abs = resolve(dir, b.File)
	contentType = b.ContentType
	if contentType == "" {
		contentType = query.ContentTypeOf(b.File)
	}
	if !check {
		return abs, contentType, nil, nil
	}
	size, err := statFile(abs, b.File, "the file to send")
	if err != nil {
		return "", "", nil, err
	}
	return abs, contentType, &upload{pieces: []piece{{path: abs, written: b.File, size: size}}, size: size}, nil
}

// multipartBody plans a multipart/form-data body of parts (expanded): the parts with their files' paths made
// absolute, the content type with its boundary, and, when check is set (not in a preview), the upload with
// every file checked. boundary is the one the person's Content-Type header gives, "" for a new one.
func multipartBody(dir string, parts []query.Part, boundary string, check bool) (out []query.Part, contentType string, u *upload, err error) {
	u = &upload{}
	w := multipart.NewWriter((*pieceWriter)(u))
	if boundary != "" {
		if err := w.SetBoundary(boundary); err != nil {
			return nil, "", nil, badHeader("header", "Content-Type", errors.New("its boundary is not valid"), ": remove the boundary, apidesk chooses one")
		}
	}
	out = make([]query.Part, len(parts))
	for i, p := range parts {
		if strings.TrimSpace(p.Name) == "" {
			return nil, "", nil, fmt.Errorf("a field of the multipart form has no name: give each field a name (check the variables used in them)")
		}
		h := make(textproto.MIMEHeader, 2)
		if !p.IsFile() {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, escapeQuotes(p.Name)))
			if p.ContentType != "" {
				h.Set("Content-Type", p.ContentType)
			}
			out[i] = p
			pw, err := w.CreatePart(h)
			if err == nil {
				_, err = io.WriteString(pw, p.Value)
			}
			if err != nil {
				return nil, "", nil, err // writes to memory do not fail
			}
			continue
		}
		abs := resolve(dir, p.File)
		filename := p.Filename
		if filename == "" {
			filename = filepath.Base(filepath.FromSlash(p.File))
		}
		ct := p.ContentType
		if ct == "" {
			ct = query.ContentTypeOf(filename)
		}
		out[i] = p
		out[i].File = abs
		h.Set("Content-Disposition", multipart.FileContentDisposition(p.Name, filename))
		h.Set("Content-Type", ct)
		if _, err := w.CreatePart(h); err != nil {
			return nil, "", nil, err
		}
		if !check {
			continue
		}
		size, err := statFile(abs, p.File, fmt.Sprintf("the file of the field %q", p.Name))
		if err != nil {
			return nil, "", nil, err
		}
		u.pieces = append(u.pieces, piece{path: abs, written: p.File, size: size})
	}
	if err := w.Close(); err != nil {
		return nil, "", nil, err
	}
	u.size = 0
	for _, pc := range u.pieces {
		switch {
		case pc.size < 0 || u.size < 0:
			u.size = -1
		case pc.path == "":
			u.size += int64(len(pc.data))
		default:
			u.size += pc.size
		}
	}
	if !check {
		u = nil
	}
	return out, w.FormDataContentType(), u, nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A")

// escapeQuotes escapes a field name in a Content-Disposition header as mime/multipart does.
func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// pieceWriter collects what a multipart.Writer writes as memory pieces of an upload.
type pieceWriter upload

func (w *pieceWriter) Write(b []byte) (int, error) {
	n := len(w.pieces)
	if n == 0 || w.pieces[n-1].path != "" {
		w.pieces = append(w.pieces, piece{})
		n++
	}
	w.pieces[n-1].data = append(w.pieces[n-1].data, b...)
	return len(b), nil
}

// boundaryOf reads the Content-Type header a person wrote for a multipart form. It returns the boundary
// given, and whether the header is a multipart type without one, to which the runner adds its own.
func boundaryOf(headers kv.List) (boundary string, add bool) {
	for _, h := range headers {
		if !strings.EqualFold(h.Key, "Content-Type") {
			continue
		}
		mt, params, err := mime.ParseMediaType(h.Value)
		if err != nil || !strings.HasPrefix(mt, "multipart/") {
			return "", false
		}
		if b := params["boundary"]; b != "" {
			return b, false
		}
		return "", true
	}
	return "", false
}

// withBoundary adds the boundary of contentType (multipart/form-data; boundary=…) to the person's Content-Type
// header, which names a multipart type without one, as curl does.
func withBoundary(headers kv.List, contentType string) {
	_, params, _ := mime.ParseMediaType(contentType)
	for i, h := range headers {
		if strings.EqualFold(h.Key, "Content-Type") {
			headers[i].Value = strings.TrimRight(strings.TrimSpace(h.Value), ";") + "; boundary=" + params["boundary"]
			return
		}
	}
}

// body returns a reader of the whole upload, which opens each file when it gets to it. sent, when not nil, is
// told how many bytes have been read so far.
func (u *upload) body(sent func(n int64)) io.ReadCloser {
	if u.size == 0 {
		return http.NoBody
	}
	return &uploadReader{u: u, sent: sent}
}

// uploadReader reads an upload's pieces in turn. Read runs on one goroutine; the transport may call Close from
// another, even during a Read.
type uploadReader struct {
	u      *upload
	sent   func(n int64)
	i      int      // the piece being read
	off    int      // how much of a memory piece has been read
	f      *os.File // the file piece being read, nil when none
	left   int64    // what is left to read of f (a file of unknown size: -1)
	n      int64
	open   atomic.Pointer[os.File] // f, for Close; whoever swaps it out closes it
	closed atomic.Bool
}

func (r *uploadReader) Read(b []byte) (int, error) {
	for r.i < len(r.u.pieces) {
		if r.closed.Load() {
			return 0, errUploadClosed
		}
		pc := &r.u.pieces[r.i]
		if pc.path == "" {
			if r.off < len(pc.data) {
				n := copy(b, pc.data[r.off:])
				r.off += n
				return r.count(n), nil
			}
			r.i, r.off = r.i+1, 0
			continue
		}
		if r.f == nil {
			f, err := os.Open(pc.path)
			if err != nil {
				return 0, fileError("the file %s could not be opened while it was sent: %v", pc.written, err)
			}
			r.f, r.left = f, pc.size
			r.open.Store(f)
			if r.closed.Load() {
				r.next()
				return 0, errUploadClosed
			}
		}
		if r.left == 0 {
			r.next()
			continue
		}
		buf := b
		if r.left > 0 && int64(len(buf)) > r.left {
			buf = buf[:r.left]
		}
		n, err := r.f.Read(buf)
		if r.left > 0 {
			r.left -= int64(n)
		}
		switch {
		case err == io.EOF && r.left > 0:
			r.next()
			return r.count(n), fileError("the file %s got shorter while it was sent: send it again once nothing is writing to it", pc.written)
		case err == io.EOF:
			r.next()
		case err != nil:
			if r.closed.Load() {
				return r.count(n), errUploadClosed
			}
			return r.count(n), fileError("the file %s could not be read while it was sent: %v", pc.written, err)
		}
		if n > 0 {
			return r.count(n), nil
		}
	}
	return 0, io.EOF
}

var errUploadClosed = errors.New("the request body was closed")

func (r *uploadReader) count(n int) int {
	if n > 0 && r.sent != nil {
		r.n += int64(n)
		r.sent(r.n)
	}
	return n
}

// next closes the file being read and moves to the next piece.
func (r *uploadReader) next() {
	if f := r.open.Swap(nil); f != nil {
		_ = f.Close()
	}
	r.f = nil
	r.i++
}

// Close closes the file being read, and makes any later Read fail.
func (r *uploadReader) Close() error {
	r.closed.Store(true)
	if f := r.open.Swap(nil); f != nil {
		_ = f.Close()
	}
	return nil
}
