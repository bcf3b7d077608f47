package parser_test

// FuzzParse feeds arbitrary bytes to the front end. It fails on a panic, on
// an input that takes more than a second, and when an accepted input cannot
// be written as JSON, or printed as WIT that loads again into a structurally
// equal Resolve (the comparison of conformance_test.go).
//
//	make fuzz    # go test ./parser -run '^$' -fuzz FuzzParse -fuzztime 30s
//
// Seeds: a few inline snippets, every .wit file of ../shared (read when the
// fuzz target starts, if the directory exists), and the crashers kept in
// testdata/fuzz/FuzzParse.

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

const fuzzTimeout = time.Second

var fuzzSeeds = []string{
	"",
	"package a:b;",
	"package a:b@1.0.0;\ninterface i { type t = u32; f: func(a: t) -> list<t>; }\n",
	"package a:b;\nworld w { import f: func(); export g: async func() -> result<string, u8>; }\n",
	"package a:b;\ninterface i { resource r { constructor(); m: func(x: borrow<r>) -> own<r>; s: static func(); } }\n",
	"package a:b;\ninterface i { record r { a: u8, b: option<r2> } variant r2 { x, y(string) } enum e { a } flags f { a, b } }\n",
	"package a:b;\ninterface i { type t = tuple<u8, list<u8, 4>, map<string, u8>, future<u8>, stream, error-context>; }\n",
	"package a:b;\ninterface i { type t = u8; }\ninterface j { use i.{t as u}; }\nworld w { include x; }\nworld x { import j; }\n",
	"package a:b;\n@since(version = 1.0.0)\ninterface i { @unstable(feature = active) f: func(); @deprecated(version = 1.1.0) g: func(); }\n",
	"package a:b;\npackage c:d { interface i { type t = s32; } }\ninterface j { use c:d/i.{t}; }\n",
	"/// doc\npackage %interface:%type;\n/** block */ interface %world { %type: func(%use: u8); }\n",
}

// witSeeds returns every .wit file of the shared corpora.
func witSeeds() [][]byte {
	root := filepath.Join("..", "..", "shared")
	var seeds [][]byte
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(p, ".wit") {
			return nil
		}
		if src, err := os.ReadFile(p); err == nil && len(src) <= 64<<10 {
			seeds = append(seeds, src)
		}
		return nil
	})
	return seeds
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, s := range witSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkInput(t, data)
	})
}

type fuzzOutcome struct {
	err   error
	panic string
	r     *wit.Resolve
	main  *wit.Package
	json  []byte
	wit   string
}

// runFront loads src and writes the result as JSON and WIT, catching
// panics.
func runFront(src []byte, opts parser.Options) (out fuzzOutcome) {
	defer func() {
		if p := recover(); p != nil {
			out.panic = fmt.Sprintf("%v\n%s", p, debug.Stack())
		}
	}()
	out.r, out.main, out.err = parser.LoadSource("fuzz.wit", src, opts)
	if out.err != nil {
		return out
	}
	if out.r == nil || out.main == nil {
		out.panic = "LoadSource returned a nil Resolve or package without an error"
		return out
	}
	out.json, out.err = out.r.MarshalJSON()
	if out.err != nil {
		out.panic = fmt.Sprintf("MarshalJSON failed on a loaded resolve: %v", out.err)
		return out
	}
	out.wit = out.r.WIT(out.main)
	return out
}

// withTimeout runs fn, reporting a hang after fuzzTimeout.
func withTimeout(t *testing.T, what string, src []byte, fn func() fuzzOutcome) fuzzOutcome {
	t.Helper()
	ch := make(chan fuzzOutcome, 1)
	go func() { ch <- fn() }()
	timer := time.NewTimer(fuzzTimeout)
	defer timer.Stop()
	select {
	case out := <-ch:
		return out
	case <-timer.C:
		t.Fatalf("%s: no result after %v (hang?) on input %q", what, fuzzTimeout, truncate(src))
		return fuzzOutcome{}
	}
}

