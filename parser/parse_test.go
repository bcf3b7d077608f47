package parser

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sharedDir locates ../shared (relative to the repository root), or skips.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("conformance data not found at %s (expected ../shared next to the repository): %v", dir, err)
	}
	return dir
}

// witFiles lists the .wit files under root, recursively, skipping
// directories for which skip returns true.
func witFiles(t testing.TB, root string, skip func(path string) bool) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip != nil && skip(path) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".wit") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestParseCorpus parses every valid .wit file of the shared corpora (the
// spiderlightning tree uses retired syntax and is left out).
func TestParseCorpus(t *testing.T) {
	shared := sharedDir(t)
	roots := []string{
		filepath.Join(shared, "conformance", "wit-parser-ui"),
		filepath.Join(shared, "conformance", "wit-bindgen-codegen"),
		filepath.Join(shared, "conformance", "wit-bindgen-runtime-wit"),
		filepath.Join(shared, "wit", "wasi-http", "v0.2.0"),
		filepath.Join(shared, "wit", "wasi-keyvalue"),
	}
	n := 0
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil {
			t.Errorf("missing corpus %s: %v", root, err)
			continue
		}
		files := witFiles(t, root, func(path string) bool {
			return filepath.Base(path) == "parse-fail"
		})
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseFile(path, src); err != nil {
				t.Errorf("%v", err)
			}
			n++
		}
	}
	t.Logf("parsed %d files", n)
	if n < 100 {
		t.Errorf("only %d corpus files found", n)
	}
}

// expectedError is the first error of a wit-parser parse-fail case.
type expectedError struct {
	file      string // path of the .wit file the error points into
	line, col int
	msg       string
}

// readExpected reads an X.wit.result file. It reports false when the file
// has no position.
func readExpected(t *testing.T, dir, result string) (expectedError, bool) {
	t.Helper()
	data, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	msg := lines[0]
	// Directory cases wrap the message in context.
	for _, prefix := range []string{"failed to resolve directory while parsing WIT for path [", "failed to parse package: "} {
		if strings.HasPrefix(msg, prefix) {
			if i := strings.Index(msg, ": "); i >= 0 {
				msg = msg[i+2:]
			}
		}
	}
	if strings.HasPrefix(msg, "failed to parse package: ") {
		msg = strings.TrimPrefix(msg, "failed to parse package: ")
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	loc := ""
	for _, l := range lines[1:] {
		if i := strings.Index(l, "--> "); i >= 0 {
			loc = strings.TrimSpace(l[i+4:])
			break
		}
	}
	if loc == "" {
		// "path:line:col: message" (used for very long lines).
		if strings.HasPrefix(msg, "tests/ui/") {
			parts := strings.SplitN(msg, ": ", 2)
			loc = parts[0]
			if len(parts) == 2 {
				msg = parts[1]
			}
		}
	}
	if loc == "" {
		return expectedError{msg: msg}, false
	}
	parts := strings.Split(loc, ":")
	if len(parts) < 3 {
		return expectedError{msg: msg}, false
	}
	line, err1 := strconv.Atoi(parts[len(parts)-2])
	col, err2 := strconv.Atoi(parts[len(parts)-1])
	if err1 != nil || err2 != nil {
		return expectedError{msg: msg}, false
	}
	file := strings.Join(parts[:len(parts)-2], ":")
	file = strings.TrimPrefix(file, "tests/ui/parse-fail/")
	return expectedError{file: filepath.Join(dir, filepath.FromSlash(file)), line: line, col: col, msg: msg}, true
}

// isSyntaxMessage reports whether wit-parser reports msg while parsing a
// single file (as opposed to resolving).
func isSyntaxMessage(msg string) bool {
	for _, prefix := range []string{
		"expected ", "type nesting too deep", "package nesting too deep",
		"nested packages must be placed at the top-level", "unknown attribute",
		"cannot place attributes on nested packages", "unexpected character",
		"unterminated block comment", "invalid character in identifier",
		"identifiers must have characters between",
	} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}

// TestParseFailSyntax checks that every parse-fail case whose expected
// error is a syntax error fails in ParseFile at the same line:col with the
// same message.
func TestParseFailSyntax(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "wit-parser-ui", "parse-fail")
	results, err := filepath.Glob(filepath.Join(dir, "*.result"))
	if err != nil {
		t.Fatal(err)
	}
	var cases, samePos, sameMsg int
	for _, result := range results {
		name := strings.TrimSuffix(filepath.Base(result), ".wit.result")
		exp, ok := readExpected(t, dir, result)
		if !ok || !isSyntaxMessage(exp.msg) {
			continue
		}
		if _, err := os.Stat(exp.file); err != nil {
			continue // stale .result without input
		}
		cases++
		src, err := os.ReadFile(exp.file)
		if err != nil {
			t.Fatal(err)
		}
		_, perr := ParseFile(exp.file, src)
		var e *Error
		if !errors.As(perr, &e) {
			t.Errorf("%s: want error %d:%d %q, got %v", name, exp.line, exp.col, exp.msg, perr)
			continue
		}
		if e.Span.Pos.Line != exp.line || e.Span.Pos.Col != exp.col {
			t.Errorf("%s: want %d:%d %q, got %d:%d %q", name, exp.line, exp.col, exp.msg,
				e.Span.Pos.Line, e.Span.Pos.Col, e.Msg)
			continue
		}
		samePos++
		if e.Msg != exp.msg {
			t.Errorf("%s: at %d:%d want message %q, got %q", name, exp.line, exp.col, exp.msg, e.Msg)
			continue
		}
		sameMsg++
	}
	t.Logf("wit-parser parse-fail syntax cases: %d, same line:col %d, same message %d", cases, samePos, sameMsg)
	if cases < 20 {
		t.Errorf("only %d syntax cases found", cases)
	}
}

