package httpserver

import (
	"slices"
	"strings"
	"testing"
)

func demoRouter(t *testing.T) *Router {
	t.Helper()
	r, err := NewRouter("")
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range []Route{
		{"GET", "/", "root"},
		{"GET", "/hello", "hello"},
		{"GET", "/get", "get"},
		{"PUT", "/set", "set"},
		{"POST", "/upload", "upload"},
		{"DELETE", "/delete-file", "delete-file"},
		{"GET", "/person/:name", "person"},
		{"PUT", "/person/:name", "person-put"},
		{"GET", "/person/me", "me"},
		{"GET", "/person/:name/friends/:friend", "friend"},
		{"GET", "/files/:dir/list", "list"},
		{"GET", "/files/static/raw", "raw"},
	} {
		if err := r.Handle(rt.Method, rt.Pattern, rt.Handler); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestRouterMatch(t *testing.T) {
	r := demoRouter(t)
	for _, tc := range []struct {
		method, path string
		handler      string
		params       []Param
		allowed      []string // when handler == ""
	}{
		{"GET", "/", "root", nil, nil},
		{"GET", "/hello", "hello", nil, nil},
		{"get", "/hello", "hello", nil, nil},
		{"HEAD", "/hello", "hello", nil, nil},
		{"GET", "/person/yager", "person", []Param{{"name", "yager"}}, nil},
		{"PUT", "/person/yager", "person-put", []Param{{"name", "yager"}}, nil},
		{"GET", "/person/me", "me", nil, nil},
		// PUT /person/me: the literal has no PUT, so the parameter route serves it.
		{"PUT", "/person/me", "person-put", []Param{{"name", "me"}}, nil},
		{"GET", "/person/a%2Fb", "person", []Param{{"name", "a/b"}}, nil},
		{"GET", "/person/J%C3%BCrgen", "person", []Param{{"name", "Jürgen"}}, nil},
		{"GET", "/person/x/friends/y", "friend", []Param{{"name", "x"}, {"friend", "y"}}, nil},
		// Backtracking: /files/static has no "list" child, the parameter does.
		{"GET", "/files/static/list", "list", []Param{{"dir", "static"}}, nil},
		{"GET", "/files/static/raw", "raw", nil, nil},
		{"GET", "/nope", "", nil, nil},
		{"GET", "/hello/", "", nil, nil},
		{"GET", "/person", "", nil, nil},
		{"GET", "/person/", "", nil, nil},
		{"GET", "//hello", "", nil, nil},
		{"GET", "/person/%zz", "", nil, nil},
		{"POST", "/hello", "", nil, []string{"GET", "HEAD"}},
		{"GET", "/set", "", nil, []string{"PUT"}},
		{"DELETE", "/person/yager", "", nil, []string{"GET", "PUT", "HEAD"}},
		{"PATCH", "/upload", "", nil, []string{"POST"}},
	} {
		m, allowed, ok := r.Match(tc.method, tc.path)
		if tc.handler == "" {
			if ok || !slices.Equal(allowed, tc.allowed) {
				t.Errorf("%s %s: ok=%v handler=%q allowed=%v, want no match, allowed %v", tc.method, tc.path, ok, m.Route.Handler, allowed, tc.allowed)
			}
			continue
		}
		if !ok || m.Route.Handler != tc.handler || !slices.Equal(m.Params, tc.params) {
			t.Errorf("%s %s: ok=%v handler=%q params=%v, want %q %v", tc.method, tc.path, ok, m.Route.Handler, m.Params, tc.handler, tc.params)
		}
	}
}

func TestRouterErrors(t *testing.T) {
	r := demoRouter(t)
	before := len(r.Routes())
	for _, tc := range []struct{ method, pattern, handler, want string }{
		{"GET", "hello", "h", "must start with '/'"},
		{"GET", "/a//b", "h", "empty path segment"},
		{"GET", "/a/", "h", "empty path segment"},
		{"GET", "/a/:", "h", "parameter without a name"},
		{"GET", "/a/:b-c", "h", "only letters"},
		{"GET", "/a?x", "h", "contains '?'"},
		{"GET", "/hello", "h2", "already registered"},
		{"GET", "/person/:other/x", "h", "conflicts with :name"},
		{"TRACE", "/t", "h", "unsupported method"},
		{"GET", "/t", "", "empty handler name"},
	} {
		err := r.Handle(tc.method, tc.pattern, tc.handler)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Handle(%s %q): %v, want %q", tc.method, tc.pattern, err, tc.want)
		}
	}
	if len(r.Routes()) != before {
		t.Fatal("a failed Handle changed the router")
	}
	if _, err := NewRouter("/api/:v"); err == nil {
		t.Fatal("parameter in base accepted")
	}
	if _, err := NewRouter("api"); err == nil {
		t.Fatal("relative base accepted")
	}
}

func TestRouterBaseAndClone(t *testing.T) {
	r, err := NewRouter("/api/v1")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Get("/items/:id", "item"); err != nil {
		t.Fatal(err)
	}
	if err := r.Get("/", "index"); err != nil {
		t.Fatal(err)
	}
	m, _, ok := r.Match("GET", "/api/v1/items/7")
	if !ok || m.Route.Handler != "item" || m.Route.Pattern != "/api/v1/items/:id" || m.Params[0].Value != "7" {
		t.Fatalf("base match: %+v %v", m, ok)
	}
	if m, _, ok := r.Match("GET", "/api/v1"); !ok || m.Route.Handler != "index" {
		t.Fatalf("base root: %+v %v", m, ok)
	}
	if _, _, ok := r.Match("GET", "/items/7"); ok {
		t.Fatal("matched without the base")
	}
	c := r.Clone()
	if err := r.Post("/later", "later"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := c.Match("POST", "/api/v1/later"); ok {
		t.Fatal("clone sees a later route")
	}
	if m, _, ok := c.Match("GET", "/api/v1/items/8"); !ok || m.Route.Handler != "item" {
		t.Fatalf("clone lost a route: %+v", m)
	}
	if err := c.Post("/x", "x"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := c.Match("POST", "/api/v1/x"); !ok {
		t.Fatal("clone does not keep the base")
	}
}
