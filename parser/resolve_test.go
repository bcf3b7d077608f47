package parser

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// Floors for the wit-parser UI suite; raise them as the resolver improves.
const (
	floorRejected = 150
	floorSamePos  = 150
	floorSameMsg  = 149 // very-large-column's expected text has no " --> " form
)

func sharedRoot(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("%s not found (the shared corpus lives next to the repository); skipping", dir)
	}
	return dir
}

var uiOpts = Options{Features: []string{"active"}}

// safeLoad loads path, turning a panic into a test failure.
func safeLoad(t *testing.T, path string, opts Options) (r *wit.Resolve, pkg *wit.Package, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s: panic: %v", path, p)
			err = fmt.Errorf("panic")
		}
	}()
	return LoadPath(path, opts)
}

// uiCases lists the UI cases of dir: files with extension .wit and
// directories, keyed by base name.
func uiCases(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".wit") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

func TestResolveUIPassing(t *testing.T) {
	dir := filepath.Join(sharedRoot(t), "conformance", "wit-parser-ui")
	n := 0
	for _, c := range uiCases(t, dir) {
		base := strings.TrimSuffix(c, ".wit")
		if base == "kinds-of-deps" || base == "parse-fail" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, base+".wit.json")); err != nil {
			continue
		}
		n++
		if _, _, err := safeLoad(t, filepath.Join(dir, c), uiOpts); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	t.Logf("passing cases loaded: %d", n)
	if n < 72 {
		t.Errorf("only %d passing cases found, want 72", n)
	}
}

var (
	resultPos    = regexp.MustCompile(`tests/ui/parse-fail/(\S+?):(\d+):(\d+)`)
	resultPrefix = regexp.MustCompile(`^(failed to resolve directory while parsing WIT for path \[[^\]]*\]: )?(failed to parse package: \S+: )?`)
)

func TestResolveUIParseFail(t *testing.T) {
	dir := filepath.Join(sharedRoot(t), "conformance", "wit-parser-ui", "parse-fail")
	rejected, same, total, sameMsg := 0, 0, 0, 0
	var mismatches, msgMismatches []string
	for _, c := range uiCases(t, dir) {
		base := strings.TrimSuffix(c, ".wit")
		want, err := os.ReadFile(filepath.Join(dir, base+".wit.result"))
		if err != nil {
			continue
		}
		total++
		_, _, lerr := safeLoad(t, filepath.Join(dir, c), uiOpts)
		if lerr == nil {
			t.Errorf("%s: loaded, want an error", c)
			continue
		}
		rejected++
		wantFirst, _, _ := strings.Cut(strings.TrimSpace(string(want)), "\n")
		wantFirst = resultPrefix.ReplaceAllString(wantFirst, "")
		gotMsg := lerr.Error()
		var pe0 *Error
		if errors.As(lerr, &pe0) {
			gotMsg = pe0.Msg
		}
		gotFirst, _, _ := strings.Cut(gotMsg, "\n")
		if gotFirst == wantFirst {
			sameMsg++
		} else {
			msgMismatches = append(msgMismatches, fmt.Sprintf("%s:\n\tgot  %s\n\twant %s", c, gotFirst, wantFirst))
		}
		wantPos := ""
		if m := resultPos.FindStringSubmatch(string(want)); m != nil {
			wantPos = fmt.Sprintf("%s:%s:%s", filepath.Base(m[1]), m[2], m[3])
		}
		gotPos := ""
		var pe *Error
		if errors.As(lerr, &pe) && pe.Span.Pos.IsValid() {
			gotPos = fmt.Sprintf("%s:%d:%d", filepath.Base(pe.Span.Pos.Filename), pe.Span.Pos.Line, pe.Span.Pos.Col)
		}
		if gotPos == wantPos {
			same++
			continue
		}
		first, _, _ := strings.Cut(string(want), "\n")
		mismatches = append(mismatches, fmt.Sprintf("%s: got %q at %s\n\twant %q at %s", c, lerr.Error(), gotPos, first, wantPos))
	}
	for _, m := range mismatches {
		t.Log(m)
	}
	for _, m := range msgMismatches {
		t.Log(m)
	}
	t.Logf("parse-fail: %d/%d rejected, %d/%d same position, %d/%d same message", rejected, total, same, total, sameMsg, total)
	if rejected < floorRejected {
		t.Errorf("rejected %d, floor %d", rejected, floorRejected)
	}
	if sameMsg < floorSameMsg {
		t.Errorf("same message %d, floor %d", sameMsg, floorSameMsg)
	}
	if same < floorSamePos {
		t.Errorf("same position %d, floor %d", same, floorSamePos)
	}
}