// TestParseFailAllRejectedOrValid checks that ParseFile never panics on the
// parse-fail inputs and reports how many it rejects by itself.
func TestParseFailAllRejectedOrValid(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "wit-parser-ui", "parse-fail")
	files := witFiles(t, dir, nil)
	rejected := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseFile(path, src); err != nil {
			rejected++
		}
	}
	t.Logf("%s", fmt.Sprintf("parse-fail: %d files, %d rejected by the parser alone", len(files), rejected))
}

// collectDocs appends every non-empty doc comment of f to out.
func collectDocs(f *File, out map[string]bool) {
	add := func(d AstDocs) {
		if d.Contents != "" {
			out[d.Contents] = true
		}
	}
	typ := func(te TypeExpr) {
		switch te := te.(type) {
		case *TypeRecord:
			for _, fl := range te.Fields {
				add(fl.Docs)
			}
		case *TypeVariant:
			for _, c := range te.Cases {
				add(c.Docs)
			}
		case *TypeEnum:
			for _, c := range te.Cases {
				add(c.Docs)
			}
		case *TypeFlags:
			for _, c := range te.Flags {
				add(c.Docs)
			}
		case *TypeResource:
			for _, fn := range te.Funcs {
				add(fn.Docs)
			}
		}
	}
	ifaceItems := func(items []InterfaceItem) {
		for _, it := range items {
			switch it := it.(type) {
			case *TypeDecl:
				add(it.Docs)
				typ(it.Type)
			case *FuncDecl:
				add(it.Docs)
			}
		}
	}
	var items func([]Item)
	items = func(list []Item) {
		for _, it := range list {
			switch it := it.(type) {
			case *InterfaceDecl:
				add(it.Docs)
				ifaceItems(it.Items)
			case *WorldDecl:
				add(it.Docs)
				for _, wi := range it.Items {
					switch wi := wi.(type) {
					case *ImportExport:
						add(wi.Docs)
						ifaceItems(wi.Items)
					case *TypeDecl:
						add(wi.Docs)
						typ(wi.Type)
					}
				}
			case *NestedPackage:
				add(it.Docs)
				items(it.Items)
			}
		}
	}
	if f.Package != nil {
		add(f.Package.Docs)
	}
	items(f.Items)
}

// jsonDocs appends every docs.contents string found in a wit-parser JSON
// dump to out.
func jsonDocs(v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if k == "docs" {
				if m, ok := x.(map[string]any); ok {
					if s, ok := m["contents"].(string); ok {
						out[s] = true
					}
				}
				continue
			}
			jsonDocs(x, out)
		}
	case []any:
		for _, x := range v {
			jsonDocs(x, out)
		}
	}
}

