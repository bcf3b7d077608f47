package parser_test

// Conformance tests against the corpora in ../shared (relative to the
// repository root):
//
//   - wit-parser's UI suite (shared/conformance/wit-parser-ui): every passing
//     case must load and produce JSON structurally equal to the expected
//     `wasm-tools component wit --json` output; every parse-fail case must be
//     rejected, and we count how many of our errors point at the same
//     line:column as wit-parser's.
//   - Round trip: the WIT printed from every passing case loads back into a
//     structurally equal Resolve.
//   - The wit-bindgen codegen corpus and the WASI WIT trees must load.
//
// The summary line is printed with t.Log and fmt.Printf so that CI logs show
// it, e.g. `wit-parser ui: 72/72 pass, 150/150 rejected, 131/150 same position`.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// Bars the suite must reach.
const (
	barPass      = 72  // passing cases that must match
	barRejected  = 150 // parse-fail cases that must be rejected
	barSamePosPc = 80  // percent of parse-fail cases with the same line:col
)

// uiSkip lists passing cases a pure-WIT front end cannot run.
var uiSkip = map[string]string{
	"kinds-of-deps":    "needs a dependency encoded as wasm (deps/d.wat, deps/e.wasm)",
	"simple-wasm-text": "input is a .wat file (needs WAT -> wasm -> WIT decoding)",
}

// sharedDir returns ../shared relative to the repository root, or skips.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("%s not found; conformance suite skipped", dir)
	}
	return dir
}

// loadResult is the outcome of loading one input, guarded against panics
// and hangs.
type loadResult struct {
	r     *wit.Resolve
	main  *wit.Package
	err   error
	panic string
}

const loadTimeout = 20 * time.Second

// guardedLoad runs load in a goroutine, turning a panic into an error and
// giving up after loadTimeout.
func guardedLoad(load func() (*wit.Resolve, *wit.Package, error)) loadResult {
	ch := make(chan loadResult, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- loadResult{panic: fmt.Sprintf("panic: %v\n%s", p, debug.Stack())}
			}
		}()
		r, main, err := load()
		ch <- loadResult{r: r, main: main, err: err}
	}()
	select {
	case res := <-ch:
		return res
	case <-time.After(loadTimeout):
		return loadResult{panic: fmt.Sprintf("hang: no result after %v", loadTimeout)}
	}
}

var uiOptions = parser.Options{Features: []string{"active"}}

// uiCase is a passing case of the UI suite.
type uiCase struct {
	name     string // e.g. "use-chain" or "many-names"
	input    string // X.wit or directory X
	expected string // X.wit.json
}

func uiPassingCases(t *testing.T, ui string) (cases []uiCase, skipped []string) {
	t.Helper()
	entries, err := os.ReadDir(ui)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".wit.json")
		if !ok || e.IsDir() {
			continue
		}
		if why, ok := uiSkip[name]; ok {
			skipped = append(skipped, name+": "+why)
			continue
		}
		c := uiCase{name: name, expected: filepath.Join(ui, e.Name())}
		switch {
		case isFile(filepath.Join(ui, name+".wit")):
			c.input = filepath.Join(ui, name+".wit")
		case isDir(filepath.Join(ui, name)):
			c.input = filepath.Join(ui, name)
		default:
			skipped = append(skipped, name+": no .wit input")
			continue
		}
		cases = append(cases, c)
	}
	return cases, skipped
}

func isFile(p string) bool { fi, err := os.Stat(p); return err == nil && fi.Mode().IsRegular() }
func isDir(p string) bool  { fi, err := os.Stat(p); return err == nil && fi.IsDir() }

// TestConformance runs wit-parser's UI suite and prints the summary line.
func TestConformance(t *testing.T) {
	shared := sharedDir(t)
	ui := filepath.Join(shared, "conformance", "wit-parser-ui")
	if !isDir(ui) {
		t.Skipf("%s not found; conformance suite skipped", ui)
	}

	cases, skipped := uiPassingCases(t, ui)
	for _, s := range skipped {
		t.Logf("skip %s", s)
	}
	pass, identical := 0, 0
	t.Run("pass", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ok, same := checkPassingCase(t, c)
				if ok {
					pass++
				}
				if same {
					identical++
				}
			})
		}
	})

	rejected, samePos, total := 0, 0, 0
	t.Run("fail", func(t *testing.T) {
		rejected, samePos, total = runParseFail(t, filepath.Join(ui, "parse-fail"))
	})

	line := fmt.Sprintf("wit-parser ui: %d/%d pass, %d/%d rejected, %d/%d same position",
		pass, len(cases), rejected, total, samePos, total)
	t.Log(line)
	fmt.Printf("%s\n", line)
	t.Logf("%d/%d passing cases produce byte-identical JSON (not required: arena order may differ)", identical, len(cases))

	if pass < barPass || pass < len(cases) {
		t.Errorf("passing cases: %d/%d match, bar is %d", pass, len(cases), barPass)
	}
	if rejected < barRejected || rejected < total {
		t.Errorf("parse-fail cases: %d/%d rejected, bar is %d", rejected, total, barRejected)
	}
	if total > 0 && samePos*100 < barSamePosPc*total {
		t.Errorf("parse-fail cases: %d/%d at the same position, bar is %d%%", samePos, total, barSamePosPc)
	}
}