func TestResolveCorpus(t *testing.T) {
	root := sharedRoot(t)
	var inputs []string
	cg := filepath.Join(root, "conformance", "wit-bindgen-codegen")
	entries, _ := os.ReadDir(cg)
	for _, e := range entries {
		p := filepath.Join(cg, e.Name())
		if e.IsDir() {
			if fi, err := os.Stat(filepath.Join(p, "wit")); err == nil && fi.IsDir() {
				inputs = append(inputs, filepath.Join(p, "wit"))
			}
		} else if strings.HasSuffix(e.Name(), ".wit") {
			inputs = append(inputs, p)
		}
	}
	inputs = append(inputs, filepath.Join(root, "wit", "wasi-http", "v0.2.0"))
	kv, _ := filepath.Glob(filepath.Join(root, "wit", "wasi-keyvalue", "*"))
	for _, k := range kv {
		if fi, err := os.Stat(k); err == nil && fi.IsDir() {
			inputs = append(inputs, k)
		}
	}
	ok := 0
	for _, in := range inputs {
		if _, _, err := safeLoad(t, in, Options{}); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		ok++
	}
	t.Logf("corpus: %d/%d loaded", ok, len(inputs))
}

// load is a test helper that loads src and fails on error.
func load(t *testing.T, src string, opts Options) (*wit.Resolve, *wit.Package) {
	t.Helper()
	r, p, err := LoadSource("test.wit", []byte(src), opts)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return r, p
}

func loadErr(t *testing.T, src string, opts Options) *Error {
	t.Helper()
	_, _, err := LoadSource("test.wit", []byte(src), opts)
	if err == nil {
		t.Fatalf("load succeeded, want an error")
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %T %v is not *Error", err, err)
	}
	return pe
}

func itemKeys(items []*wit.WorldItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Key.String())
	}
	return out
}

func TestWorldElaborationOrder(t *testing.T) {
	r, p := load(t, `package a:b;
interface t1 { type x = u32; }
interface t2 { use t1.{x}; }
interface t3 { use t2.{x}; f: func(a: x); }
world w {
  import f: func();
  resource r { constructor(); }
  use t3.{x};
  export t3;
  import g: func();
}`, Options{})
	w := p.World("w")
	got := strings.Join(itemKeys(w.Imports), ",")
	want := "a:b/t1,a:b/t2,a:b/t3,x,r,f,g,[constructor]r"
	if got != want {
		t.Errorf("imports = %s, want %s", got, want)
	}
	if got := strings.Join(itemKeys(w.Exports), ","); got != "a:b/t3" {
		t.Errorf("exports = %s", got)
	}
	if len(r.Interfaces) != 3 {
		t.Errorf("interfaces = %d", len(r.Interfaces))
	}
	// Interfaces are topologically sorted.
	for i, name := range []string{"t1", "t2", "t3"} {
		if r.Interfaces[i].Name != name || r.Interfaces[i].Index != i {
			t.Errorf("interface %d = %s", i, r.Interfaces[i].Name)
		}
	}
}

