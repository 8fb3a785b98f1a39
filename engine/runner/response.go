package runner

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"apidesk/engine/sensitive"
)

// Response is an answer read whole. Body holds the first MemCap bytes for display; a longer body is whole in a
// temp file, which Close removes. SaveTo, Open and WriteTo give the whole body either way.
type Response struct {
	StatusCode int
	Status     string // as the server wrote it, for example "200 OK"
	Proto      string // "HTTP/1.1", "HTTP/2.0"
	Header     http.Header
	Cookies    []*http.Cookie // parsed from Set-Cookie
	URL        string         // the final URL, after redirects; secrets in its query are replaced by placeholders
	Redirects  int            // how many redirects were followed
	Timing     Timing
	Size       int64  // bytes of the body, decoded
	WireSize   int64  // bytes of the body as received, before undoing Content-Encoding
	Decoded    string // the Content-Encoding undone ("gzip", "deflate"); "" when the body is as received
	Body       []byte // the first MemCap bytes of the body: all of it unless Truncated
	Truncated  bool   // the body is longer than Body; the whole of it is in a temp file
	TLSVersion string // "TLS 1.3", "TLS 1.2"…; "" for plain http
	Insecure   bool   // the server's TLS certificate was not verified (the resource's Network.Insecure)

	sent []string // the secrets the request carried, which Mask hides

	mu     sync.Mutex
	file   string // the temp file holding the whole body, or ""
	closed bool
}

// Mask returns text, taken from the answer (a message in its body), with every secret hidden: those the request
// carried, which a server may echo ("the token abc… has expired"), and whatever sensitive.Mask recognises.
func (r *Response) Mask(text string) string { return sensitive.Mask(text, r.sent...) }

// errClosed is returned by the body methods after Close.
var errClosed = errors.New("the response was closed: its body is no longer available; send the request again")

// Open returns the whole body. Close the reader when done.
func (r *Response) Open() (io.ReadCloser, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errClosed
	}
	if r.file == "" {
		return io.NopCloser(bytes.NewReader(r.Body)), nil
	}
	f, err := os.Open(r.file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the saved response body: %w", err)
	}
	return f, nil
}

// WriteTo writes the whole body to w.
func (r *Response) WriteTo(w io.Writer) (int64, error) {
	rc, err := r.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(w, rc)
}

// SaveTo writes the whole body to a file at path, replacing it; a failed save leaves no partial file.
func (r *Response) SaveTo(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cannot save the response: %w", err)
	}
	_, err = r.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("cannot save the response to %s: %w", path, err)
	}
	return nil
}

// Close removes the temp file holding the body, if any. Body stays readable; Open, WriteTo and SaveTo fail.
func (r *Response) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	if r.file == "" {
		return nil
	}
	if err := os.Remove(r.file); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot remove the temp file of a response: %w", err)
	}
	return nil
}

// Progress counts the bytes of a response body as they arrive, for a window to show; safe for concurrent use.
// Pass it to Do in the context, with WithProgress (as httptrace passes a ClientTrace).
type Progress struct {
	read  atomic.Int64
	total atomic.Int64 // Content-Length + 1; 0 while unknown

	sent       atomic.Int64
	uploadSize atomic.Int64 // the size of the body streamed from disk + 2 (1: not known beforehand); 0: none
}

// Sent returns how many bytes of a body streamed from disk (a multipart form, a file) have been sent, and the
// body's whole size (-1 when it is not known beforehand). Both are 0 when the request has no such body.
func (p *Progress) Sent() (n, size int64) {
	s := p.uploadSize.Load()
	if s == 0 {
		return 0, 0
	}
	return p.sent.Load(), s - 2
}

func (p *Progress) startUpload(size int64) {
	p.sent.Store(0)
	p.uploadSize.Store(max(size, -1) + 2)
}

// Read returns how many bytes of the body have arrived (as sent, before decoding).
func (p *Progress) Read() int64 { return p.read.Load() }

// Total returns the Content-Length of the body, or -1 while it is not known.
func (p *Progress) Total() int64 { return p.total.Load() - 1 }