// checkPassingCase loads c and compares its JSON with the expected file
// structurally; identical reports whether the bytes are equal too.
func checkPassingCase(t *testing.T, c uiCase) (ok, identical bool) {
	t.Helper()
	res := guardedLoad(func() (*wit.Resolve, *wit.Package, error) { return parser.LoadPath(c.input, uiOptions) })
	if res.panic != "" {
		t.Errorf("LoadPath(%s): %s", c.input, res.panic)
		return false, false
	}
	if res.err != nil {
		t.Errorf("LoadPath(%s): %v", c.input, res.err)
		return false, false
	}
	got, err := res.r.MarshalJSON()
	if err != nil {
		t.Errorf("MarshalJSON: %v", err)
		return false, false
	}
	want, err := os.ReadFile(c.expected)
	if err != nil {
		t.Fatal(err)
	}
	gotC, err := canonicalJSON(got)
	if err != nil {
		t.Errorf("our JSON: %v", err)
		return false, false
	}
	wantC, err := canonicalJSON(want)
	if err != nil {
		t.Fatalf("expected JSON: %v", err)
	}
	if d := cmp.Diff(wantC, gotC); d != "" {
		t.Errorf("structural mismatch with %s (-want +got):\n%s", filepath.Base(c.expected), d)
		return false, false
	}
	identical = bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n"))))
	return true, identical
}

// resultPos matches the first `path:line:col` of a .result file.
var resultPos = regexp.MustCompile(`([^\s\[\]:]+\.wit):(\d+):(\d+)`)

// runParseFail loads every parse-fail case and counts rejections and
// position matches.
func runParseFail(t *testing.T, dir string) (rejected, samePos, total int) {
	sameMsg := 0
	defer func() {
		t.Logf("%d/%d parse-fail cases have wit-parser's message (first line without context prefixes; informational)", sameMsg, total)
	}()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var mismatches []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".wit.result")
		if !ok {
			continue
		}
		var input string
		switch {
		case isFile(filepath.Join(dir, name+".wit")):
			input = filepath.Join(dir, name+".wit")
		case isDir(filepath.Join(dir, name)):
			input = filepath.Join(dir, name)
		default:
			t.Logf("skip parse-fail/%s: stale .result without an input (upstream never runs it)", e.Name())
			continue
		}
		total++
		expected, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		res := guardedLoad(func() (*wit.Resolve, *wit.Package, error) { return parser.LoadPath(input, uiOptions) })
		if res.panic != "" {
			t.Errorf("parse-fail/%s: %s", name, res.panic)
			continue
		}
		if res.err == nil {
			t.Errorf("parse-fail/%s: accepted; wit-parser says:\n%s", name, expected)
			continue
		}
		rejected++

		wantFile, wantLine, wantCol := "", 0, 0
		if m := resultPos.FindSubmatch(expected); m != nil {
			wantFile = filepath.Base(string(m[1]))
			wantLine, _ = strconv.Atoi(string(m[2]))
			wantCol, _ = strconv.Atoi(string(m[3]))
		}
		var pe *parser.Error
		var got wit.Pos
		if errors.As(res.err, &pe) {
			got = pe.Pos()
		}
		if w, g := firstLine(wantMessage(expected)), firstLine(errMessage(res.err, pe)); w == g {
			sameMsg++
		} else {
			t.Logf("message differs: %s:\n\twit-parser: %s\n\tours:       %s", name, w, g)
		}
		same := false
		switch {
		case wantLine == 0:
			// wit-parser reports no position; so must we.
			same = !got.IsValid()
		case got.IsValid():
			same = got.Line == wantLine && got.Col == wantCol && filepath.Base(got.Filename) == wantFile
		}
		if same {
			samePos++
			continue
		}
		first, _, _ := strings.Cut(strings.TrimSpace(string(expected)), "\n")
		want := "no position"
		if wantLine > 0 {
			want = fmt.Sprintf("%s:%d:%d", wantFile, wantLine, wantCol)
		}
		gotS := "no position (not a *parser.Error)"
		if pe != nil && !got.IsValid() {
			gotS = "no position"
		} else if pe != nil {
			gotS = fmt.Sprintf("%s:%d:%d", filepath.Base(got.Filename), got.Line, got.Col)
		}
		ours, _, _ := strings.Cut(res.err.Error(), "\n")
		mismatches = append(mismatches, fmt.Sprintf("%s: want %s (%s), got %s (%s)", name, want, first, gotS, ours))
	}
	for _, m := range mismatches {
		t.Logf("position differs: %s", m)
	}
	return rejected, samePos, total
}

