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

func checkInput(t *testing.T, src []byte) {
	t.Helper()
	opts := parser.Options{AllFeatures: true}
	out := withTimeout(t, "LoadSource", src, func() fuzzOutcome { return runFront(src, opts) })
	if out.panic != "" {
		t.Fatalf("front end failed on input %q:\n%s", truncate(src), out.panic)
	}
	if out.err != nil {
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