func (p *Progress) start(total int64) {
	p.read.Store(0)
	if total < 0 {
		total = -1
	}
	p.total.Store(total + 1)
}

type progressKey struct{}

// WithProgress returns a context that makes Do report the progress of the response body in p.
func WithProgress(ctx context.Context, p *Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

func progressFrom(ctx context.Context) *Progress {
	p, _ := ctx.Value(progressKey{}).(*Progress)
	return p
}

// wireReader counts the body's bytes as received, reports progress, and restarts the timeout on every read,
// so the timeout bounds each pause rather than the whole transfer. It keeps the transport's error apart from
// a decoder's.
type wireReader struct {
	r    io.Reader
	a    *attempt
	prog *Progress
	n    int64
	err  error
}

func (w *wireReader) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if n > 0 {
		w.n += int64(n)
		w.a.lastRead.Store(int64(time.Since(w.a.trace.start)))
		if w.prog != nil {
			w.prog.read.Store(w.n)
		}
	}
	if err != nil && err != io.EOF {
		w.err = err
	}
	return n, err
}

// decoder undoes a Content-Encoding, starting on the first read, so an empty body (HEAD, 204) is not an error.
type decoder struct {
	wire *wireReader
	open func(io.Reader) (io.Reader, error)
	r    io.Reader
}

func (d *decoder) Read(p []byte) (int, error) {
	if d.r == nil {
		r, err := d.open(d.wire)
		if err != nil {
			if err == io.EOF && d.wire.n == 0 {
				return 0, io.EOF
			}
			return 0, err
		}
		d.r = r
	}
	return d.r.Read(p)
}

func decoderFor(encoding string) func(io.Reader) (io.Reader, error) {
	switch encoding {
	case "gzip", "x-gzip":
		return func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }
	case "deflate":
		return func(r io.Reader) (io.Reader, error) { return zlib.NewReader(r) }
	}
	return nil
}

// read reads the body of an attempt into a Response.
func (r *Runner) read(parent context.Context, a *attempt, p *Plan) (*Response, error) {
	defer a.cancel(nil)
	defer a.timer.Stop()
	resp := a.resp
	defer resp.Body.Close()

	// One allocation for the response and its readers.
	all := &struct {
		resp  Response
		wire  wireReader
		limit io.LimitedReader
		sink  sink
	}{wire: wireReader{r: resp.Body, a: a}}
	out, wire, limit, s := &all.resp, &all.wire, &all.limit, &all.sink
	*out = Response{
		StatusCode: resp.StatusCode,
		Status:     resp.Status,
		Proto:      resp.Proto,
		Header:     resp.Header,
		Redirects:  a.redirects,
	}
	if resp.TLS != nil {
		out.TLSVersion = tls.VersionName(resp.TLS.Version)
		out.Insecure = a.insecure
	}
	if len(resp.Header["Set-Cookie"]) > 0 {
		out.Cookies = resp.Cookies()
	}
	if a.redirects == 0 && len(p.secretParams) == 0 && !strings.Contains(p.URL, "@") {
		out.URL = p.URL // what was sent, with nothing to hide
	} else {
		final := *resp.Request.URL
		final.User = nil
		final.RawQuery = maskParams(final.RawQuery, p.secretParams)
		out.URL = final.String()
	}

	prog := progressFrom(parent)
	if prog != nil {
		prog.start(resp.ContentLength)
	}
	wire.prog = prog
	var body io.Reader = wire
	encoding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if open := decoderFor(encoding); open != nil {
		body = &decoder{wire: wire, open: open}
		out.Decoded = encoding
	}
	if out.Decoded == "" && resp.ContentLength > a.maxBody {
		return nil, tooLarge(resp.Request.URL.String(), a.maxBody) // said before it is sent: refuse it unread
	}
	// One byte more than the limit tells a body of exactly the limit from a longer one.
	*limit = io.LimitedReader{R: body, N: a.maxBody + min(1, math.MaxInt64-a.maxBody)}

	memCap := r.MemCap
	if memCap <= 0 {
		memCap = DefaultMemCap
	}
	s.memCap, s.dir = memCap, r.TempDir
	if cl := resp.ContentLength; cl > 0 && out.Decoded == "" {
		s.mem = make([]byte, 0, min(cl+1, memCap)) // +1: the read that sees EOF needs room
	}
	err := s.readFrom(limit)
	if err == nil && s.n > a.maxBody {
		s.remove()
		return nil, tooLarge(resp.Request.URL.String(), a.maxBody)
	}
	if err == nil {
		err = s.close()
	}
	if err != nil {
		s.remove()
		switch {
		case s.err != nil:
			return nil, s.err
		case wire.err != nil:
			return nil, explain(parent, a.ctx, resp.Request.URL.String(), a.timeout, true, wire.err)
		case parent.Err() != nil || a.ctx.Err() != nil:
			return nil, explain(parent, a.ctx, resp.Request.URL.String(), a.timeout, true, err)
		default:
			return nil, fmt.Errorf("the server said the body is compressed (Content-Encoding: %s) but it could not be decoded: %w", encoding, err)
		}
	}
	out.Timing = a.trace.timing(time.Now())
	out.Body = s.mem
	out.Size = s.n
	out.WireSize = wire.n
	out.file = s.path
	out.Truncated = s.path != ""
	return out, nil
}