func checkInput(t *testing.T, src []byte) { checkSource(t, src, false) }

// checkSource loads src (which must be accepted when mustAccept is set),
// then checks the JSON writer and the printer on the result.
func checkSource(t *testing.T, src []byte, mustAccept bool) {
	t.Helper()
	opts := parser.Options{AllFeatures: true}
	out := withTimeout(t, "LoadSource", src, func() fuzzOutcome { return runFront(src, opts) })
	if out.panic != "" {
		t.Fatalf("front end failed on input %q:\n%s", truncate(src), out.panic)
	}
	if out.err != nil {
		if mustAccept {
			t.Fatalf("valid input rejected: %v\n--- input:\n%s", out.err, numbered(string(src)))
		}
		// Rejected input: the error must be printable.
		_ = out.err.Error()
		return
	}
	// The printed WIT of an accepted input must load again.
	printed := []byte(out.wit)
	again := withTimeout(t, "reload of printed WIT", printed, func() fuzzOutcome { return runFront(printed, opts) })
	if again.panic != "" {
		t.Fatalf("front end failed on printed WIT of %q:\n%s\n--- printed:\n%s", truncate(src), again.panic, out.wit)
	}
	if again.err != nil {
		t.Fatalf("printed WIT does not load: %v\n--- input:\n%s\n--- printed:\n%s", again.err, src, out.wit)
	}
	// ... into a structurally equal Resolve.
	a, err := canonicalJSON(out.json)
	if err != nil {
		t.Fatalf("canonical form of our own JSON: %v\n--- input:\n%s", err, src)
	}
	b, err := canonicalJSON(again.json)
	if err != nil {
		t.Fatalf("canonical form of reloaded JSON: %v\n--- printed:\n%s", err, out.wit)
	}
	if a != b {
		t.Fatalf("printed WIT reloads differently (-original +reloaded):\n%s\n--- input:\n%s\n--- printed:\n%s", cmp.Diff(a, b), src, out.wit)
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// FuzzGenerated checks the front end on valid WIT generated from a seed:
// a package with interfaces (uses, records, variants, enums, flags,
// resources, aliases, functions, docs and gates) and worlds (imports,
// exports, inline interfaces, world types, uses, includes), plus a nested
// dependency package. Every generated input must load, and its printed WIT
// must load back into a structurally equal Resolve.
//
//	go test ./parser -run '^$' -fuzz '^FuzzGenerated$' -fuzztime 30s
func FuzzGenerated(f *testing.F) {
	for seed := range uint64(32) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		checkSource(t, []byte(generateWIT(seed)), true)
	})
}

// witGen writes random valid WIT.
type witGen struct {
	rnd *rand.Rand
	b   strings.Builder
	n   int // counter for fresh names
}

// genType is a type name in scope.
type genType struct {
	name     string // as written (escaped)
	resource bool
}

// nameWords are identifiers to build names from; some are keywords that
// need %-escaping.
var nameWords = []string{"a", "b", "value", "type", "list", "result", "own", "stream", "use", "x1", "item", "flags", "resource", "interface", "with", "async"}

func (g *witGen) intn(n int) int      { return g.rnd.IntN(n) }
func (g *witGen) chance(pct int) bool { return g.rnd.IntN(100) < pct }

// name returns a fresh identifier, escaped when it is a keyword.
func (g *witGen) name() string {
	g.n++
	w := nameWords[g.intn(len(nameWords))]
	if g.chance(40) {
		return wit.Escape(w) // a bare word: only safe once, so add a suffix below
	}
	return fmt.Sprintf("%s-n%d", w, g.n)
}

// fresh returns an identifier not used before in this generator.
func (g *witGen) fresh() string {
	n := g.name()
	if strings.Contains(n, "-n") {
		return n
	}
	return fmt.Sprintf("%s-k%d", strings.TrimPrefix(n, "%"), g.n)
}