// dirPrefix starts wit-parser's messages for directory inputs.
var dirPrefix = regexp.MustCompile(`^failed to resolve directory while parsing WIT for path \[[^\]]*\]: `)

// pkgPrefix and posPrefix are other context prefixes of wit-parser's
// messages.
var (
	pkgPrefix = regexp.MustCompile(`^failed to parse package: [^:]*: `)
	posPrefix = regexp.MustCompile(`^[^\s:]+\.wit:\d+:\d+: `)
)

// wantMessage is wit-parser's message without the context prefixes.
func wantMessage(result []byte) string {
	s := dirPrefix.ReplaceAllString(strings.TrimSpace(string(result)), "")
	s = pkgPrefix.ReplaceAllString(s, "")
	return posPrefix.ReplaceAllString(s, "")
}

// errMessage is our message without the position prefix.
func errMessage(err error, pe *parser.Error) string {
	if pe != nil {
		return pe.Msg
	}
	return err.Error()
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(l)
}

// TestConformanceRoundTrip prints every passing UI case as WIT, loads the
// text back and requires a structurally equal Resolve.
func TestConformanceRoundTrip(t *testing.T) {
	shared := sharedDir(t)
	ui := filepath.Join(shared, "conformance", "wit-parser-ui")
	if !isDir(ui) {
		t.Skipf("%s not found; conformance suite skipped", ui)
	}
	cases, _ := uiPassingCases(t, ui)
	ok, loaded := 0, 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := guardedLoad(func() (*wit.Resolve, *wit.Package, error) { return parser.LoadPath(c.input, uiOptions) })
			if res.panic != "" || res.err != nil {
				t.Skipf("does not load (%s%v); covered by TestConformance", res.panic, res.err)
			}
			loaded++
			if roundTrip(t, c.name, res.r, res.main) {
				ok++
			}
		})
	}
	line := fmt.Sprintf("wit-parser ui round trip (print WIT, reload, compare): %d/%d", ok, loaded)
	t.Log(line)
	fmt.Printf("%s\n", line)
}

// roundTrip prints r as WIT, reloads it and compares the canonical JSON.
func roundTrip(t *testing.T, name string, r *wit.Resolve, main *wit.Package) bool {
	t.Helper()
	orig, err := r.MarshalJSON()
	if err != nil {
		t.Errorf("MarshalJSON: %v", err)
		return false
	}
	src := r.WIT(main)
	path := name + ".printed.wit"
	res := guardedLoad(func() (*wit.Resolve, *wit.Package, error) {
		return parser.LoadSource(path, []byte(src), parser.Options{AllFeatures: true})
	})
	if res.panic != "" || res.err != nil {
		t.Errorf("printed WIT does not load: %s%v\n--- printed WIT:\n%s", res.panic, res.err, numbered(src))
		return false
	}
	again, err := res.r.MarshalJSON()
	if err != nil {
		t.Errorf("MarshalJSON of reloaded: %v", err)
		return false
	}
	a, err := canonicalJSON(orig)
	if err != nil {
		t.Errorf("canonical: %v", err)
		return false
	}
	b, err := canonicalJSON(again)
	if err != nil {
		t.Errorf("canonical of reloaded: %v", err)
		return false
	}
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("reloaded printed WIT differs (-original +reloaded):\n%s\n--- printed WIT:\n%s", d, numbered(src))
		return false
	}
	return true
}

func numbered(src string) string {
	var b strings.Builder
	for i, l := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}

// corpusInputs lists the inputs of the wit-bindgen codegen corpus and the
// WASI trees.
func corpusInputs(shared string) []string {
	var inputs []string
	cg := filepath.Join(shared, "conformance", "wit-bindgen-codegen")
	if entries, err := os.ReadDir(cg); err == nil {
		for _, e := range entries {
			p := filepath.Join(cg, e.Name())
			switch {
			case !e.IsDir() && strings.HasSuffix(e.Name(), ".wit"):
				inputs = append(inputs, p)
			case e.IsDir() && isDir(filepath.Join(p, "wit")):
				inputs = append(inputs, filepath.Join(p, "wit"))
			}
		}
	}
	if p := filepath.Join(shared, "wit", "wasi-http", "v0.2.0"); isDir(p) {
		inputs = append(inputs, p)
	}
	kv := filepath.Join(shared, "wit", "wasi-keyvalue")
	if entries, err := os.ReadDir(kv); err == nil {
		for _, e := range entries {
			if e.IsDir() {
				inputs = append(inputs, filepath.Join(kv, e.Name()))
			}
		}
	}
	return inputs
}