// TestDocsMatchWitParser checks that every doc string wit-parser produced
// for the single-file cases of the UI suite is produced by the parser.
func TestDocsMatchWitParser(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "wit-parser-ui")
	jsons, err := filepath.Glob(filepath.Join(dir, "*.wit.json"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, js := range jsons {
		witPath := strings.TrimSuffix(js, ".json")
		src, err := os.ReadFile(witPath)
		if err != nil {
			continue // directory or .wat case
		}
		data, err := os.ReadFile(js)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		jsonDocs(v, want)
		if len(want) == 0 {
			continue
		}
		f, err := ParseFile(witPath, src)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		collectDocs(f, got)
		for s := range want {
			checked++
			if !got[s] {
				t.Errorf("%s: docs %q not produced; got %q", filepath.Base(witPath), s, keys(got))
			}
		}
	}
	t.Logf("checked %d doc strings", checked)
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// dumpType renders a type expression compactly, for tests.
func dumpType(te TypeExpr) string {
	switch te := te.(type) {
	case nil:
		return "_"
	case *TypePrimitive:
		return te.Prim.String()
	case *TypeName:
		return te.Name.Name
	case *TypeList:
		return "list<" + dumpType(te.Elem) + ">"
	case *TypeFixedList:
		return fmt.Sprintf("list<%s, %d>", dumpType(te.Elem), te.Length)
	case *TypeMap:
		return "map<" + dumpType(te.Key) + ", " + dumpType(te.Value) + ">"
	case *TypeHandle:
		if te.Borrow {
			return "borrow<" + te.Resource.Name + ">"
		}
		return "own<" + te.Resource.Name + ">"
	case *TypeOption:
		return "option<" + dumpType(te.Elem) + ">"
	case *TypeResult:
		return "result<" + dumpType(te.OK) + ", " + dumpType(te.Err) + ">"
	case *TypeTuple:
		var parts []string
		for _, x := range te.Types {
			parts = append(parts, dumpType(x))
		}
		return "tuple<" + strings.Join(parts, ", ") + ">"
	case *TypeFuture:
		return "future<" + dumpType(te.Elem) + ">"
	case *TypeStream:
		return "stream<" + dumpType(te.Elem) + ">"
	case *TypeRecord:
		var parts []string
		for _, f := range te.Fields {
			parts = append(parts, f.Name.Name+": "+dumpType(f.Type))
		}
		return "record{" + strings.Join(parts, ", ") + "}"
	case *TypeVariant:
		var parts []string
		for _, c := range te.Cases {
			s := c.Name.Name
			if c.Type != nil {
				s += "(" + dumpType(c.Type) + ")"
			}
			parts = append(parts, s)
		}
		return "variant{" + strings.Join(parts, ", ") + "}"
	case *TypeEnum:
		var parts []string
		for _, c := range te.Cases {
			parts = append(parts, c.Name.Name)
		}
		return "enum{" + strings.Join(parts, ", ") + "}"
	case *TypeFlags:
		var parts []string
		for _, c := range te.Flags {
			parts = append(parts, c.Name.Name)
		}
		return "flags{" + strings.Join(parts, ", ") + "}"
	case *TypeResource:
		var parts []string
		for _, f := range te.Funcs {
			kind := map[ResourceFuncKind]string{ResourceMethod: "method", ResourceStatic: "static", ResourceConstructor: "ctor"}[f.Kind]
			parts = append(parts, dumpAttrs(f.Attrs)+kind+" "+f.Name.Name+dumpFunc(f.Func))
		}
		return "resource{" + strings.Join(parts, "; ") + "}"
	}
	return fmt.Sprintf("?%T", te)
}

func dumpFunc(f *Func) string {
	var b strings.Builder
	if f.Async {
		b.WriteString(" async")
	}
	b.WriteString("(")
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Name.Name + ": " + dumpType(p.Type))
	}
	b.WriteString(")")
	if f.Result != nil {
		b.WriteString(" -> " + dumpType(f.Result))
	}
	return b.String()
}

func dumpAttrs(attrs []Attribute) string {
	var b strings.Builder
	for _, a := range attrs {
		name := map[AttributeKind]string{AttrSince: "since", AttrUnstable: "unstable", AttrDeprecated: "deprecated"}[a.Kind]
		b.WriteString("@" + name + "(" + a.Value + ") ")
	}
	return b.String()
}

func dumpPath(u UsePath) string {
	if u.Package == nil {
		return u.Name.Name
	}
	s := u.Package.Namespace.Name + ":" + u.Package.Name.Name + "/" + u.Name.Name
	if u.Package.Version != "" {
		s += "@" + u.Package.Version
	}
	return s
}

func dumpPkgName(n PackageName) string {
	s := n.Namespace.Name + ":" + n.Name.Name
	if n.Version != "" {
		s += "@" + n.Version
	}
	return s
}

func dumpIfaceItems(items []InterfaceItem) string {
	var parts []string
	for _, it := range items {
		switch it := it.(type) {
		case *TypeDecl:
			parts = append(parts, dumpAttrs(it.Attrs)+"type "+it.Name.Name+" = "+dumpType(it.Type))
		case *FuncDecl:
			parts = append(parts, dumpAttrs(it.Attrs)+"func "+it.Name.Name+dumpFunc(it.Func))
		case *Use:
			parts = append(parts, dumpAttrs(it.Attrs)+"use "+dumpPath(it.From)+dumpUseNames(it.Names))
		}
	}
	return "{" + strings.Join(parts, "; ") + "}"
}