func TestUseAliases(t *testing.T) {
	r, p := load(t, `package a:b;
interface types { resource r; type n = u32; }
interface user {
  use types.{r, n as m};
  f: func(x: r, y: borrow<r>) -> m;
}`, Options{})
	user := p.Interface("user")
	rr := user.Type("r")
	m := user.Type("m")
	if rr == nil || m == nil {
		t.Fatalf("types = %v", user.Types)
	}
	if a, ok := rr.Kind.(*wit.Alias); !ok || a.Type.(*wit.TypeDef) != p.Interface("types").Type("r") {
		t.Errorf("r is %T, want alias of types.r", rr.Kind)
	}
	if rr.Owner != wit.TypeOwner(user) {
		t.Errorf("alias owner wrong")
	}
	f := user.Function("f")
	own, ok := f.Params[0].Type.(*wit.TypeDef).Kind.(*wit.Own)
	if !ok || own.Type != rr {
		t.Errorf("param x = %#v, want own<alias r>", f.Params[0].Type)
	}
	if b, ok := f.Params[1].Type.(*wit.TypeDef).Kind.(*wit.Borrow); !ok || b.Type != rr {
		t.Errorf("param y is not borrow<r>")
	}
	if f.Result != wit.Type(m) {
		t.Errorf("result = %v", f.Result)
	}
	for i, td := range r.TypeDefs {
		if td.Index != i {
			t.Errorf("type %d has index %d", i, td.Index)
		}
	}
}

func TestResourceFunctions(t *testing.T) {
	_, p := load(t, `package a:b;
interface i {
  resource r {
    constructor(x: u32);
    m: func() -> u32;
    s: static func() -> r;
  }
  resource f { constructor() -> result<f, string>; }
}`, Options{})
	i := p.Interface("i")
	var names []string
	for _, f := range i.Functions {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, ","); got != "[constructor]r,[method]r.m,[static]r.s,[constructor]f" {
		t.Errorf("functions = %s", got)
	}
	m := i.Function("[method]r.m")
	if m.Kind != wit.Method || m.Params[0].Name != "self" {
		t.Errorf("method = %+v", m)
	}
	if b, ok := m.Params[0].Type.(*wit.TypeDef).Kind.(*wit.Borrow); !ok || b.Type != i.Type("r") {
		t.Errorf("self is not borrow<r>")
	}
	c := i.Function("[constructor]r")
	if o, ok := c.Result.(*wit.TypeDef).Kind.(*wit.Own); !ok || o.Type != i.Type("r") {
		t.Errorf("constructor result is not own<r>")
	}
	cf := i.Function("[constructor]f")
	if res, ok := cf.Result.(*wit.TypeDef).Kind.(*wit.Result); !ok || res.Err != wit.String {
		t.Errorf("fallible constructor result = %#v", cf.Result)
	}
}

func TestFeatureGates(t *testing.T) {
	src := `package a:b@1.0.0;
interface i {
  @unstable(feature = f1)
  type gated = u32;
  @since(version = 1.0.0)
  type stable = u32;
  @unstable(feature = f1)
  g: func(x: gated);
  h: func();
}`
	_, p := load(t, src, Options{})
	i := p.Interface("i")
	if i.Type("gated") != nil || i.Function("g") != nil {
		t.Errorf("gated items kept without the feature")
	}
	if s, ok := i.Type("stable").Stability.(*wit.Stable); !ok || s.Since != "1.0.0" {
		t.Errorf("stability = %#v", i.Type("stable").Stability)
	}
	_, p = load(t, src, Options{Features: []string{"f1"}})
	if p.Interface("i").Function("g") == nil {
		t.Errorf("gated function dropped with the feature on")
	}
	_, p = load(t, src, Options{AllFeatures: true})
	if p.Interface("i").Type("gated") == nil {
		t.Errorf("gated type dropped with all features")
	}
	e := loadErr(t, `package a:b;
interface foo {
  @unstable(feature = off)
  type gated = u32;
  type foo = gated;
}`, Options{})
	if e.Pos().Line != 5 || e.Pos().Col != 8 || !strings.Contains(e.Msg, "excluded") {
		t.Errorf("error = %v", e)
	}
}

