package httpserver

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Route is one registered route.
type Route struct {
	Method  string // upper case, e.g. "GET"
	Pattern string // full pattern including the router's base
	Handler string // the guest's handler name
}

// Param is a (name, value) pair: a route parameter or a query parameter.
type Param struct {
	Name, Value string
}

// Match is the result of routing a request.
type Match struct {
	Route  Route
	Params []Param // route parameters, in pattern order
}

// Router maps methods and path patterns to handler names. A pattern is "/"
// or a sequence of "/segment" where a segment is literal text or ":name", a
// parameter matching one whole path segment. Literal segments win over
// parameters. A Router is not safe for concurrent modification; the Server
// works on a Clone, so routes added after serving do not affect it.
type Router struct {
	base   []string
	root   *node
	routes []Route
}

type node struct {
	static    map[string]*node
	param     *node
	paramName string
	handlers  map[string]Route // by method
}

// Methods a route may be registered for (the cases of the WIT method enum).
var routeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete,
	http.MethodPatch, http.MethodHead, http.MethodOptions}

// NewRouter returns an empty router. Every pattern is prefixed by base,
// which must be "" or a literal pattern such as "/api" (no parameters).
func NewRouter(base string) (*Router, error) {
	r := &Router{root: &node{}}
	if base == "" || base == "/" {
		return r, nil
	}
	segs, err := splitPattern(base)
	if err != nil {
		return nil, fmt.Errorf("invalid base %q: %w", base, err)
	}
	for _, s := range segs {
		if strings.HasPrefix(s, ":") {
			return nil, fmt.Errorf("invalid base %q: parameters are not allowed in a base", base)
		}
	}
	r.base = segs
	return r, nil
}

// splitPattern checks a pattern and returns its segments.
func splitPattern(p string) ([]string, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, errors.New("a pattern must start with '/'")
	}
	if p == "/" {
		return nil, nil
	}
	segs := strings.Split(p[1:], "/")
	for _, s := range segs {
		if s == "" {
			return nil, errors.New("empty path segment")
		}
		if name, ok := strings.CutPrefix(s, ":"); ok {
			if name == "" {
				return nil, errors.New("parameter without a name")
			}
			for _, c := range name {
				if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
					return nil, fmt.Errorf("parameter name %q: only letters, digits and '_'", name)
				}
			}
		} else if strings.ContainsAny(s, "?#") {
			return nil, fmt.Errorf("segment %q contains '?' or '#'", s)
		}
	}
	return segs, nil
}

// Get registers a GET route.
func (r *Router) Get(pattern, handler string) error {
	return r.Handle(http.MethodGet, pattern, handler)
}

// Put registers a PUT route.
func (r *Router) Put(pattern, handler string) error {
	return r.Handle(http.MethodPut, pattern, handler)
}

// Post registers a POST route.
func (r *Router) Post(pattern, handler string) error {
	return r.Handle(http.MethodPost, pattern, handler)
}

// Delete registers a DELETE route.
func (r *Router) Delete(pattern, handler string) error {
	return r.Handle(http.MethodDelete, pattern, handler)
}

// Handle registers handler for method and pattern. It fails on an invalid
// pattern, an empty handler name, an unknown method, a route registered
// twice, or a parameter whose name differs from another route's parameter at
// the same position (as in /a/:x and /a/:y).
func (r *Router) Handle(method, pattern, handler string) error {
	method = strings.ToUpper(method)
	if !slices.Contains(routeMethods, method) {
		return fmt.Errorf("route %s %s: unsupported method", method, pattern)
	}
	if handler == "" {
		return fmt.Errorf("route %s %s: empty handler name", method, pattern)
	}
	segs, err := splitPattern(pattern)
	if err != nil {
		return fmt.Errorf("route %s %q: %w", method, pattern, err)
	}
	segs = append(slices.Clone(r.base), segs...)
	full := "/" + strings.Join(segs, "/")
	// Check before modifying, so a failed Handle leaves the router unchanged.
	n := r.root
	for _, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			if n.param == nil {
				n = nil
				break
			}
			if n.param.paramName != name {
				return fmt.Errorf("route %s %s: parameter :%s conflicts with :%s of an existing route", method, full, name, n.param.paramName)
			}
			n = n.param
		} else if n = n.static[s]; n == nil {
			break
		}
	}
	if n != nil {
		if old, dup := n.handlers[method]; dup {
			return fmt.Errorf("route %s %s: already registered (pattern %s, handler %q)", method, full, old.Pattern, old.Handler)
		}
	}
	n = r.root
	for _, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			if n.param == nil {
				n.param = &node{paramName: name}
			}
			n = n.param
			continue
		}
		if n.static == nil {
			n.static = map[string]*node{}
		}
		child := n.static[s]
		if child == nil {
			child = &node{}
			n.static[s] = child
		}
		n = child
	}
	if n.handlers == nil {
		n.handlers = map[string]Route{}
	}
	rt := Route{Method: method, Pattern: full, Handler: handler}
	n.handlers[method] = rt
	r.routes = append(r.routes, rt)
	return nil
}