func dumpUseNames(names []UseName) string {
	var parts []string
	for _, n := range names {
		s := n.Name.Name
		if n.As != nil {
			s += " as " + n.As.Name
		}
		parts = append(parts, s)
	}
	return ".{" + strings.Join(parts, ", ") + "}"
}

// dumpFile renders a file's syntax tree compactly, for tests.
func dumpFile(f *File) string {
	var parts []string
	if f.Package != nil {
		parts = append(parts, "package "+dumpPkgName(f.Package.Name))
	}
	parts = append(parts, dumpItems(f.Items)...)
	return strings.Join(parts, "\n")
}

func dumpItems(items []Item) []string {
	var parts []string
	for _, it := range items {
		switch it := it.(type) {
		case *InterfaceDecl:
			parts = append(parts, dumpAttrs(it.Attrs)+"interface "+it.Name.Name+" "+dumpIfaceItems(it.Items))
		case *WorldDecl:
			var ws []string
			for _, wi := range it.Items {
				switch wi := wi.(type) {
				case *ImportExport:
					dir := "import"
					if wi.Export {
						dir = "export"
					}
					s := dumpAttrs(wi.Attrs) + dir + " "
					switch wi.Kind {
					case ExternInterface:
						s += wi.Name.Name + ": interface " + dumpIfaceItems(wi.Items)
					case ExternFunc:
						s += wi.Name.Name + ": func" + dumpFunc(wi.Func)
					case ExternPath:
						s += dumpPath(wi.Path)
					case ExternNamedPath:
						s += wi.Name.Name + ": " + dumpPath(wi.Path)
					}
					ws = append(ws, s)
				case *TypeDecl:
					ws = append(ws, dumpAttrs(wi.Attrs)+"type "+wi.Name.Name+" = "+dumpType(wi.Type))
				case *Use:
					ws = append(ws, dumpAttrs(wi.Attrs)+"use "+dumpPath(wi.From)+dumpUseNames(wi.Names))
				case *Include:
					s := dumpAttrs(wi.Attrs) + "include " + dumpPath(wi.From)
					for _, n := range wi.Names {
						s += " " + n.Name.Name + "->" + n.As.Name
					}
					ws = append(ws, s)
				}
			}
			parts = append(parts, dumpAttrs(it.Attrs)+"world "+it.Name.Name+" {"+strings.Join(ws, "; ")+"}")
		case *TopLevelUse:
			s := dumpAttrs(it.Attrs) + "use " + dumpPath(it.Path)
			if it.As != nil {
				s += " as " + it.As.Name
			}
			parts = append(parts, s)
		case *NestedPackage:
			parts = append(parts, "package "+dumpPkgName(it.Name)+" {"+strings.Join(dumpItems(it.Items), "; ")+"}")
		}
	}
	return parts
}