// TestConformanceCorpus loads every WIT of the codegen corpus and the WASI
// trees, prints them as WIT and reloads the printed text.
func TestConformanceCorpus(t *testing.T) {
	shared := sharedDir(t)
	inputs := corpusInputs(shared)
	if len(inputs) == 0 {
		t.Skip("no corpus inputs found")
	}
	codegenOK, codegenTotal, wasiOK, wasiTotal, rtOK := 0, 0, 0, 0, 0
	for _, in := range inputs {
		isCodegen := strings.Contains(filepath.ToSlash(in), "/wit-bindgen-codegen/")
		if isCodegen {
			codegenTotal++
		} else {
			wasiTotal++
		}
		rel, _ := filepath.Rel(shared, in)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			res := guardedLoad(func() (*wit.Resolve, *wit.Package, error) { return parser.LoadPath(in, parser.Options{}) })
			if res.panic != "" || res.err != nil {
				t.Errorf("LoadPath(%s): %s%v", in, res.panic, res.err)
				return
			}
			if _, err := res.r.MarshalJSON(); err != nil {
				t.Errorf("MarshalJSON: %v", err)
				return
			}
			if isCodegen {
				codegenOK++
			} else {
				wasiOK++
			}
			if roundTrip(t, filepath.Base(in), res.r, res.main) {
				rtOK++
			}
		})
	}
	line := fmt.Sprintf("wit-bindgen codegen: %d/%d load; wasi (http v0.2.0, keyvalue): %d/%d load; round trip %d/%d",
		codegenOK, codegenTotal, wasiOK, wasiTotal, rtOK, codegenOK+wasiOK)
	t.Log(line)
	fmt.Printf("%s\n", line)
}

// ---------------------------------------------------------------------------
// Structural comparison of wasm-tools JSON.
//
// The JSON's arrays are arenas whose order depends on the resolver's
// allocation order, so two equivalent resolves can number their nodes
// differently. canonicalJSON rewrites a document into a form without
// indices: packages (sorted by name) contain their interfaces and worlds
// (in map order, which is part of the format); a named type is replaced by
// its identity ("@interface ns:pkg/iface.name" or "@world ns:pkg/w.name")
// and described once, where its owner lists it; an anonymous type is
// replaced by its structure; a world key "interface-N" becomes the
// referenced interface's identity; an anonymous interface is described
// inline where the world imports or exports it.
// ---------------------------------------------------------------------------

// jobj is a JSON object that keeps its key order.
type jobj struct {
	keys []string
	vals []any
}

func (o *jobj) get(k string) any {
	if o == nil {
		return nil
	}
	for i, kk := range o.keys {
		if kk == k {
			return o.vals[i]
		}
	}
	return nil
}

func (o *jobj) has(k string) bool { return slices.Contains(o.keys, k) }

func (o *jobj) set(k string, v any) {
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

// decodeOrdered decodes JSON keeping object key order (objects become *jobj,
// numbers json.Number).
func decodeOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			o := &jobj{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key %v is not a string", kt)
				}
				if o.has(k) {
					return nil, fmt.Errorf("duplicate key %q", k)
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				o.set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, fmt.Errorf("unexpected %v", tok)
	default:
		return tok, nil
	}
}

// canonicalJSON returns the canonical text of a wasm-tools JSON document.
func canonicalJSON(data []byte) (string, error) {
	v, err := decodeOrdered(data)
	if err != nil {
		return "", err
	}
	root, ok := v.(*jobj)
	if !ok {
		return "", errors.New("top level is not an object")
	}
	c := &canonicalizer{}
	for _, f := range []struct {
		key string
		dst *[]*jobj
	}{{"worlds", &c.worlds}, {"interfaces", &c.ifaces}, {"types", &c.types}, {"packages", &c.pkgs}} {
		arr, ok := root.get(f.key).([]any)
		if !ok {
			return "", fmt.Errorf("%q is not an array", f.key)
		}
		for i, e := range arr {
			o, ok := e.(*jobj)
			if !ok {
				return "", fmt.Errorf("%s[%d] is not an object", f.key, i)
			}
			*f.dst = append(*f.dst, o)
		}
	}
	out := c.resolve(root)
	if len(c.errs) > 0 {
		return "", errors.New(strings.Join(c.errs, "; "))
	}
	var b strings.Builder
	render(&b, out, 0)
	return b.String(), nil
}

type canonicalizer struct {
	worlds, ifaces, types, pkgs []*jobj
	anonIface                   map[int]string // anonymous interface -> identity
	errs                        []string
	depth                       int
}

