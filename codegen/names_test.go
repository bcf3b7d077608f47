package codegen

import "testing"

// Changing an expectation here changes the generated API: treat it as a
// breaking change.
func TestGoName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"foo", "Foo"},
		{"foo-bar", "FooBar"},
		{"%type", "Type"},
		{"is-XML", "IsXML"},
		{"http-request", "HTTPRequest"},
		{"get-url", "GetURL"},
		{"request-id", "RequestID"},
		{"ipv4-address", "IPv4Address"},
		{"ip-v6", "IPV6"},
		{"ipv6", "IPv6"},
		{"to-json", "ToJSON"},
		{"utf8-text", "UTF8Text"},
		{"tcp-socket", "TCPSocket"},
		{"udp", "UDP"},
		{"api-uri", "APIURI"},
		{"tls-config", "TLSConfig"},
		{"a0", "A0"},
		{"a-b-c", "ABC"},
		{"URL", "URL"},
		{"apple-PEAR-grape", "ApplePEARGrape"},
		{"wasi", "Wasi"},
		{"id", "ID"},
	} {
		if got := GoName(tt.in); got != tt.want {
			t.Errorf("GoName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGoLocal(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"foo", "foo"},
		{"foo-bar", "fooBar"},
		{"url-path", "urlPath"},
		{"http-id", "httpID"},
		{"ipv4", "ipv4"},
		{"IPv4-addr", "ipv4Addr"},
		// Go keywords.
		{"type", "type_"},
		{"func", "func_"},
		{"range", "range_"},
		{"map", "map_"},
		// Predeclared identifiers.
		{"string", "string_"},
		{"len", "len_"},
		{"error", "error_"},
		{"nil", "nil_"},
		{"any", "any_"},
		// Names the generator reserves.
		{"ctx", "ctx_"},
		{"err", "err_"},
		{"mod", "mod_"},
		{"stack", "stack_"},
		{"mem", "mem_"},
		{"runtimeadapters", "runtimeadapters_"},
		{"context", "context_"},
		{"self", "self_"},
		{"result", "result_"},
	} {
		if got := GoLocal(tt.in); got != tt.want {
			t.Errorf("GoLocal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestScopeCollisions checks that distinct WIT names mapping to one Go name
// are resolved deterministically: the first declared keeps the plain name,
// later ones take the next candidate, then a numeric suffix.
func TestScopeCollisions(t *testing.T) {
	s := newScope("Imports")
	steps := []struct {
		cands []string
		want  string
	}{
		{[]string{GoName("a-b-c")}, "ABC"},
		// `a-b` + `c` (an enum case constant) spells ABC too.
		{[]string{GoName("a-b") + GoName("c"), GoName("a-b") + "_" + GoName("c")}, "AB_C"},
		{[]string{"ABC"}, "ABC2"},
		{[]string{"ABC"}, "ABC3"},
		// A name the scope reserves gets `_`.
		{[]string{GoName("imports"), "ImportsHost"}, "Imports_"},
		// Predeclared and keywords get `_`.
		{[]string{"string"}, "string_"},
		{[]string{"type"}, "type_"},
	}
	for _, st := range steps {
		if got := s.declare(st.cands...); got != st.want {
			t.Errorf("declare(%q) = %q, want %q", st.cands, got, st.want)
		}
	}
}