func TestParseConstructs(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"package", "package a:b;", "package a:b"},
		{"package version", "package a:b@1.2.3-rc.1+build.5;", "package a:b@1.2.3-rc.1+build.5"},
		{"interface", "package a:b; interface i {}", "package a:b\ninterface i {}"},
		{"world", "world w {}", "world w {}"},
		{"escaped ids", "interface %interface { %type: func(%own: u8); }",
			"interface interface {func type(own: u8)}"},
		{"primitives", "interface i { type t = tuple<bool, u8, u16, u32, u64, s8, s16, s32, s64, f32, f64, char, string, error-context>; }",
			"interface i {type t = tuple<bool, u8, u16, u32, u64, s8, s16, s32, s64, f32, f64, char, string, error-context>}"},
		{"containers", "interface i { type t = list<list<u8>>; type u = list<u8, 4>; type m = map<string, u32>; type o = option<x>; }",
			"interface i {type t = list<list<u8>>; type u = list<u8, 4>; type m = map<string, u32>; type o = option<x>}"},
		{"results", "interface i { type a = result; type b = result<u8>; type c = result<_, u8>; type d = result<u8, string>; }",
			"interface i {type a = result<_, _>; type b = result<u8, _>; type c = result<_, u8>; type d = result<u8, string>}"},
		{"async types", "interface i { type a = future; type b = future<u8>; type c = stream; type d = stream<list<u8>>; }",
			"interface i {type a = future<_>; type b = future<u8>; type c = stream<_>; type d = stream<list<u8>>}"},
		{"handles", "interface i { type a = own<r>; type b = borrow<r>; }",
			"interface i {type a = own<r>; type b = borrow<r>}"},
		{"trailing commas", "interface i { record r { a: u8, b: tuple<u8, u16,>, } enum e { x, y, } flags f { p, } variant v { c(u8), d, } f: func(a: u8,); }",
			"interface i {type r = record{a: u8, b: tuple<u8, u16>}; type e = enum{x, y}; type f = flags{p}; type v = variant{c(u8), d}; func f(a: u8)}"},
		{"functions", "interface i { f: func(); g: func(a: u32, b: string) -> result<u32>; h: async func() -> u8; }",
			"interface i {func f(); func g(a: u32, b: string) -> result<u32, _>; func h async() -> u8}"},
		{"resources", "interface i { resource a; resource b {} resource c { constructor(x: u8); m: func(); s: static func() -> c; am: async func(); sa: static async func(); } }",
			"interface i {type a = resource{}; type b = resource{}; type c = resource{ctor constructor(x: u8); method m(); static s() -> c; method am async(); static sa async()}}"},
		{"constructor result", "interface i { resource c { constructor() -> result<c, string>; } }",
			"interface i {type c = resource{ctor constructor() -> result<c, string>}}"},
		{"use", "interface i { use j.{a, b as c}; use x:y/z@1.0.0.{d}; use k.{}; }",
			"interface i {use j.{a, b as c}; use x:y/z@1.0.0.{d}; use k.{}}"},
		{"use with prerelease", "interface i { use x:y/z@1.0.0-rc.1.{d}; }",
			"interface i {use x:y/z@1.0.0-rc.1.{d}}"},
		{"toplevel use", "use x:y/z@0.2.0 as w; use i;", "use x:y/z@0.2.0 as w\nuse i"},
		{"world items", `world w {
			import a: func(x: u8) -> u8;
			export b: async func();
			import c: interface { f: func(); }
			import d;
			export x:y/z@1.0.0;
			import e: d;
			export g: x:y/z;
			use i.{t};
			type t2 = u8;
			record r { f: u8 }
			flags f {a}
			enum e {a}
			variant v {a}
			resource res;
			include w2;
			include x:y/w3 with { a as b, c as d, }
		}`,
			"world w {import a: func(x: u8) -> u8; export b: func async(); import c: interface {func f()}; import d; export x:y/z@1.0.0; import e: d; export g: x:y/z; use i.{t}; type t2 = u8; type r = record{f: u8}; type f = flags{a}; type e = enum{a}; type v = variant{a}; type res = resource{}; include w2; include x:y/w3 a->b c->d}"},
		{"gates", `@since(version = 1.0.0)
			@deprecated(version = 1.1.0)
			interface i {
				@unstable(feature = fancy) f: func();
				@since(version = 0.2.0) type t = u8;
				@since(version = 0.2.0) use j.{x};
				resource r { @since(version = 1.0.0) constructor(); }
			}
			@unstable(feature = w) world w { @since(version = 1.0.0) import i; @since(version = 1.0.0) include v; }
			@since(version = 1.0.0) use x:y/z;`,
			"@since(1.0.0) @deprecated(1.1.0) interface i {@unstable(fancy) func f(); @since(0.2.0) type t = u8; @since(0.2.0) use j.{x}; type r = resource{@since(1.0.0) ctor constructor()}}\n@unstable(w) world w {@since(1.0.0) import i; @since(1.0.0) include v}\n@since(1.0.0) use x:y/z"},
		{"nested packages", "package a:b@1.0.0 { interface i {} world w {} use x:y/z; } package c:d { }",
			"package a:b@1.0.0 {interface i {}; world w {}; use x:y/z}\npackage c:d {}"},
		{"header then nested", "package a:b; package c:d {}", "package a:b\npackage c:d {}"},
		{"comments everywhere", "/* a */ package /* b */ a:b /* c */ ; // d\n interface /**/ i { type // x\n t = u8; }",
			"package a:b\ninterface i {type t = u8}"},
		{"crlf", "package a:b;\r\ninterface i {\r\n}\r\n", "package a:b\ninterface i {}"},
	}
	for _, tt := range tests {
		f, err := ParseFile("t.wit", []byte(tt.src))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := dumpFile(f); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		// Top level.
		{"foo", 1, 1, "expected `world`, `interface` or `use`, found an identifier"},
		{"package a:b;\n}", 2, 1, "expected `world`, `interface` or `use`, found '}'"},
		{"package a;", 1, 10, "expected ':', found ';'"},
		{"package a:b@1;", 1, 14, "expected '.', found ';'"},
		{"package a:b;\npackage c:d;", 2, 12, "expected '{', found ';'"},
		{"package a:b {", 1, 14, "expected `world`, `interface` or `use`, found eof"},
		{"@since(version = 1.0.0)\npackage a:b {}", 2, 1, "cannot place attributes on nested packages"},
		{"package a:b { package c:d {} }", 1, 23, "nested packages must be placed at the top-level"},
		{"package a:b { package c:d { package e:f {} } } package x:y { package z:w {} }", 1, 23,
			"nested packages must be placed at the top-level"},
		{"package a:b { package c:d {} } interface", 1, 41, "expected an identifier or string, found eof"},
		// Identifiers.
		{"interface Foo {}", 1, 11, "invalid character in identifier 'o'"},
		{"interface a--b {}", 1, 11, "identifiers must have characters between '-'s"},
		{"interface %1a {}", 1, 11, "identifiers must have characters between '-'s"}, // `%` alone, then `1a`
		{"interface % {}", 1, 11, "identifiers must have characters between '-'s"},
		{"interface type {}", 1, 11, "expected an identifier or string, found keyword `type`"},
		{"interface i { type t = Foo; }", 1, 24, "invalid character in identifier 'o'"},
		// Interfaces.
		{"interface i { abcd }", 1, 20, "expected ':', found '}'"},
		{"interface i { import x; }", 1, 15, "expected `type`, `resource` or `func`, found keyword `import`"},
		{"interface i { f: fun(); }", 1, 18, "expected keyword `func`, found an identifier"},
		{"interface i { f: func() }", 1, 25, "expected ';', found '}'"},
		{"interface i { f: func() -> (); }", 1, 28, "expected a type, found '('"},
		{"interface i { f: func(a u8); }", 1, 25, "expected ':', found keyword `u8`"},
		{"interface i { f: async static func(); }", 1, 24, "expected keyword `func`, found keyword `static`"},
		{"interface i {", 1, 14, "expected `type`, `resource` or `func`, found eof"},
		// Types.
		{"interface i { type t = list<u8; }", 1, 31, "expected '>', found ';'"},
		{"interface i { type t = list<u8, x>; }", 1, 33, "expected fixed-length, found an identifier"},
		{"interface i { type t = list<u8, 99999999999>; }", 1, 33, "number too large to fit in target type"},
		{"interface i { type t = map<u8>; }", 1, 30, "expected ',', found '>'"},
		{"interface i { type t = result<_>; }", 1, 32, "expected ',', found '>'"},
		{"interface i { type t = own<u8>; }", 1, 28, "expected an identifier or string, found keyword `u8`"},
		{"interface i { type t = option; }", 1, 30, "expected '<', found ';'"},
		{"interface i { type t = u8 }", 1, 27, "expected ';', found '}'"},
		{"interface i { type t = ; }", 1, 24, "expected a type, found ';'"},
		{"interface i { record r { a: u8 b: u8 } }", 1, 32, "expected '}', found an identifier"},
		{"interface i { variant v { a(u8 } }", 1, 32, "expected ')', found '}'"},
		{"interface i { enum e { a: u8 } }", 1, 25, "expected '}', found ':'"},
		{"interface i { flags f }", 1, 23, "expected '{', found '}'"},
		{"interface i { type t = " + strings.Repeat("list<", 101) + "u8" + strings.Repeat(">", 101) + "; }",
			1, 24 + 5*100, "type nesting too deep"},
		// Resources.
		{"interface i { resource r { async constructor(); } }", 1, 28, "expected `constructor` or identifier, found keyword `async`"},
		{"interface i { resource r { constructor() } }", 1, 42, "expected ';', found '}'"},
		{"interface i { resource r }", 1, 26, "expected ';', found '}'"},
		{"interface i { resource r { m: static u8; } }", 1, 38, "expected keyword `func`, found keyword `u8`"},
		// Use.
		{"interface i { use j; }", 1, 20, "expected '.', found ';'"},
		{"interface i { use j.{a b}; }", 1, 24, "expected '}', found an identifier"},
		{"interface i { use j.{a}  }", 1, 26, "expected ';', found '}'"},
		{"interface i { use a:b.{c}; }", 1, 22, "expected `/`, found '.'"},
		{"use a:b/c@1.0.0 as;", 1, 19, "expected an identifier or string, found ';'"},
		{"use a:b/c@01.0.0;", 1, 11, "invalid leading zero in major version number"},
		// Worlds.
		{"world w { foo }", 1, 11, "expected `import`, `export`, `include`, `use`, or type definition, found an identifier"},
		{"world w { import; }", 1, 17, "expected an identifier or string, found ';'"},
		{"world w { import x }", 1, 20, "expected ';', found '}'"},
		{"world w { import x: func() }", 1, 28, "expected ';', found '}'"},
		{"world w { export x: interface { f: func() } }", 1, 43, "expected ';', found '}'"},
		{"world w { include a with { b } }", 1, 30, "expected keyword `as`, found '}'"},
		{"world w { include a with { a:b/c as d } }", 1, 29, "expected keyword `as`, found ':'"},
		{"world w { include a }", 1, 21, "expected ';', found '}'"},
		// Attributes.
		{"@since\ninterface i {}", 2, 1, "expected '(', found keyword `interface`"},
		{"@deprecated()\ninterface i {}", 1, 13, "expected an identifier or string, found ')'"},
		{"@since(feature = x)\ninterface i {}", 1, 8, "expected `version`, found `feature`"},
		{"@unstable(version = x)\ninterface i {}", 1, 11, "expected `feature`, found `version`"},
		{"@since(version = 1.0)\ninterface i {}", 1, 21, "expected '.', found ')'"},
		{"@since(version = 1.0.0\ninterface i {}", 2, 1, "expected ')', found keyword `interface`"},
		{"@foo(bar = 1)\ninterface i {}", 1, 2, "unknown attribute `foo`"},
		{"@since(version = 1.0.0-01)\ninterface i {}", 1, 18, "invalid leading zero in pre-release identifier"},
		// Lexical errors surface where the parser reaches them.
		{"interface i { f: func(); } $", 1, 28, "unexpected character '$'"},
		{"interface i { f: func() } $", 1, 25, "expected ';', found '}'"},
		{"interface i {} /* open", 1, 16, "unterminated block comment"},
	}
	for _, tt := range tests {
		_, err := ParseFile("t.wit", []byte(tt.src))
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: want %d:%d %q, got %v", tt.src, tt.line, tt.col, tt.msg, err)
			continue
		}
		if e.Span.Pos.Line != tt.line || e.Span.Pos.Col != tt.col || e.Msg != tt.msg {
			t.Errorf("%q:\n got %d:%d %q\nwant %d:%d %q", tt.src, e.Span.Pos.Line, e.Span.Pos.Col, e.Msg,
				tt.line, tt.col, tt.msg)
		}
		if e.Span.Pos.Filename != "t.wit" {
			t.Errorf("%q: error filename %q", tt.src, e.Span.Pos.Filename)
		}
	}
}