func (c *canonicalizer) fail(format string, args ...any) string {
	s := fmt.Sprintf(format, args...)
	if len(c.errs) < 10 {
		c.errs = append(c.errs, s)
	}
	return "<error: " + s + ">"
}

func index(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(string(n))
	return i, err == nil && i >= 0
}

func (c *canonicalizer) pkgName(v any) string {
	if v == nil {
		return "<no package>"
	}
	i, ok := index(v)
	if !ok || i >= len(c.pkgs) {
		return c.fail("bad package reference %v", v)
	}
	s, _ := c.pkgs[i].get("name").(string)
	return s
}

func (c *canonicalizer) worldID(v any) string {
	i, ok := index(v)
	if !ok || i >= len(c.worlds) {
		return c.fail("bad world reference %v", v)
	}
	w := c.worlds[i]
	name, _ := w.get("name").(string)
	return c.pkgName(w.get("package")) + "/" + name
}

func (c *canonicalizer) ifaceID(v any) string {
	i, ok := index(v)
	if !ok || i >= len(c.ifaces) {
		return c.fail("bad interface reference %v", v)
	}
	x := c.ifaces[i]
	if name, ok := x.get("name").(string); ok {
		return c.pkgName(x.get("package")) + "/" + name
	}
	if id, ok := c.anonIface[i]; ok {
		return id
	}
	return fmt.Sprintf("<anonymous interface not used by any world, in %s>", c.pkgName(x.get("package")))
}

func (c *canonicalizer) ownerID(v any) string {
	o, ok := v.(*jobj)
	if !ok {
		return "<no owner>"
	}
	if w := o.get("world"); w != nil {
		return "world " + c.worldID(w)
	}
	if i := o.get("interface"); i != nil {
		return "interface " + c.ifaceID(i)
	}
	return c.fail("bad owner")
}

// typ canonicalises a Type: a primitive stays a string, a named type
// becomes its identity, an anonymous type its structure.
func (c *canonicalizer) typ(v any) any {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil {
		return nil
	}
	i, ok := index(v)
	if !ok || i >= len(c.types) {
		return c.fail("bad type reference %v", v)
	}
	t := c.types[i]
	if name, ok := t.get("name").(string); ok {
		return "@" + c.ownerID(t.get("owner")) + "." + name
	}
	if c.depth > 200 {
		return c.fail("anonymous types nested too deeply (cycle?)")
	}
	c.depth++
	defer func() { c.depth-- }()
	out := &jobj{}
	for k, key := range t.keys {
		switch key {
		case "name", "owner":
			if t.vals[k] != nil {
				out.set(key, c.fail("anonymous type with %s", key))
			}
		case "kind":
			out.set("anonymous", c.kind(t.vals[k]))
		default:
			out.set(key, t.vals[k])
		}
	}
	return out
}

// typeDef canonicalises a full (named) type definition.
func (c *canonicalizer) typeDef(v any) any {
	i, ok := index(v)
	if !ok || i >= len(c.types) {
		return c.fail("bad type reference %v", v)
	}
	t := c.types[i]
	out := &jobj{}
	for k, key := range t.keys {
		switch key {
		case "kind":
			out.set(key, c.kind(t.vals[k]))
		case "owner":
			out.set(key, c.ownerID(t.vals[k]))
		default:
			out.set(key, t.vals[k])
		}
	}
	return out
}

func (c *canonicalizer) kind(v any) any {
	o, ok := v.(*jobj)
	if !ok {
		return v // "resource"
	}
	out := &jobj{}
	for k, key := range o.keys {
		val := o.vals[k]
		switch key {
		case "handle":
			h, _ := val.(*jobj)
			ho := &jobj{}
			if h != nil {
				for j, hk := range h.keys {
					ho.set(hk, c.typ(h.vals[j]))
				}
			}
			out.set(key, ho)
		case "record", "variant":
			out.set(key, c.members(val, key))
		case "tuple":
			r, _ := val.(*jobj)
			to := &jobj{}
			if r != nil {
				for j, rk := range r.keys {
					if rk == "types" {
						to.set(rk, c.typeList(r.vals[j]))
					} else {
						to.set(rk, r.vals[j])
					}
				}
			}
			out.set(key, to)
		case "option", "list", "future", "stream", "type":
			out.set(key, c.typ(val))
		case "result":
			r, _ := val.(*jobj)
			ro := &jobj{}
			if r != nil {
				for j, rk := range r.keys {
					ro.set(rk, c.typ(r.vals[j]))
				}
			}
			out.set(key, ro)
		case "map":
			out.set(key, c.typeList(val))
		case "fixed-length-list":
			a, _ := val.([]any)
			if len(a) == 2 {
				out.set(key, []any{c.typ(a[0]), a[1]})
			} else {
				out.set(key, c.fail("bad fixed-length-list"))
			}
		default: // flags, enum: no type references
			out.set(key, val)
		}
	}
	return out
}

