package oauthpeer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
)

// handleToken is the token endpoint: fosite's, reached by POST as RFC 6749
// says or by GET with the parameters in the query, as some providers allow.
// Its answers pass through the quirks the test asked for.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
	case http.MethodGet:
		r = postFromQuery(r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "use POST or GET", http.StatusMethodNotAllowed)
		return
	}
	_ = r.ParseForm() // fosite reports a malformed body itself
	grantType := r.PostForm.Get("grant_type")
	rec := httptest.NewRecorder()

	s.mu.Lock()
	quirks := s.quirks
	if grantType == GrantRefreshToken && s.rejectNext != nil {
		rej := s.rejectNext
		s.rejectNext = nil
		writeJSON(rec, rej.status, map[string]string{
			"error":             rej.code,
			"error_description": "The test rejected this refresh (oauthpeer RejectNextRefresh).",
		})
	} else {
		s.exchange(rec, r, grantType)
	}
	s.mu.Unlock()

	writeTokenAnswer(w, rec, quirks)
}

// exchange runs one token request through fosite. Callers hold s.mu.
func (s *Server) exchange(rec *httptest.ResponseRecorder, r *http.Request, grantType string) {
	ctx := r.Context()
	ar, err := s.provider.NewAccessRequest(ctx, r, s.newSession(""))
	if err != nil {
		s.provider.WriteAccessError(ctx, rec, ar, err)
		return
	}
	if sess, ok := ar.GetSession().(*session); ok && grantType == GrantClientCredentials {
		sess.setSubject(ar.GetClient().GetID())
	}
	resp, err := s.provider.NewAccessResponse(ctx, ar)
	if err != nil {
		s.provider.WriteAccessError(ctx, rec, ar, err)
		return
	}
	s.provider.WriteAccessResponse(ctx, rec, ar, resp)
	issued := TokenResponse{GrantType: grantType, AccessToken: resp.GetAccessToken()}
	issued.RefreshToken, _ = resp.GetExtra("refresh_token").(string)
	issued.IDToken, _ = resp.GetExtra("id_token").(string)
	s.issued = append(s.issued, issued)
}

// postFromQuery turns a GET token request into the POST form request fosite
// insists on, keeping headers (Basic credentials) as they were.
func postFromQuery(r *http.Request) *http.Request {
	body := r.URL.Query().Encode()
	p := r.Clone(r.Context())
	u := *r.URL
	u.RawQuery = ""
	p.URL = &u
	p.Method = http.MethodPost
	p.Body = io.NopCloser(strings.NewReader(body))
	p.ContentLength = int64(len(body))
	p.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p.Form, p.PostForm, p.MultipartForm = nil, nil, nil
	return p
}

// writeTokenAnswer copies fosite's answer to w, rewritten for quirks.
func writeTokenAnswer(w http.ResponseWriter, rec *httptest.ResponseRecorder, quirks Quirk) {
	if quirks == 0 {
		copyResponse(w, rec)
		return
	}
	var fields map[string]any
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&fields); err != nil {
		copyResponse(w, rec) // not JSON: nothing to rewrite
		return
	}
	if quirks&QuirkNoTokenType != 0 {
		delete(fields, "token_type")
	}
	if v, ok := fields["expires_in"]; ok && quirks&QuirkExpiresInString != 0 {
		fields["expires_in"] = fmt.Sprint(v)
	}
	status := rec.Code
	if status >= 400 && quirks&QuirkErrorStatus200 != 0 {
		status = http.StatusOK
	}

	var body []byte
	contentType := "application/json;charset=UTF-8"
	if quirks&QuirkFormEncoded != 0 {
		form := url.Values{}
		for k, v := range fields {
			switch v := v.(type) {
			case string:
				form.Set(k, v)
			case json.Number:
				form.Set(k, v.String())
			default:
				b, _ := json.Marshal(v)
				form.Set(k, string(b))
			}
		}
		body = []byte(form.Encode())
		contentType = "application/x-www-form-urlencoded; charset=utf-8"
	} else {
		b, err := json.Marshal(fields)
		if err != nil {
			copyResponse(w, rec)
			return
		}
		body = b
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