func TestVersionsAndForeignPackages(t *testing.T) {
	_, p := load(t, `package a:main;
interface i {
  use a:dep/t@1.0.0.{x};
  use a:dep/t@2.0.0.{x as y};
}
package a:dep@1.0.0 { interface t { type x = u32; } }
package a:dep@2.0.0 { interface t { type x = string; } }
`, Options{})
	i := p.Interface("i")
	x := i.Type("x").Kind.(*wit.Alias).Type.(*wit.TypeDef)
	y := i.Type("y").Kind.(*wit.Alias).Type.(*wit.TypeDef)
	if x.Owner.(*wit.Interface).Package.Name.Version != "1.0.0" || y.Owner.(*wit.Interface).Package.Name.Version != "2.0.0" {
		t.Errorf("versions resolved wrongly")
	}
	e := loadErr(t, `package a:main;
interface i { use a:dep/t.{x}; }
package a:dep@1.0.0 { interface t { type x = u32; } }
`, Options{})
	if !strings.Contains(e.Msg, "package 'a:dep' not found") {
		t.Errorf("error = %v", e)
	}
}

func TestIncludeWithRenames(t *testing.T) {
	r, p := load(t, `package a:b;
world base {
  resource r { constructor(); m: func(); }
  import f: func(x: r) -> option<r>;
  export g: func();
}
world top {
  include base with { r as s, g as h }
}`, Options{})
	w := p.World("top")
	if got := strings.Join(itemKeys(w.Imports), ","); got != "s,f,[constructor]s,[method]s.m" {
		t.Errorf("imports = %s", got)
	}
	if got := strings.Join(itemKeys(w.Exports), ","); got != "h" {
		t.Errorf("exports = %s", got)
	}
	s := w.Imports[0].Type
	if s.Name != "s" || s.Owner != wit.TypeOwner(w) {
		t.Errorf("cloned resource = %+v", s)
	}
	f := w.Imports[1].Function
	if o := f.Params[0].Type.(*wit.TypeDef).Kind.(*wit.Own); o.Type != s {
		t.Errorf("f's param does not use the cloned resource")
	}
	if w.Imports[3].Function.Kind != wit.Method || w.Imports[3].Function.Resource != s {
		t.Errorf("method not re-pointed")
	}
	for i, td := range r.TypeDefs {
		if td.Index != i {
			t.Errorf("type %d has index %d", i, td.Index)
		}
	}
	e := loadErr(t, `package a:b;
world base { import a: func(); }
world top { import a: func(); include base; }`, Options{})
	if !strings.Contains(e.Msg, "shadows previously imported items") {
		t.Errorf("error = %v", e)
	}
}

func TestSelectWorld(t *testing.T) {
	r, p := load(t, `package a:b@1.0.0;
world w1 {}
world w2 {}`, Options{})
	if _, err := SelectWorld(r, p, ""); err == nil {
		t.Errorf("ambiguous selection accepted")
	}
	if w, err := SelectWorld(r, p, "w2"); err != nil || w.Name != "w2" {
		t.Errorf("w2: %v", err)
	}
	if w, err := SelectWorld(r, p, "a:b/w1"); err != nil || w.Name != "w1" {
		t.Errorf("a:b/w1: %v", err)
	}
	if w, err := SelectWorld(r, p, "a:b/w1@1.0.0"); err != nil || w.Name != "w1" {
		t.Errorf("a:b/w1@1.0.0: %v", err)
	}
	if _, err := SelectWorld(r, p, "w3"); err == nil {
		t.Errorf("w3 accepted")
	}
	if _, err := SelectWorld(r, p, "w1@1.0.0"); err == nil {
		t.Errorf("versioned plain name accepted")
	}
}