func (g *witGen) docs(indent string) {
	if !g.chance(25) {
		return
	}
	lines := []string{"Docs for an item.", "", "  indented `code`", "/slash"}
	for _, l := range lines[:1+g.intn(len(lines))] {
		if l == "" {
			fmt.Fprintf(&g.b, "%s///\n", indent)
		} else {
			fmt.Fprintf(&g.b, "%s/// %s\n", indent, l)
		}
	}
}

func (g *witGen) gate(indent string) {
	switch g.intn(10) {
	case 0:
		fmt.Fprintf(&g.b, "%s@since(version = 0.1.0)\n", indent)
	case 1:
		fmt.Fprintf(&g.b, "%s@unstable(feature = fancy)\n", indent)
	case 2:
		fmt.Fprintf(&g.b, "%s@since(version = 0.1.0)\n%s@deprecated(version = 0.2.0)\n", indent, indent)
	}
}

var genPrims = []string{"bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char", "string"}

// typ returns a type expression over the types in scope. param allows
// borrow<r> (only function parameters may borrow).
func (g *witGen) typ(scope []genType, depth int, param bool) string {
	if depth > 2 || g.chance(35) {
		if len(scope) > 0 && g.chance(50) {
			t := scope[g.intn(len(scope))]
			if t.resource {
				switch {
				case param && g.chance(40):
					return "borrow<" + t.name + ">"
				case g.chance(50):
					return "own<" + t.name + ">"
				}
			}
			return t.name
		}
		return genPrims[g.intn(len(genPrims))]
	}
	switch g.intn(10) {
	case 0:
		return "list<" + g.typ(scope, depth+1, false) + ">"
	case 1:
		return "option<" + g.typ(scope, depth+1, false) + ">"
	case 2:
		switch g.intn(4) {
		case 0:
			return "result"
		case 1:
			return "result<" + g.typ(scope, depth+1, false) + ">"
		case 2:
			return "result<_, " + g.typ(scope, depth+1, false) + ">"
		}
		return "result<" + g.typ(scope, depth+1, false) + ", " + g.typ(scope, depth+1, false) + ">"
	case 3:
		n := 1 + g.intn(3)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = g.typ(scope, depth+1, false)
		}
		return "tuple<" + strings.Join(parts, ", ") + ">"
	case 4:
		return fmt.Sprintf("list<%s, %d>", g.typ(scope, depth+1, false), 1+g.intn(8))
	case 5:
		return "map<string, " + g.typ(scope, depth+1, false) + ">"
	case 6:
		if g.chance(30) {
			return "future"
		}
		return "future<" + g.typ(scope, depth+1, false) + ">"
	case 7:
		if g.chance(30) {
			return "stream"
		}
		return "stream<" + g.typ(scope, depth+1, false) + ">"
	case 8:
		if param && g.chance(50) {
			for _, t := range scope {
				if t.resource {
					return "list<borrow<" + t.name + ">>"
				}
			}
		}
		return "list<u8>"
	}
	return "error-context"
}

func (g *witGen) params(scope []genType, self bool) string {
	n := g.intn(4)
	parts := make([]string, 0, n)
	for range n {
		parts = append(parts, g.fresh()+": "+g.typ(scope, 0, true))
	}
	_ = self
	return "(" + strings.Join(parts, ", ") + ")"
}

func (g *witGen) result(scope []genType) string {
	if g.chance(40) {
		return ""
	}
	return " -> " + g.typ(scope, 0, false)
}

func (g *witGen) asyncKw() string {
	if g.chance(15) {
		return "async "
	}
	return ""
}