func (c *canonicalizer) typeList(v any) any {
	a, _ := v.([]any)
	out := make([]any, len(a))
	for i, e := range a {
		out[i] = c.typ(e)
	}
	return out
}

// members canonicalises {"fields": [...]} or {"cases": [...]}, whose
// elements have a "type".
func (c *canonicalizer) members(v any, what string) any {
	o, _ := v.(*jobj)
	out := &jobj{}
	if o == nil {
		return c.fail("bad %s", what)
	}
	for k, key := range o.keys {
		a, ok := o.vals[k].([]any)
		if !ok {
			out.set(key, o.vals[k])
			continue
		}
		out.set(key, c.typedList(a))
	}
	return out
}

// typedList canonicalises a list of objects (fields, cases, params) whose
// "type" member is a type; a non-object element becomes {}.
func (c *canonicalizer) typedList(a []any) []any {
	list := make([]any, len(a))
	for i, e := range a {
		m, _ := e.(*jobj)
		mo := &jobj{}
		if m != nil {
			for j, mk := range m.keys {
				if mk == "type" {
					mo.set(mk, c.typ(m.vals[j]))
				} else {
					mo.set(mk, m.vals[j])
				}
			}
		}
		list[i] = mo
	}
	return list
}

func (c *canonicalizer) function(v any) any {
	f, _ := v.(*jobj)
	if f == nil {
		return c.fail("bad function")
	}
	out := &jobj{}
	for k, key := range f.keys {
		val := f.vals[k]
		switch key {
		case "kind":
			if ko, ok := val.(*jobj); ok {
				kk := &jobj{}
				for j, x := range ko.keys {
					kk.set(x, c.typ(ko.vals[j]))
				}
				out.set(key, kk)
			} else {
				out.set(key, val)
			}
		case "params":
			a, _ := val.([]any)
			out.set(key, c.typedList(a))
		case "result":
			out.set(key, c.typ(val))
		default:
			out.set(key, val)
		}
	}
	return out
}

// iface canonicalises a full interface.
func (c *canonicalizer) iface(i int) any {
	x := c.ifaces[i]
	out := &jobj{}
	for k, key := range x.keys {
		val := x.vals[k]
		switch key {
		case "types":
			m, _ := val.(*jobj)
			mo := &jobj{}
			if m != nil {
				for j, name := range m.keys {
					mo.set(name, c.typeDef(m.vals[j]))
				}
			}
			out.set(key, mo)
		case "functions":
			m, _ := val.(*jobj)
			mo := &jobj{}
			if m != nil {
				for j, name := range m.keys {
					mo.set(name, c.function(m.vals[j]))
				}
			}
			out.set(key, mo)
		case "package":
			out.set(key, c.pkgName(val))
		default:
			out.set(key, val)
		}
	}
	return out
}

var interfaceKey = regexp.MustCompile(`^interface-(\d+)$`)

func (c *canonicalizer) world(i int) any {
	w := c.worlds[i]
	out := &jobj{}
	for k, key := range w.keys {
		val := w.vals[k]
		switch key {
		case "imports", "exports":
			m, _ := val.(*jobj)
			mo := &jobj{}
			if m != nil {
				for j, name := range m.keys {
					ck := name
					if sm := interfaceKey.FindStringSubmatch(name); sm != nil {
						ck = "interface " + c.ifaceID(json.Number(sm[1]))
					}
					mo.set(ck, c.worldItem(m.vals[j]))
				}
			}
			out.set(key, mo)
		case "package":
			out.set(key, c.pkgName(val))
		default:
			out.set(key, val)
		}
	}
	return out
}

func (c *canonicalizer) worldItem(v any) any {
	it, _ := v.(*jobj)
	if it == nil {
		return c.fail("bad world item")
	}
	out := &jobj{}
	for k, key := range it.keys {
		val := it.vals[k]
		switch key {
		case "interface":
			io, _ := val.(*jobj)
			ioo := &jobj{}
			if io != nil {
				for j, ik := range io.keys {
					if ik != "id" {
						ioo.set(ik, io.vals[j])
						continue
					}
					n, ok := index(io.vals[j])
					if !ok || n >= len(c.ifaces) {
						ioo.set(ik, c.fail("bad interface id"))
						continue
					}
					if _, named := c.ifaces[n].get("name").(string); named {
						ioo.set(ik, c.ifaceID(io.vals[j]))
					} else {
						ioo.set(ik, c.iface(n))
					}
				}
			}
			out.set(key, ioo)
		case "function":
			out.set(key, c.function(val))
		case "type":
			out.set(key, c.typeDef(val))
		default:
			out.set(key, val)
		}
	}
	return out
}

