package query

import (
	"errors"
	"fmt"
	"mime"
	"path/filepath"
	"strings"

	"apidesk/engine/resource"
)

// ContentTypeOf guesses the content type of a file from its name's extension (mime.TypeByExtension), or gives
// application/octet-stream: what a file body or a multipart file field is sent as when no type is set.
func ContentTypeOf(path string) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(path))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// ValidateContentType checks a content type a person wrote: empty (chosen for them), or a media type with
// optional parameters, as in image/png or text/plain; charset=utf-8.
func ValidateContentType(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(s)
	if err != nil || !strings.Contains(mt, "/") || strings.ContainsAny(s, "\r\n") {
		return fmt.Errorf("Content type %q is not valid: write it like image/png, or text/plain; charset=utf-8", s)
	}
	return nil
}

// ValidateFilePath checks the path of a file to send: given, and on one line.
func ValidateFilePath(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return errors.New("Choose the file to send")
	case strings.ContainsAny(s, "\r\n\x00"):
		return errors.New("The file's path must be on one line")
	}
	return nil
}

// ValidateParts checks the fields of a multipart form; field names the list ("body.parts"), and each problem
// is reported as field[i].name, .file, .filename or .content_type. Disabled parts are checked too: they are
// saved.
func ValidateParts(field string, parts []Part) resource.Errors {
	var es resource.Errors
	add := func(i int, sub string, err error) {
		if err != nil {
			es = append(es, resource.FieldError{Field: fmt.Sprintf("%s[%d].%s", field, i, sub), Msg: err.Error()})
		}
	}
	for i, p := range parts {
		switch {
		case strings.TrimSpace(p.Name) == "":
			add(i, "name", errors.New("Each field of the multipart form needs a name"))
		case strings.ContainsAny(p.Name, "\r\n"):
			add(i, "name", fmt.Errorf("The name of the field %q must be on one line", strings.TrimSpace(p.Name)))
		}
		if p.IsFile() {
			add(i, "file", ValidateFilePath(p.File))
			if strings.ContainsAny(p.Filename, "\r\n") {
				add(i, "filename", fmt.Errorf("The file name sent for %q must be on one line", p.Name))
			}
		} else if p.Filename != "" {
			add(i, "file", fmt.Errorf("The file field %q has no file: choose the file to send", p.Name))
		}
		add(i, "content_type", ValidateContentType(p.ContentType))
	}
	return es
}