// BenchmarkParseWASIHTTP parses every file of the wasi-http 0.2.0 WIT tree
// (with its deps) once per iteration.
func BenchmarkParseWASIHTTP(b *testing.B) {
	root := filepath.Join(sharedDir(b), "wit", "wasi-http", "v0.2.0")
	var srcs [][]byte
	var paths []string
	for _, path := range witFiles(b, root, nil) {
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
		paths = append(paths, path)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, src := range srcs {
			if _, err := ParseFile(paths[i], src); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(srcs)), "files/op")
}

// TestParseSpans checks the spans the resolver reports errors at; they
// follow wit-parser's choices.
func TestParseSpans(t *testing.T) {
	src := `/// pkg
package a:b@1.0.0;

@since(version = 1.2.3)
interface %i {
  use x:y/z@2.0.0.{t};
  record rec { f: list<own<r>> }
  resource r { constructor(); }
  f: func(a: borrow<r>) -> result<u8>;
}
world w { import n: x:y/z; }
`
	f, err := ParseFile("s.wit", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	at := func(what string, sp Span, line, col, n int) {
		t.Helper()
		if sp.Pos.Line != line || sp.Pos.Col != col || sp.Len != n || sp.Pos.Filename != "s.wit" {
			t.Errorf("%s: got %s len %d, want %d:%d len %d", what, sp.Pos, sp.Len, line, col, n)
		}
	}
	pkg := f.Package
	at("package docs", pkg.Docs.Span, 1, 1, 7)
	at("package keyword", pkg.Span, 2, 1, 7)
	at("package name", pkg.Name.Span, 2, 9, 9)
	at("package namespace", pkg.Name.Namespace.Span, 2, 9, 1)
	at("package version", pkg.Name.VersionSpan, 2, 13, 5)
	if off := pkg.Name.Span.Pos.Offset; src[off:off+3] != "a:b" {
		t.Errorf("package name offset %d", off)
	}
	iface := f.Items[0].(*InterfaceDecl)
	at("interface keyword", iface.Span, 5, 1, 9)
	at("escaped name", iface.Name.Span, 5, 11, 2)
	at("attribute", iface.Attrs[0].Span, 4, 2, 5)
	at("attribute value", iface.Attrs[0].ValueSpan, 4, 18, 5)
	use := iface.Items[0].(*Use)
	at("use keyword", use.Span, 6, 3, 3)
	at("use package", use.From.Package.Span, 6, 7, 3)
	at("use package version", use.From.Package.VersionSpan, 6, 13, 5)
	at("use name", use.From.Name.Span, 6, 11, 1)
	at("use path", use.From.Span, 6, 7, 11)
	at("use item", use.Names[0].Name.Span, 6, 20, 1)
	rec := iface.Items[1].(*TypeDecl)
	at("record keyword", rec.Span, 7, 3, 6)
	at("record body", rec.Type.ExprSpan(), 7, 10, 3)
	fld := rec.Type.(*TypeRecord).Fields[0]
	at("list", fld.Type.ExprSpan(), 7, 19, 4)
	at("own (the resource name)", fld.Type.(*TypeList).Elem.ExprSpan(), 7, 28, 1)
	res := iface.Items[2].(*TypeDecl).Type.(*TypeResource)
	at("resource body", res.Span, 8, 12, 1)
	at("constructor", res.Funcs[0].Name.Span, 8, 16, 11)
	at("constructor func", res.Funcs[0].Func.Span, 8, 16, 11)
	fn := iface.Items[3].(*FuncDecl)
	at("func decl", fn.Span, 9, 3, 1)
	at("func keyword", fn.Func.Span, 9, 6, 4)
	at("param", fn.Func.Params[0].Name.Span, 9, 11, 1)
	at("borrow (the resource name)", fn.Func.Params[0].Type.ExprSpan(), 9, 21, 1)
	at("result", fn.Func.Result.ExprSpan(), 9, 28, 6)
	w := f.Items[1].(*WorldDecl)
	imp := w.Items[0].(*ImportExport)
	at("import keyword", imp.Span, 11, 11, 6)
	at("import name", imp.Name.Span, 11, 18, 1)
	at("import path", imp.Path.Span, 11, 21, 5)
}

// TestParseHostile makes sure hostile inputs fail cleanly (or parse) and
// quickly, without exhausting the stack.
func TestParseHostile(t *testing.T) {
	deepTypes := func(open, close string, n int) string {
		return "interface i { type t = " + strings.Repeat(open, n) + "u8" + strings.Repeat(close, n) + "; }"
	}
	tests := []struct {
		name string
		src  string
		ok   bool
	}{
		{"100 nested lists", deepTypes("list<", ">", 100), true},
		{"101 nested lists", deepTypes("list<", ">", 101), false},
		{"deep options", deepTypes("option<", ">", 20000), false},
		{"deep tuples", deepTypes("tuple<", ">", 20000), false},
		{"deep results", deepTypes("result<", ">", 20000), false},
		{"100 nested packages", strings.Repeat("package a:b {", 100) + strings.Repeat("}", 100), false},
		{"deep packages", strings.Repeat("package a:b {", 20000), false},
		{"many items", strings.Repeat("interface i { f: func(); }\n", 5000), true},
		{"unclosed braces", "interface i {" + strings.Repeat("{", 20000), false},
		{"nul bytes", "interface i {\x00}", false},
		{"only comments", strings.Repeat("// c\n/* d */", 10000), true},
		{"long line", "interface " + strings.Repeat("a", 1<<20) + " {}", true},
		{"attributes only", strings.Repeat("@since(version = 1.0.0)", 10000), false},
	}
	for _, tt := range tests {
		start := time.Now()
		f, err := ParseFile("h.wit", []byte(tt.src))
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Logf("%s: took %v", tt.name, d)
		}
		if tt.ok && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if !tt.ok {
			var e *Error
			if !errors.As(err, &e) || !e.Span.Pos.IsValid() {
				t.Errorf("%s: want a positioned error, got %v (file %v)", tt.name, err, f != nil)
			}
		}
	}
}

// FuzzParseFile checks that ParseFile never panics or hangs and that its
// errors carry positions inside the input.
func FuzzParseFile(f *testing.F) {
	f.Add([]byte("package a:b@1.0.0;\ninterface i { f: func(a: list<u8>) -> result<_, string>; }\n"))
	f.Add([]byte("world w { import x: async func(); export y: interface { resource r { constructor(); } } }"))
	f.Add([]byte("/** doc */ @since(version = 1.0.0) package a:b { use x:y/z@1.0.0-rc.1 as w; }"))
	if shared, err := os.Stat(filepath.Join("..", "..", "shared")); err == nil && shared.IsDir() {
		for _, path := range witFiles(f, filepath.Join("..", "..", "shared", "conformance", "wit-parser-ui"), nil) {
			if src, err := os.ReadFile(path); err == nil && len(src) < 4096 {
				f.Add(src)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := ParseFile("f.wit", src)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if p := e.Span.Pos; !p.IsValid() || p.Offset < 0 || p.Offset > len(src) || p.Col < 1 {
			t.Fatalf("bad error position %+v for %q", p, src)
		}
		_ = e.Error()
	})
}