func TestPackageOrder(t *testing.T) {
	r, p := load(t, `package z:root;
interface i { use a:dep/t.{x}; }
package a:dep { interface t { type x = u32; } }
package m:other { interface o {} }
`, Options{})
	var names []string
	for i, pk := range r.Packages {
		names = append(names, pk.Name.String())
		if pk.Index != i {
			t.Errorf("package index")
		}
	}
	if got := strings.Join(names, ","); got != "a:dep,m:other,z:root" {
		t.Errorf("packages = %s", got)
	}
	if p.Name.String() != "z:root" {
		t.Errorf("main = %s", p.Name)
	}
	loadErrCycle := loadErr(t, `package a:x;
package a:p { interface i { use a:q/i.{}; } }
package a:q { interface i { use a:p/i.{}; } }`, Options{})
	if !strings.Contains(loadErrCycle.Msg, "creates a dependency cycle") {
		t.Errorf("error = %v", loadErrCycle)
	}
}

// TestNoPanics feeds truncated and mutated inputs to the loader.
func TestNoPanics(t *testing.T) {
	srcs := []string{
		`package a:b; interface i { use i.{x}; }`,
		`package a:b; world w { include w; }`,
		`package a:b; world w { import x: y; }`,
		`package a:b; interface i { resource r { constructor() -> r; } }`,
		`package a:b; interface i { type t = map<list<u8>, u8>; }`,
		`package a:b; interface i { type a = b; type b = a; }`,
		`package a:b; world w { export i: interface { use j.{t}; } } interface j { type t = u32; }`,
	}
	for _, s := range srcs {
		for n := 0; n <= len(s); n++ {
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic on %q: %v", s[:n], p)
					}
				}()
				_, _, _ = LoadSource("x.wit", []byte(s[:n]), Options{})
			}()
		}
	}
}

// BenchmarkResolveWasiHTTPInMemory measures parsing and resolving the
// wasi-http 0.2.0 tree from memory (no file system access).
func BenchmarkResolveWasiHTTPInMemory(b *testing.B) {
	dir := filepath.Join(sharedRoot(b), "wit", "wasi-http", "v0.2.0")
	type group struct {
		paths []string
		srcs  [][]byte
	}
	read := func(d string) group {
		var g group
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".wit") {
				p := filepath.Join(d, e.Name())
				src, _ := os.ReadFile(p)
				g.paths = append(g.paths, p)
				g.srcs = append(g.srcs, src)
			}
		}
		return g
	}
	mainG := read(dir)
	var deps []group
	entries, _ := os.ReadDir(filepath.Join(dir, "deps"))
	for _, e := range entries {
		if e.IsDir() {
			deps = append(deps, read(filepath.Join(dir, "deps", e.Name())))
		}
	}
	for b.Loop() {
		l := newLoader(Options{})
		m, err := l.parseFiles(mainG.paths, mainG.srcs)
		if err != nil {
			b.Fatal(err)
		}
		var ds []*pkgGroup
		for _, d := range deps {
			g, err := l.parseFiles(d.paths, d.srcs)
			if err != nil {
				b.Fatal(err)
			}
			ds = append(ds, g)
		}
		if _, err := l.finish(m, ds); err != nil {
			b.Fatal(err)
		}
	}
}