func (c *canonicalizer) resolve(root *jobj) any {
	// Name anonymous interfaces after the world item that declares them.
	c.anonIface = map[int]string{}
	for wi, w := range c.worlds {
		for _, dir := range []string{"imports", "exports"} {
			m, _ := w.get(dir).(*jobj)
			if m == nil {
				continue
			}
			for j, key := range m.keys {
				it, _ := m.vals[j].(*jobj)
				io, _ := it.get("interface").(*jobj)
				n, ok := index(io.get("id"))
				if !ok || n >= len(c.ifaces) {
					continue
				}
				if _, named := c.ifaces[n].get("name").(string); named {
					continue
				}
				if _, seen := c.anonIface[n]; !seen {
					c.anonIface[n] = fmt.Sprintf("world %s %s %q", c.worldID(json.Number(strconv.Itoa(wi))), dir, key)
				}
			}
		}
	}

	pkgs := make([]*jobj, 0, len(c.pkgs))
	for _, p := range c.pkgs {
		out := &jobj{}
		for k, key := range p.keys {
			val := p.vals[k]
			switch key {
			case "interfaces":
				m, _ := val.(*jobj)
				mo := &jobj{}
				if m != nil {
					for j, name := range m.keys {
						n, ok := index(m.vals[j])
						if !ok || n >= len(c.ifaces) {
							mo.set(name, c.fail("bad interface index"))
							continue
						}
						mo.set(name, c.iface(n))
					}
				}
				out.set(key, mo)
			case "worlds":
				m, _ := val.(*jobj)
				mo := &jobj{}
				if m != nil {
					for j, name := range m.keys {
						n, ok := index(m.vals[j])
						if !ok || n >= len(c.worlds) {
							mo.set(name, c.fail("bad world index"))
							continue
						}
						mo.set(name, c.world(n))
					}
				}
				out.set(key, mo)
			default:
				out.set(key, val)
			}
		}
		pkgs = append(pkgs, out)
	}
	slices.SortStableFunc(pkgs, func(a, b *jobj) int {
		an, _ := a.get("name").(string)
		bn, _ := b.get("name").(string)
		return strings.Compare(an, bn)
	})
	top := &jobj{}
	pa := make([]any, len(pkgs))
	for i, p := range pkgs {
		pa[i] = p
	}
	top.set("packages", pa)
	named, anon := 0, 0
	for _, t := range c.types {
		if _, ok := t.get("name").(string); ok {
			named++
		} else {
			anon++
		}
	}
	top.set("arena sizes", fmt.Sprintf("%d worlds, %d interfaces, %d named types", len(c.worlds), len(c.ifaces), named))
	return top
}

