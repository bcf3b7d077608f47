package wit

import (
	"strings"
	"testing"
)

func TestTypeString(t *testing.T) {
	res := &TypeDef{Name: "r", Kind: &Resource{}}
	rec := &TypeDef{Name: "type", Kind: &Record{}}
	anon := func(k TypeDefKind) *TypeDef { return &TypeDef{Kind: k} }
	for _, tc := range []struct {
		t    Type
		want string
	}{
		{nil, ""},
		{U32, "u32"},
		{ErrorContext, "error-context"},
		{rec, "%type"},
		{anon(&List{Type: String}), "list<string>"},
		{anon(&List{Type: anon(&Option{Type: rec})}), "list<option<%type>>"},
		{anon(&FixedLengthList{Type: U8, Length: 16}), "list<u8, 16>"},
		{anon(&Map{Key: String, Value: U64}), "map<string, u64>"},
		{anon(&Result{}), "result"},
		{anon(&Result{OK: U8}), "result<u8>"},
		{anon(&Result{Err: U8}), "result<_, u8>"},
		{anon(&Result{OK: Bool, Err: Char}), "result<bool, char>"},
		{anon(&Tuple{Types: []Type{U8, S8, F32}}), "tuple<u8, s8, f32>"},
		{anon(&Own{Type: res}), "own<r>"},
		{anon(&Borrow{Type: res}), "borrow<r>"},
		{anon(&Future{}), "future"},
		{anon(&Future{Type: U8}), "future<u8>"},
		{anon(&Stream{}), "stream"},
		{anon(&Stream{Type: F64}), "stream<f64>"},
		{anon(&Alias{Type: S16}), "s16"},
	} {
		if got := TypeString(tc.t); got != tc.want {
			t.Errorf("TypeString(%#v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"foo": "foo", "type": "%type", "list": "%list", "error-context": "%error-context",
		"async": "%async", "stream-x": "stream-x",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrintResourcesEmpty(t *testing.T) {
	r := resourcesEmpty()
	want := `package foo:resources-empty;

interface resources-empty {
  t1: func(a: own<r1>);
  t2: func(a: borrow<r1>);
  resource r1;
}
`
	if got := r.WIT(nil); got != want {
		t.Errorf("WIT:\n%s\nwant:\n%s", got, want)
	}
	if got := r.Packages[0].WIT(); got != want {
		t.Errorf("Package.WIT:\n%s\nwant:\n%s", got, want)
	}
}

func TestPrintWorldTopLevelFuncs(t *testing.T) {
	want := `world foo {
  import foo: func();
  import bar: func(arg: list<u32>);
  export foo2: func();
  export some-name: func() -> list<option<u32>>;
}
`
	if got := worldTopLevelFuncs().Worlds[0].WIT(); got != want {
		t.Errorf("World.WIT:\n%s\nwant:\n%s", got, want)
	}
}

// richModel is a two-package resolve exercising uses, resources, gates,
// docs, escapes and worlds.
func richModel() (*Resolve, *Package) {
	dep := &Package{Name: PackageName{Namespace: "wasi", Name: "io", Version: "0.2.0"}}
	streams := &Interface{Name: "streams", Package: dep}
	errTy := &TypeDef{Name: "error", Kind: &Resource{}, Owner: streams}
	ins := &TypeDef{Name: "input-stream", Kind: &Resource{}, Owner: streams}
	streams.Types = []*TypeDef{errTy, ins}
	borrowIns := &TypeDef{Kind: &Borrow{Type: ins}}
	listU8 := &TypeDef{Kind: &List{Type: U8}}
	streams.Functions = []*Function{{
		Name: "[method]input-stream.read", Kind: Method, Resource: ins,
		Params: []Param{{Name: "self", Type: borrowIns}, {Name: "len", Type: U64}},
		Result: listU8,
	}}
	dep.Interfaces = []*Interface{streams}

	main := &Package{Name: PackageName{Namespace: "my", Name: "pkg"}, Docs: Docs{"The package."}}
	types := &Interface{Name: "types", Package: main, Docs: Docs{"Types.\n\n  indented"}, Stability: &Stable{Since: "1.0.0", Deprecated: "1.1.0"}}
	useErr := &TypeDef{Name: "error", Kind: &Alias{Type: errTy}, Owner: types}
	useIns := &TypeDef{Name: "in", Kind: &Alias{Type: ins}, Owner: types}
	rec := &TypeDef{Name: "record", Kind: &Record{Fields: []Field{
		{Name: "type", Type: String, Docs: Docs{"a field"}},
		{Name: "e", Type: &TypeDef{Kind: &Own{Type: useErr}}},
	}}, Owner: types}
	fields := &TypeDef{Name: "fields", Kind: &Resource{}, Owner: types, Docs: Docs{"A resource."}}
	ownFields := &TypeDef{Kind: &Own{Type: fields}}
	resultFields := &TypeDef{Kind: &Result{OK: ownFields, Err: String}}
	v := &TypeDef{Name: "v", Kind: &Variant{Cases: []Case{{Name: "a"}, {Name: "b", Type: rec}}}, Owner: types,
		Stability: &Unstable{Feature: "active"}}
	alias := &TypeDef{Name: "v2", Kind: &Alias{Type: v}, Owner: types}
	types.Types = []*TypeDef{useErr, useIns, rec, fields, v, alias}
	types.Functions = []*Function{
		{Name: "first", Params: []Param{{Name: "list", Type: rec}}},
		{Name: "[constructor]fields", Kind: Constructor, Resource: fields, Result: ownFields},
		{Name: "[static]fields.from-list", Kind: AsyncStatic, Resource: fields, Result: resultFields},
		{Name: "[method]fields.get", Kind: AsyncMethod, Resource: fields,
			Params: []Param{{Name: "self", Type: &TypeDef{Kind: &Borrow{Type: fields}}}, {Name: "k", Type: String}},
			Result: &TypeDef{Kind: &Option{Type: String}}},
		{Name: "last", Kind: AsyncFreestanding, Docs: Docs{"Last."}},
	}
	main.Interfaces = []*Interface{types}

	w := &World{Name: "w", Package: main}
	anonIface := &Interface{Package: main}
	anonIface.Types = []*TypeDef{{Name: "v", Kind: &Alias{Type: v}, Owner: anonIface}}
	anonIface.Functions = []*Function{{Name: "f", Params: []Param{{Name: "x", Type: anonIface.Types[0]}}}}
	wres := &TypeDef{Name: "wr", Kind: &Resource{}, Owner: w}
	w.Imports = []*WorldItem{
		{Key: WorldKey{Interface: streams}, Interface: streams},
		{Key: WorldKey{Interface: types}, Interface: types, Stability: &Stable{Since: "1.0.0"}},
		{Key: WorldKey{Name: "rec"}, Type: &TypeDef{Name: "rec", Kind: &Alias{Type: rec}, Owner: w}},
		{Key: WorldKey{Name: "wr"}, Type: wres},
		{Key: WorldKey{Name: "[constructor]wr"}, Function: &Function{Name: "[constructor]wr", Kind: Constructor, Resource: wres, Result: &TypeDef{Kind: &Own{Type: wres}}}},
		{Key: WorldKey{Name: "inline"}, Interface: anonIface, Docs: Docs{"inline"}},
	}
	w.Exports = []*WorldItem{
		{Key: WorldKey{Name: "run"}, Function: &Function{Name: "run", Kind: AsyncFreestanding, Result: &TypeDef{Kind: &Result{}}}},
		{Key: WorldKey{Name: "named"}, Interface: types},
	}
	main.Worlds = []*World{w}
	return &Resolve{Packages: []*Package{dep, main}}, main
}

func TestPrintRich(t *testing.T) {
	r, main := richModel()
	want := `/// The package.
package my:pkg;

/// Types.
///
///   indented
@since(version = 1.0.0)
@deprecated(version = 1.1.0)
interface types {
  use wasi:io/streams@0.2.0.{error, input-stream as in};

  first: func(%list: %record);

  record %record {
    /// a field
    %type: string,
    e: own<error>,
  }

  /// A resource.
  resource fields {
    constructor();
    from-list: static async func() -> result<own<fields>, string>;
    get: async func(k: string) -> option<string>;
  }

  /// Last.
  last: async func();

  @unstable(feature = active)
  variant v {
    a,
    b(%record),
  }

  type v2 = v;
}

world w {
  import wasi:io/streams@0.2.0;

  @since(version = 1.0.0)
  import types;
  use types.{%record as rec};

  resource wr {
    constructor();
  }

  /// inline
  import inline: interface {
    use types.{v};

    f: func(x: v);
  }

  export run: async func() -> result;
  export named: types;
}

package wasi:io@0.2.0 {
  interface streams {
    resource error;

    resource input-stream {
      read: func(len: u64) -> list<u8>;
    }
  }
}
`
	got := r.WIT(main)
	if got != want {
		t.Errorf("WIT:\n%s\nwant:\n%s\ndiff at %q", got, want, firstDiff(got, want))
	}
	// Nodes print themselves.
	for _, tc := range []struct{ got, want string }{
		{main.Interfaces[0].Types[0].WIT(), "use wasi:io/streams@0.2.0.{error};\n"},
		{main.Interfaces[0].Types[5].WIT(), "type v2 = v;\n"},
		{main.Interfaces[0].Functions[0].WIT(), "first: func(%list: %record);\n"},
		{main.Interfaces[0].Functions[2].WIT(), "from-list: static async func() -> result<own<fields>, string>;\n"},
		{main.Interfaces[0].Types[3].WIT(), "/// A resource.\nresource fields {\n  constructor();\n  from-list: static async func() -> result<own<fields>, string>;\n  get: async func(k: string) -> option<string>;\n}\n"},
		{main.Interfaces[0].Types[4].WIT(), "@unstable(feature = active)\nvariant v {\n  a,\n  b(%record),\n}\n"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if s := main.Interfaces[0].WIT(); !strings.HasPrefix(s, "/// Types.\n") || !strings.Contains(s, "interface types {\n") {
		t.Errorf("Interface.WIT:\n%s", s)
	}
}

func TestPrintEmptyBodies(t *testing.T) {
	pkg := &Package{Name: PackageName{Namespace: "a", Name: "b"}}
	i := &Interface{Name: "i", Package: pkg}
	w := &World{Name: "w", Package: pkg, Imports: []*WorldItem{{Key: WorldKey{Name: "x"}, Interface: &Interface{Package: pkg}}}}
	pkg.Interfaces = []*Interface{i}
	pkg.Worlds = []*World{w}
	dep := &Package{Name: PackageName{Namespace: "c", Name: "d", Version: "0.1.0-rc.1"}}
	r := &Resolve{Packages: []*Package{dep, pkg}}
	want := `package a:b;

interface i {}

world w {
  import x: interface {}
}

package c:d@0.1.0-rc.1 {}
`
	if got := r.WIT(pkg); got != want {
		t.Errorf("WIT:\n%s\nwant:\n%s", got, want)
	}
}

func firstDiff(a, b string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i:min(len(a), i+40)]
		}
	}
	return ""
}

// readDocs mimics how the parser turns `///` lines back into docs: strip
// the slashes, trim the end, remove the least leading white space (when it
// is made of spaces), join with newlines and drop trailing newlines.
func readDocs(printed string) string {
	var parts []string
	least := -1
	for l := range strings.SplitSeq(strings.TrimSuffix(printed, "\n"), "\n") {
		l = strings.TrimRight(strings.TrimLeft(l, "/"), " \t\r\n\f\v")
		if l != "" {
			if ws := leadingWS(l); least < 0 || ws < least {
				least = ws
			}
		}
		parts = append(parts, l)
	}
	for i, l := range parts {
		if least > 0 && strings.HasPrefix(l, strings.Repeat(" ", least)) {
			parts[i] = l[least:]
		}
	}
	return strings.TrimRight(strings.Join(parts, "\n"), "\n")
}

func TestDocsRoundTrip(t *testing.T) {
	for _, docs := range []string{
		"one line",
		"two\nlines",
		"para\n\n  indented\n\ttabbed",
		"/slash first\nsecond",
		"\r0",
		" \r0",
		"\tx\n\ty",
		" a\n \t b",
		"\n\nleading blank lines",
		"* block-style",
	} {
		var p printer
		p.docs(Docs{Contents: docs})
		if got := readDocs(p.b.String()); got != docs {
			t.Errorf("docs %q printed as %q read back as %q", docs, p.b.String(), got)
		}
	}
}