// sink keeps the first memCap bytes of a body in memory and, once the body is longer, writes all of it to a
// temp file. A body that fits in memory never touches the disk.
type sink struct {
	memCap int64
	dir    string
	mem    []byte
	n      int64
	f      *os.File
	path   string
	err    error // a failure to write the temp file
}

func (s *sink) readFrom(r io.Reader) error {
	// As io.ReadAll does: fill chunks of growing size, then join them once, so nothing is copied twice.
	b := s.mem
	if cap(b) == 0 {
		b = make([]byte, 0, min(512, s.memCap))
	}
	var chunks [][]byte
	var held int64 // bytes in chunks
	next := int64(256)
	for {
		limit := min(int64(cap(b)), s.memCap-held)
		if int64(len(b)) == limit {
			if held+limit >= s.memCap {
				break // memory is full
			}
			chunks = append(chunks, b)
			held += int64(len(b))
			b = append([]byte(nil), make([]byte, min(next, s.memCap-held))...)[:0]
			next += next / 2
			continue
		}
		n, err := r.Read(b[len(b):limit])
		b = b[:len(b)+n]
		s.n += int64(n)
		if err == io.EOF {
			s.mem = join(chunks, b, held)
			return nil
		}
		if err != nil {
			return err
		}
	}
	s.mem = join(chunks, b, held)

	// The body is longer than memory may hold: the rest, and the beginning again, go to a temp file.
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if werr := s.write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func join(chunks [][]byte, last []byte, held int64) []byte {
	if len(chunks) == 0 {
		return last
	}
	out := append([]byte(nil), make([]byte, held+int64(len(last)))...)[:0] // not zeroed: about to be overwritten
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, last...)
}

func (s *sink) write(p []byte) error {
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, tempPattern())
		if err != nil {
			s.err = fmt.Errorf("cannot keep the response body in a temp file: %w", err)
			return s.err
		}
		s.f, s.path = f, f.Name()
		if _, err := f.Write(s.mem); err != nil {
			s.err = fmt.Errorf("cannot write the response body to %s: %w", s.path, err)
			return s.err
		}
	}
	if _, err := s.f.Write(p); err != nil {
		s.err = fmt.Errorf("cannot write the response body to %s: %w", s.path, err)
		return s.err
	}
	s.n += int64(len(p))
	return nil
}

func (s *sink) close() error {
	if s.f == nil {
		return nil
	}
	if err := s.f.Close(); err != nil {
		s.err = fmt.Errorf("cannot write the response body to %s: %w", s.path, err)
		return s.err
	}
	s.f = nil
	return nil
}

func (s *sink) remove() {
	if s.f != nil {
		_ = s.f.Close()
	}
	if s.path != "" {
		_ = os.Remove(s.path)
	}
}