// typeDefs writes type definitions and returns the scope extended with
// them.
func (g *witGen) typeDefs(indent string, scope []genType, world bool) []genType {
	for range g.intn(6) {
		name := g.fresh()
		g.docs(indent)
		g.gate(indent)
		switch g.intn(6) {
		case 0:
			fmt.Fprintf(&g.b, "%srecord %s {\n", indent, name)
			for range 1 + g.intn(3) {
				g.docs(indent + "  ")
				fmt.Fprintf(&g.b, "%s  %s: %s,\n", indent, g.fresh(), g.typ(scope, 0, false))
			}
			fmt.Fprintf(&g.b, "%s}\n", indent)
		case 1:
			fmt.Fprintf(&g.b, "%svariant %s {\n", indent, name)
			for range 1 + g.intn(3) {
				if g.chance(50) {
					fmt.Fprintf(&g.b, "%s  %s,\n", indent, g.fresh())
				} else {
					fmt.Fprintf(&g.b, "%s  %s(%s),\n", indent, g.fresh(), g.typ(scope, 0, false))
				}
			}
			fmt.Fprintf(&g.b, "%s}\n", indent)
		case 2:
			cases := make([]string, 1+g.intn(4))
			for i := range cases {
				cases[i] = g.fresh()
			}
			fmt.Fprintf(&g.b, "%senum %s { %s }\n", indent, name, strings.Join(cases, ", "))
		case 3:
			flags := make([]string, 1+g.intn(4))
			for i := range flags {
				flags[i] = g.fresh()
			}
			fmt.Fprintf(&g.b, "%sflags %s { %s }\n", indent, name, strings.Join(flags, ", "))
		case 4:
			self := append(scope[:len(scope):len(scope)], genType{name: name, resource: true})
			if g.chance(30) {
				fmt.Fprintf(&g.b, "%sresource %s;\n", indent, name)
			} else {
				fmt.Fprintf(&g.b, "%sresource %s {\n", indent, name)
				if g.chance(50) {
					fmt.Fprintf(&g.b, "%s  constructor%s;\n", indent, g.params(self, false))
				}
				for range g.intn(3) {
					g.docs(indent + "  ")
					if g.chance(30) {
						fmt.Fprintf(&g.b, "%s  %s: static %sfunc%s%s;\n", indent, g.fresh(), g.asyncKw(), g.params(self, false), g.result(self))
					} else {
						fmt.Fprintf(&g.b, "%s  %s: %sfunc%s%s;\n", indent, g.fresh(), g.asyncKw(), g.params(self, true), g.result(self))
					}
				}
				fmt.Fprintf(&g.b, "%s}\n", indent)
			}
			scope = self
			continue
		default:
			fmt.Fprintf(&g.b, "%stype %s = %s;\n", indent, name, g.typ(scope, 0, false))
		}
		scope = append(scope, genType{name: name})
	}
	return scope
}

// genIface is a generated interface and the types it exports.
type genIface struct {
	name  string
	types []genType
}

// useFrom writes a `use` of some types of one of ifaces, returning the
// scope extended with the (possibly renamed) names.
func (g *witGen) useFrom(indent string, ifaces []genIface, path func(genIface) string, scope []genType) []genType {
	if len(ifaces) == 0 || !g.chance(60) {
		return scope
	}
	src := ifaces[g.intn(len(ifaces))]
	if len(src.types) == 0 {
		return scope
	}
	var names []string
	seen := map[string]bool{}
	for range 1 + g.intn(len(src.types)) {
		t := src.types[g.intn(len(src.types))]
		if seen[t.name] {
			continue
		}
		seen[t.name] = true
		local := t.name
		if g.chance(30) {
			local = g.fresh()
			names = append(names, t.name+" as "+local)
		} else {
			names = append(names, t.name)
		}
		scope = append(scope, genType{name: local, resource: t.resource})
	}
	fmt.Fprintf(&g.b, "%suse %s.{%s};\n", indent, path(src), strings.Join(names, ", "))
	return scope
}