// render writes v as indented JSON-like text, one member per line, so that
// cmp.Diff shows line-oriented differences.
func render(b *strings.Builder, v any, depth int) {
	ind := strings.Repeat("  ", depth)
	switch v := v.(type) {
	case *jobj:
		if len(v.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range v.keys {
			b.WriteString(ind + "  " + strconv.Quote(k) + ": ")
			render(b, v.vals[i], depth+1)
			b.WriteString("\n")
		}
		b.WriteString(ind + "}")
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for _, e := range v {
			b.WriteString(ind + "  ")
			render(b, e, depth+1)
			b.WriteString("\n")
		}
		b.WriteString(ind + "]")
	case string:
		b.WriteString(strconv.Quote(v))
	case json.Number:
		b.WriteString(string(v))
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	default:
		fmt.Fprintf(b, "%v", v)
	}
}

// TestCanonicalJSONIgnoresArenaOrder checks the comparison itself: every
// expected JSON, with its arenas permuted and indices remapped, has the
// same canonical form; and a real change is detected.
func TestCanonicalJSONIgnoresArenaOrder(t *testing.T) {
	shared := sharedDir(t)
	ui := filepath.Join(shared, "conformance", "wit-parser-ui")
	files, _ := filepath.Glob(filepath.Join(ui, "*.wit.json"))
	if len(files) == 0 {
		t.Skip("no expected JSON files")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := canonicalJSON(data)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		perm, err := permuteArenas(data)
		if err != nil {
			t.Errorf("%s: permute: %v", filepath.Base(f), err)
			continue
		}
		got, err := canonicalJSON(perm)
		if err != nil {
			t.Errorf("%s: permuted: %v", filepath.Base(f), err)
			continue
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: canonical form depends on arena order:\n%s", filepath.Base(f), d)
		}
		// A changed primitive must be noticed.
		if bytes.Contains(data, []byte(`"u32"`)) {
			changed := bytes.Replace(data, []byte(`"u32"`), []byte(`"u64"`), 1)
			if c, err := canonicalJSON(changed); err == nil && c == want {
				t.Errorf("%s: canonical form misses a u32 -> u64 change", filepath.Base(f))
			}
		}
	}
}

// permuteArenas reverses the order of all four arenas of a wasm-tools JSON
// document and rewrites every index accordingly; object key order is kept.
func permuteArenas(data []byte) ([]byte, error) {
	v, err := decodeOrdered(data)
	if err != nil {
		return nil, err
	}
	doc := v.(*jobj)
	n := map[string]int{}
	for _, k := range []string{"worlds", "interfaces", "types", "packages"} {
		n[k] = len(doc.get(k).([]any))
	}
	rev := func(arena string, v any) any {
		i, ok := index(v)
		if !ok {
			return v
		}
		return json.Number(strconv.Itoa(n[arena] - 1 - i))
	}
	typ := func(v any) any { return rev("types", v) }
	// mapVals applies f to every value of object o.
	mapVals := func(o any, f func(any) any) {
		if m, ok := o.(*jobj); ok {
			for i := range m.vals {
				m.vals[i] = f(m.vals[i])
			}
		}
	}
	setKey := func(o *jobj, k string, f func(any) any) {
		for i, kk := range o.keys {
			if kk == k {
				o.vals[i] = f(o.vals[i])
			}
		}
	}
	members := func(arr any) {
		a, _ := arr.([]any)
		for _, m := range a {
			setKey(m.(*jobj), "type", typ)
		}
	}
	fixFunc := func(f *jobj) {
		mapVals(f.get("kind"), typ)
		members(f.get("params"))
		setKey(f, "result", typ)
	}
	for _, w := range doc.get("worlds").([]any) {
		wm := w.(*jobj)
		setKey(wm, "package", func(v any) any { return rev("packages", v) })
		for _, dir := range []string{"imports", "exports"} {
			items := wm.get(dir).(*jobj)
			for j, key := range items.keys {
				im := items.vals[j].(*jobj)
				if io, ok := im.get("interface").(*jobj); ok {
					setKey(io, "id", func(v any) any { return rev("interfaces", v) })
				}
				if f, ok := im.get("function").(*jobj); ok {
					fixFunc(f)
				}
				setKey(im, "type", typ)
				if sm := interfaceKey.FindStringSubmatch(key); sm != nil {
					items.keys[j] = "interface-" + string(rev("interfaces", json.Number(sm[1])).(json.Number))
				}
			}
		}
	}
	for _, x := range doc.get("interfaces").([]any) {
		xm := x.(*jobj)
		setKey(xm, "package", func(v any) any { return rev("packages", v) })
		mapVals(xm.get("types"), typ)
		for _, f := range xm.get("functions").(*jobj).vals {
			fixFunc(f.(*jobj))
		}
	}
	for _, t := range doc.get("types").([]any) {
		tm := t.(*jobj)
		if o, ok := tm.get("owner").(*jobj); ok {
			setKey(o, "world", func(v any) any { return rev("worlds", v) })
			setKey(o, "interface", func(v any) any { return rev("interfaces", v) })
		}
		k, ok := tm.get("kind").(*jobj)
		if !ok {
			continue
		}
		for i, kk := range k.keys {
			v := k.vals[i]
			switch kk {
			case "handle", "result":
				mapVals(v, typ)
			case "record", "variant":
				for _, arr := range v.(*jobj).vals {
					members(arr)
				}
			case "tuple":
				ts := v.(*jobj).get("types").([]any)
				for i := range ts {
					ts[i] = typ(ts[i])
				}
			case "map":
				a := v.([]any)
				a[0], a[1] = typ(a[0]), typ(a[1])
			case "fixed-length-list":
				a := v.([]any)
				a[0] = typ(a[0])
			case "option", "list", "future", "stream", "type":
				k.vals[i] = typ(v)
			}
		}
	}
	for _, p := range doc.get("packages").([]any) {
		pm := p.(*jobj)
		mapVals(pm.get("interfaces"), func(v any) any { return rev("interfaces", v) })
		mapVals(pm.get("worlds"), func(v any) any { return rev("worlds", v) })
	}
	for _, k := range []string{"worlds", "interfaces", "types", "packages"} {
		slices.Reverse(doc.get(k).([]any))
	}
	var b bytes.Buffer
	encodeOrdered(&b, doc)
	return b.Bytes(), nil
}

// encodeOrdered writes v (as produced by decodeOrdered) as compact JSON.
func encodeOrdered(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case *jobj:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			ks, _ := json.Marshal(k)
			b.Write(ks)
			b.WriteByte(':')
			encodeOrdered(b, v.vals[i])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeOrdered(b, e)
		}
		b.WriteByte(']')
	default:
		s, _ := json.Marshal(v)
		b.Write(s)
	}
}