// Routes returns the registered routes in registration order.
func (r *Router) Routes() []Route { return slices.Clone(r.routes) }

// Clone returns an independent copy of the router.
func (r *Router) Clone() *Router {
	c, _ := NewRouter("")
	c.base = slices.Clone(r.base)
	for _, rt := range r.routes {
		segs, _ := splitPattern(rt.Pattern)
		// Register without the base: it is already part of rt.Pattern.
		saved := c.base
		c.base = nil
		_ = c.Handle(rt.Method, "/"+strings.Join(segs, "/"), rt.Handler)
		c.base = saved
	}
	return c
}

// Match routes a request. escapedPath is the request's path as sent
// (url.URL.EscapedPath), so an encoded "/" (%2F) stays inside one segment;
// segments are unescaped before matching. ok is false when no route
// matches; allowed then lists the methods registered for the path (empty:
// 404 Not Found; otherwise 405 Method Not Allowed). A HEAD request falls
// back to the GET route.
func (r *Router) Match(method, escapedPath string) (m Match, allowed []string, ok bool) {
	segs, err := splitPath(escapedPath)
	if err != nil {
		return Match{}, nil, false
	}
	method = strings.ToUpper(method)
	var params []string
	if n := find(r.root, segs, &params, method); n != nil {
		rt, ok := n.handlers[method]
		if !ok {
			rt = n.handlers[http.MethodGet]
		}
		return Match{Route: rt, Params: bindParams(rt.Pattern, params)}, nil, true
	}
	params = params[:0]
	if n := find(r.root, segs, &params, ""); n != nil {
		for _, meth := range routeMethods {
			if _, has := n.handlers[meth]; has {
				allowed = append(allowed, meth)
			}
		}
		if slices.Contains(allowed, http.MethodGet) && !slices.Contains(allowed, http.MethodHead) {
			allowed = append(allowed, http.MethodHead)
		}
	}
	return Match{}, allowed, false
}

// splitPath splits and unescapes a request path.
func splitPath(p string) ([]string, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, errors.New("path must start with '/'")
	}
	if p == "/" {
		return nil, nil
	}
	segs := strings.Split(p[1:], "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, err
		}
		segs[i] = u
	}
	return segs, nil
}

// find returns the node matching segs with a handler for method (any
// handler when method is ""), preferring literal segments, and appends the
// parameter values to params.
func find(n *node, segs []string, params *[]string, method string) *node {
	if len(segs) == 0 {
		if len(n.handlers) == 0 {
			return nil
		}
		if method == "" {
			return n
		}
		if _, ok := n.handlers[method]; ok {
			return n
		}
		if _, ok := n.handlers[http.MethodGet]; ok && method == http.MethodHead {
			return n
		}
		return nil
	}
	if c := n.static[segs[0]]; c != nil {
		if found := find(c, segs[1:], params, method); found != nil {
			return found
		}
	}
	if n.param != nil && segs[0] != "" {
		mark := len(*params)
		*params = append(*params, segs[0])
		if found := find(n.param, segs[1:], params, method); found != nil {
			return found
		}
		*params = (*params)[:mark]
	}
	return nil
}

// bindParams names the parameter values in pattern order.
func bindParams(pattern string, values []string) []Param {
	if len(values) == 0 {
		return nil
	}
	ps := make([]Param, 0, len(values))
	i := 0
	for s := range strings.SplitSeq(pattern[1:], "/") {
		if name, ok := strings.CutPrefix(s, ":"); ok && i < len(values) {
			ps = append(ps, Param{Name: name, Value: values[i]})
			i++
		}
	}
	return ps
}