// TestResolveMutationsNoPanic loads line-deleted and truncated variants of
// the UI suite's single-file cases and requires that nothing panics.
func TestResolveMutationsNoPanic(t *testing.T) {
	root := filepath.Join(sharedRoot(t), "conformance", "wit-parser-ui")
	files, _ := filepath.Glob(filepath.Join(root, "*.wit"))
	more, _ := filepath.Glob(filepath.Join(root, "parse-fail", "*.wit"))
	files = append(files, more...)
	panics := 0
	try := func(name string, src []byte) {
		defer func() {
			if p := recover(); p != nil {
				panics++
				if panics < 10 {
					t.Errorf("%s: panic: %v\n%s", name, p, src)
				}
			}
		}()
		_, _, _ = LoadSource(name, src, Options{AllFeatures: true})
		_, _, _ = LoadSource(name, src, Options{})
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil || len(src) > 20000 {
			continue
		}
		lines := strings.SplitAfter(string(src), "\n")
		for i := range lines {
			mut := strings.Join(lines[:i], "") + strings.Join(lines[i+1:], "")
			try(f, []byte(mut))
		}
		for n := 0; n < len(src); n += 7 {
			try(f, src[:n])
		}
	}
}

// synthetic returns a package with n interfaces, each using types of the
// previous one, and a world importing and exporting all of them.
func synthetic(n int) []byte {
	var b strings.Builder
	b.WriteString("package syn:thetic;\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "interface i%d {\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "  use i%d.{r%d, t%d};\n", i-1, i-1, i-1)
		}
		fmt.Fprintf(&b, "  resource r%d { constructor(); m: func(x: list<u32>) -> option<string>; }\n", i)
		fmt.Fprintf(&b, "  record t%d { a: u32, b: list<string>, c: tuple<u8, u16> }\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "  f: func(a: r%d, b: t%d, c: borrow<r%d>) -> result<t%d, string>;\n", i-1, i-1, i-1, i)
		}
		b.WriteString("}\n")
	}
	b.WriteString("world w {\n")
	for i := 0; i < n; i += 2 {
		fmt.Fprintf(&b, "  import i%d;\n", i)
	}
	fmt.Fprintf(&b, "  export i%d;\n", n-1)
	b.WriteString("}\n")
	return []byte(b.String())
}

func BenchmarkResolveSynthetic(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		src := synthetic(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := LoadSource("syn.wit", src, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestIncludeClonesAnonymousInterfaces(t *testing.T) {
	r, p := load(t, `package a:b;
interface t { type x = u32; }
world base {
  import anon: interface { use t.{x}; f: func(a: x) -> list<x>; }
  import g: func(a: list<u32>);
}
world top { include base; }`, Options{})
	base, top := p.World("base"), p.World("top")
	if got := strings.Join(itemKeys(top.Imports), ","); got != "a:b/t,anon,g" {
		t.Fatalf("imports = %s", got)
	}
	ai, bi := base.Imports[1].Interface, top.Imports[1].Interface
	if ai == bi || bi.Package != p || bi.Name != "" || bi.Index != len(r.Interfaces)-1 {
		t.Errorf("anonymous interface not cloned: %+v", bi)
	}
	x := bi.Type("x")
	if x == nil || x.Owner != wit.TypeOwner(bi) || x == ai.Type("x") {
		t.Errorf("cloned interface types not re-owned")
	}
	if bi.Function("f").Params[0].Type != wit.Type(x) {
		t.Errorf("cloned function does not use the cloned type")
	}
}

func TestNamedInterfaceImport(t *testing.T) {
	_, p := load(t, `package a:b;
interface types { type t = u32; }
interface store { use types.{t}; get: func() -> t; }
world w {
  import primary: store;
  import backup: store;
  export store;
}`, Options{})
	w := p.World("w")
	if got := strings.Join(itemKeys(w.Imports), ","); got != "a:b/types,primary,backup" {
		t.Errorf("imports = %s", got)
	}
	if w.Imports[1].Interface != p.Interface("store") || w.Imports[1].Key.Interface != nil {
		t.Errorf("primary = %+v", w.Imports[1])
	}
	e := loadErr(t, `package a:b;
interface store {}
world w { import primary: store; import primary: store; }`, Options{})
	if e.Msg != "import `primary` conflicts with prior interface of same name" || e.Pos().Col != 41 {
		t.Errorf("error = %v (col %d)", e, e.Pos().Col)
	}
}