func (g *witGen) iface(indent, name string, deps []genIface, depPath func(genIface) string, local []genIface) genIface {
	g.docs(indent)
	g.gate(indent)
	fmt.Fprintf(&g.b, "%sinterface %s {\n", indent, name)
	in := indent + "  "
	var scope []genType
	scope = g.useFrom(in, deps, depPath, scope)
	scope = g.useFrom(in, local, func(i genIface) string { return i.name }, scope)
	used := len(scope)
	scope = g.typeDefs(in, scope, false)
	for range g.intn(4) {
		g.docs(in)
		g.gate(in)
		fmt.Fprintf(&g.b, "%s%s: %sfunc%s%s;\n", in, g.fresh(), g.asyncKw(), g.params(scope, false), g.result(scope))
	}
	fmt.Fprintf(&g.b, "%s}\n\n", indent)
	return genIface{name: name, types: scope[used:]}
}

// generateWIT returns a valid WIT package derived from seed.
func generateWIT(seed uint64) string {
	g := &witGen{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	g.docs("")
	g.b.WriteString("package gen:main@1.0.0;\n\n")

	// A dependency package, nested in the same file.
	var deps []genIface
	depPath := func(i genIface) string { return "gen:dep/" + i.name + "@0.3.0" }
	if g.chance(60) {
		var body strings.Builder
		saved := g.b
		g.b = strings.Builder{}
		for range 1 + g.intn(2) {
			deps = append(deps, g.iface("  ", g.fresh(), nil, nil, deps))
		}
		body.WriteString(g.b.String())
		g.b = saved
		fmt.Fprintf(&g.b, "package gen:dep@0.3.0 {\n%s}\n\n", body.String())
	}

	var ifaces []genIface
	for range 1 + g.intn(4) {
		ifaces = append(ifaces, g.iface("", g.fresh(), deps, depPath, ifaces))
	}

	var worlds []string
	for range 1 + g.intn(2) {
		name := g.fresh()
		g.docs("")
		g.gate("")
		fmt.Fprintf(&g.b, "world %s {\n", name)
		included := len(worlds) > 0 && g.chance(40)
		if included {
			fmt.Fprintf(&g.b, "  include %s;\n", worlds[g.intn(len(worlds))])
		}
		// Import all but possibly the last interface, export the last.
		for i, x := range ifaces {
			switch {
			case i == len(ifaces)-1 && g.chance(50):
				fmt.Fprintf(&g.b, "  export %s;\n", x.name)
			case g.chance(60):
				// No gate here: an include merging the same import with a
				// different gate is an error ("mismatch in stability").
				fmt.Fprintf(&g.b, "  import %s;\n", x.name)
			}
		}
		if len(deps) > 0 && g.chance(50) {
			fmt.Fprintf(&g.b, "  import %s;\n", depPath(deps[0]))
		}
		if g.chance(25) {
			// A named import of an existing interface.
			x := ifaces[g.intn(len(ifaces))]
			fmt.Fprintf(&g.b, "  import %s: %s;\n", g.fresh(), x.name)
		}
		var scope []genType
		if !included {
			// (An include brings the other world's types; names of
			// types used or defined here could shadow them.)
			scope = g.useFrom("  ", ifaces, func(i genIface) string { return i.name }, nil)
			scope = g.typeDefs("  ", scope, true)
		}
		for range g.intn(3) {
			dir := "import"
			if g.chance(50) {
				dir = "export"
			}
			g.docs("  ")
			fmt.Fprintf(&g.b, "  %s %s: %sfunc%s%s;\n", dir, g.fresh(), g.asyncKw(), g.params(scope, false), g.result(scope))
		}
		if g.chance(40) {
			fmt.Fprintf(&g.b, "  import %s: interface {\n    %s: func(x: u32) -> string;\n  }\n", g.fresh(), g.fresh())
		}
		g.b.WriteString("}\n\n")
		worlds = append(worlds, name)
	}
	return g.b.String()
}

// TestGeneratedWIT runs the generator over a fixed range of seeds (the fuzz
// target explores further).
func TestGeneratedWIT(t *testing.T) {
	for seed := range uint64(200) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			checkSource(t, []byte(generateWIT(seed)), true)
		})
	}
}
