package paging

import (
	"bytes"
	"context"
	"fmt"

	"apidesk/engine/query"
	"apidesk/engine/resource"
	"apidesk/engine/runner"
)

// Sender sends a query, as *runner.Runner does.
type Sender interface {
	Do(ctx context.Context, res *resource.Resource, q *query.Query, vars map[string]string) (*runner.Response, error)
	Follow(ctx context.Context, res *resource.Resource, q *query.Query, vars map[string]string, next string) (*runner.Response, error)
}

// Fetch sends the request of one page of q. The caller closes the response.
func Fetch(ctx context.Context, s Sender, res *resource.Resource, q *query.Query, vars map[string]string, step Step) (*runner.Response, error) {
	if step.URL != "" {
		return s.Follow(ctx, res, q, vars, step.URL)
	}
	return s.Do(ctx, res, step.Query(q), vars)
}

// AnswerOf is what a pager needs of a response: its status, headers, URL and whole body (also the part of a
// long body that is in its temp file).
func AnswerOf(resp *runner.Response) (Answer, error) {
	a := Answer{StatusCode: resp.StatusCode, Status: resp.Status, Header: resp.Header, URL: resp.URL, Body: resp.Body}
	if resp.Truncated {
		var buf bytes.Buffer
		if _, err := resp.WriteTo(&buf); err != nil {
			return a, fmt.Errorf("reading the page's answer: %w", err)
		}
		a.Body = buf.Bytes()
	}
	return a, nil
}

// Next fetches the page after the last one added to p (step is what Add returned), adds it, and returns its
// rows and the step after it (more is false when p stopped; Stopped says why).
func Next(ctx context.Context, s Sender, res *resource.Resource, q *query.Query, vars map[string]string, p *Pager, step Step) (rows [][]byte, next Step, more bool, err error) {
	resp, err := Fetch(ctx, s, res, q, vars, step)
	if err != nil {
		return nil, Step{}, false, fmt.Errorf("page %d could not be loaded: %w", p.Pages()+1, err)
	}
	defer resp.Close()
	a, err := AnswerOf(resp)
	if err != nil {
		return nil, Step{}, false, err
	}
	rows, next, more = p.Add(ctx, a)
	return rows, next, more, nil
}

// All loads every page of q, from the first, until p stops, calling each with every page's rows as they come.
// It returns an error when a request fails (the rows given to each until then are the pages loaded) or each
// does; p.Stopped says why the pages ended.
func All(ctx context.Context, s Sender, res *resource.Resource, q *query.Query, vars map[string]string, p *Pager, each func(rows [][]byte) error) error {
	for step, more := p.First(), true; more; {
		var rows [][]byte
		var err error
		if rows, step, more, err = Next(ctx, s, res, q, vars, p, step); err != nil {
			return err
		}
		if err := each(rows); err != nil {
			return err
		}
	}
	return nil
}
