package wit

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// uiDir is the wit-parser UI corpus, relative to this package's directory.
var uiDir = filepath.Join("..", "..", "..", "shared", "conformance", "wit-parser-ui")

// resourcesEmpty builds, by hand, the Resolve of resources-empty.wit:
//
//	package foo:resources-empty;
//	interface resources-empty {
//	  t1: func(a: own<r1>);
//	  t2: func(a: borrow<r1>);
//	  resource r1 {}
//	}
func resourcesEmpty() *Resolve {
	r := &Resolve{}
	pkg := &Package{Name: PackageName{Namespace: "foo", Name: "resources-empty"}}
	iface := &Interface{Name: "resources-empty", Package: pkg}
	r1 := &TypeDef{Name: "r1", Kind: &Resource{}, Owner: iface}
	borrow := &TypeDef{Kind: &Borrow{Type: r1}, Index: 1}
	own := &TypeDef{Kind: &Own{Type: r1}, Index: 2}
	iface.Types = []*TypeDef{r1}
	iface.Functions = []*Function{
		{Name: "t1", Params: []Param{{Name: "a", Type: own}}},
		{Name: "t2", Params: []Param{{Name: "a", Type: borrow}}},
	}
	pkg.Interfaces = []*Interface{iface}
	r.Packages = []*Package{pkg}
	r.Interfaces = []*Interface{iface}
	r.TypeDefs = []*TypeDef{r1, borrow, own}
	return r
}

const resourcesEmptyJSON = `{
  "worlds": [],
  "interfaces": [
    {
      "name": "resources-empty",
      "types": {
        "r1": 0
      },
      "functions": {
        "t1": {
          "name": "t1",
          "kind": "freestanding",
          "params": [
            {
              "name": "a",
              "type": 2
            }
          ]
        },
        "t2": {
          "name": "t2",
          "kind": "freestanding",
          "params": [
            {
              "name": "a",
              "type": 1
            }
          ]
        }
      },
      "package": 0
    }
  ],
  "types": [
    {
      "name": "r1",
      "kind": "resource",
      "owner": {
        "interface": 0
      }
    },
    {
      "name": null,
      "kind": {
        "handle": {
          "borrow": 0
        }
      },
      "owner": null
    },
    {
      "name": null,
      "kind": {
        "handle": {
          "own": 0
        }
      },
      "owner": null
    }
  ],
  "packages": [
    {
      "name": "foo:resources-empty",
      "interfaces": {
        "resources-empty": 0
      },
      "worlds": {}
    }
  ]
}`

// worldTopLevelFuncs builds world-top-level-funcs.wit by hand.
func worldTopLevelFuncs() *Resolve {
	r := &Resolve{}
	pkg := &Package{Name: PackageName{Namespace: "foo", Name: "foo"}}
	w := &World{Name: "foo", Package: pkg}
	listU32 := &TypeDef{Kind: &List{Type: U32}, Index: 0}
	optU32 := &TypeDef{Kind: &Option{Type: U32}, Index: 1}
	listOpt := &TypeDef{Kind: &List{Type: optU32}, Index: 2}
	fn := func(name string, params []Param, result Type) *WorldItem {
		return &WorldItem{Key: WorldKey{Name: name}, Function: &Function{Name: name, Params: params, Result: result}}
	}
	w.Imports = []*WorldItem{
		fn("foo", nil, nil),
		fn("bar", []Param{{Name: "arg", Type: listU32}}, nil),
	}
	w.Exports = []*WorldItem{
		fn("foo2", nil, nil),
		fn("some-name", nil, listOpt),
	}
	pkg.Worlds = []*World{w}
	r.Packages = []*Package{pkg}
	r.Worlds = []*World{w}
	r.TypeDefs = []*TypeDef{listU32, optU32, listOpt}
	return r
}

func readExpected(t *testing.T, name string) (string, bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(uiDir, name))
	if err != nil {
		t.Logf("%s not available (%v); comparing with the inline copy only", name, err)
		return "", false
	}
	return strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n")), true
}

func TestMarshalJSONResourcesEmpty(t *testing.T) {
	got, err := resourcesEmpty().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != resourcesEmptyJSON {
		t.Errorf("MarshalJSON mismatch:\n got: %s\nwant: %s", got, resourcesEmptyJSON)
	}
	if want, ok := readExpected(t, "resources-empty.wit.json"); ok && string(got) != want {
		t.Errorf("MarshalJSON differs from resources-empty.wit.json:\n got: %s\nwant: %s", got, want)
	}
}

func TestMarshalJSONWorldTopLevelFuncs(t *testing.T) {
	got, err := worldTopLevelFuncs().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(got) {
		t.Fatalf("invalid JSON: %s", got)
	}
	if want, ok := readExpected(t, "world-top-level-funcs.wit.json"); ok && string(got) != want {
		t.Errorf("MarshalJSON differs from world-top-level-funcs.wit.json:\n got: %s\nwant: %s", got, want)
	}
}

// TestMarshalJSONAllKinds covers every kind, owner, function kind, gate and
// the omitted-when-empty rules, and checks the result with encoding/json.
func TestMarshalJSONAllKinds(t *testing.T) {
	r := &Resolve{}
	pkg := &Package{Name: PackageName{Namespace: "a", Name: "b", Version: "1.2.3"}, Docs: Docs{"pkg docs"}}
	iface := &Interface{Name: "i", Package: pkg, Stability: &Unstable{Feature: "active", Deprecated: "1.0.0"}}
	anon := &Interface{Package: pkg}
	w := &World{Name: "w", Package: pkg, Docs: Docs{"world \"docs\"\n\tx\x01\u00e9"}, Stability: &Stable{Since: "1.0.0"}}
	add := func(td *TypeDef) *TypeDef {
		td.Index = len(r.TypeDefs)
		r.TypeDefs = append(r.TypeDefs, td)
		return td
	}
	res := add(&TypeDef{Name: "res", Kind: &Resource{}, Owner: iface})
	rec := add(&TypeDef{Name: "rec", Kind: &Record{Fields: []Field{{Name: "x", Type: U8, Docs: Docs{"field"}}}}, Owner: iface})
	add(&TypeDef{Name: "fl", Kind: &Flags{Flags: []Flag{{Name: "a"}, {Name: "b", Docs: Docs{"b"}}}}, Owner: iface})
	add(&TypeDef{Name: "tu", Kind: &Tuple{Types: []Type{U8, rec}}, Owner: iface})
	add(&TypeDef{Name: "va", Kind: &Variant{Cases: []Case{{Name: "a"}, {Name: "b", Type: String}}}, Owner: iface})
	add(&TypeDef{Name: "en", Kind: &Enum{Cases: []EnumCase{{Name: "a"}}}, Owner: iface})
	add(&TypeDef{Kind: &Option{Type: Char}})
	add(&TypeDef{Kind: &Result{OK: U32}})
	add(&TypeDef{Kind: &Result{}})
	add(&TypeDef{Kind: &Map{Key: String, Value: rec}})
	add(&TypeDef{Kind: &FixedLengthList{Type: F64, Length: 4}})
	add(&TypeDef{Kind: &Future{}})
	add(&TypeDef{Kind: &Stream{Type: ErrorContext}})
	own := add(&TypeDef{Kind: &Own{Type: res}})
	borrow := add(&TypeDef{Kind: &Borrow{Type: res}})
	wt := add(&TypeDef{Name: "wt", Kind: &Alias{Type: rec}, Owner: w, Stability: &Stable{Since: "0.1.0", Deprecated: "0.2.0"}})
	iface.Types = r.TypeDefs[:6]
	iface.Functions = []*Function{
		{Name: "[constructor]res", Kind: Constructor, Resource: res, Result: own},
		{Name: "[method]res.m", Kind: AsyncMethod, Resource: res, Params: []Param{{Name: "self", Type: borrow}}},
		{Name: "[static]res.s", Kind: Static, Resource: res, Docs: Docs{"static"}},
		{Name: "f", Kind: AsyncFreestanding, Params: []Param{{Type: U64}}},
	}
	w.Imports = []*WorldItem{
		{Key: WorldKey{Interface: iface}, Interface: iface, Stability: &Unstable{Feature: "x"}},
		{Key: WorldKey{Name: "anon"}, Interface: anon},
		{Key: WorldKey{Name: "wt"}, Type: wt},
	}
	w.Exports = []*WorldItem{{Key: WorldKey{Name: "g"}, Function: &Function{Name: "g", Result: Bool}}}
	iface.Index, anon.Index = 0, 1
	pkg.Interfaces = []*Interface{iface}
	pkg.Worlds = []*World{w}
	r.Interfaces = []*Interface{iface, anon}
	r.Worlds = []*World{w}
	r.Packages = []*Package{pkg}

	got, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, got)
	}
	// Check the indentation rules on the whole output: every line is
	// indented by two spaces per open container.
	depth := 0
	for _, line := range strings.Split(string(got), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, "}") || strings.HasPrefix(trimmed, "]") {
			depth--
		}
		if ind := len(line) - len(trimmed); ind != 2*depth {
			t.Fatalf("line %q indented by %d, want %d", line, ind, 2*depth)
		}
		if strings.HasSuffix(trimmed, "{") || strings.HasSuffix(trimmed, "[") {
			depth++
		}
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, got); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"kind":{"fixed-length-list":["f64",4]}`,
		`"kind":{"result":{"ok":null,"err":null}}`,
		`"kind":{"result":{"ok":"u32","err":null}}`,
		`"kind":{"future":null}`,
		`"kind":{"stream":"error-context"}`,
		`"kind":{"map":["string",1]}`,
		`"kind":{"handle":{"own":0}}`,
		`"kind":{"handle":{"borrow":0}}`,
		`"kind":{"tuple":{"types":["u8",1]}}`,
		`"kind":{"variant":{"cases":[{"name":"a","type":null},{"name":"b","type":"string"}]}}`,
		`"kind":{"enum":{"cases":[{"name":"a"}]}}`,
		`"kind":{"flags":{"flags":[{"name":"a"},{"name":"b","docs":{"contents":"b"}}]}}`,
		`"kind":{"record":{"fields":[{"name":"x","type":"u8","docs":{"contents":"field"}}]}}`,
		`"kind":"resource"`,
		`{"name":"[constructor]res","kind":{"constructor":0},"params":[],"result":13}`,
		`{"name":"[method]res.m","kind":{"async-method":0},"params":[{"name":"self","type":14}]}`,
		`{"name":"[static]res.s","kind":{"static":0},"params":[],"docs":{"contents":"static"}}`,
		`{"name":"f","kind":"async-freestanding","params":[{"type":"u64"}]}`,
		`"interface-0":{"interface":{"id":0,"stability":{"unstable":{"feature":"x"}}}}`,
		`"anon":{"interface":{"id":1}}`,
		`"wt":{"type":15}`,
		`{"name":"wt","kind":{"type":1},"owner":{"world":0},"stability":{"stable":{"since":"0.1.0","deprecated":"0.2.0"}}}`,
		`"stability":{"unstable":{"feature":"active","deprecated":"1.0.0"}},"package":0}`,
		`"docs":{"contents":"world \"docs\"\n\tx\u0001é"},"stability":{"stable":{"since":"1.0.0"}}}`,
		`{"name":"a:b@1.2.3","docs":{"contents":"pkg docs"},"interfaces":{"i":0},"worlds":{"w":0}}`,
		`{"name":null,"types":{},"functions":{},"package":0}`,
		`{"name":null,"kind":{"option":"char"},"owner":null}`,
	} {
		if !strings.Contains(compact.String(), want) {
			t.Errorf("output lacks %s\n--- output:\n%s", want, compact.String())
		}
	}
}

func TestMarshalJSONErrors(t *testing.T) {
	r := resourcesEmpty()
	stray := &TypeDef{Kind: &List{Type: U8}, Index: 7}
	r.Interfaces[0].Functions[0].Params[0].Type = stray
	if _, err := r.MarshalJSON(); err == nil {
		t.Error("MarshalJSON accepted a reference to a type outside the Resolve")
	}

	// Wrong Index fields are corrected by identity.
	r = resourcesEmpty()
	r.TypeDefs[1].Index, r.TypeDefs[2].Index = 2, 1
	got, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != resourcesEmptyJSON {
		t.Errorf("MarshalJSON with stale Index fields:\n%s", got)
	}
}

func TestJSONStringEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"plain":         `"plain"`,
		"q\"b\\":        `"q\"b\\"`,
		"\b\f\n\r\t":    `"\b\f\n\r\t"`,
		"\x00\x1f\x7f":  `"\u0000\u001f` + "\x7f" + `"`,
		"é€😀":           `"é€😀"`,
		"bad\xffutf8":   `"bad` + "\uFFFD" + `utf8"`,
		"</script>&<>'": `"</script>&<>'"`,
		"\u2028\u2029":  "\"\u2028\u2029\"",
	} {
		var e jsonEncoder
		e.str(in)
		if got := e.b.String(); got != want {
			t.Errorf("str(%q) = %s, want %s", in, got, want)
		}
	}
}

func BenchmarkMarshalJSON(b *testing.B) {
	r := resourcesEmpty()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestJSONNewlineDeep(t *testing.T) {
	for _, depth := range []int{0, 1, 31, 32, 33, 100} {
		var e jsonEncoder
		e.empty = make([]bool, depth)
		e.newline()
		if want := "\n" + strings.Repeat("  ", depth); e.b.String() != want {
			t.Errorf("depth %d: got %d bytes, want %d", depth, e.b.Len(), len(want))
		}
	}
}

// TestMarshalJSONNilNode checks that a nil node in any arena is an error
// naming the arena and the index, not a panic.
func TestMarshalJSONNilNode(t *testing.T) {
	for _, tc := range []struct {
		r    *Resolve
		want string
	}{
		{&Resolve{Worlds: []*World{nil}}, "wit: Resolve.Worlds[0] is nil"},
		{&Resolve{Interfaces: []*Interface{nil}}, "wit: Resolve.Interfaces[0] is nil"},
		{&Resolve{TypeDefs: []*TypeDef{nil}}, "wit: Resolve.TypeDefs[0] is nil"},
		{&Resolve{Packages: []*Package{nil}}, "wit: Resolve.Packages[0] is nil"},
	} {
		if _, err := tc.r.MarshalJSON(); err == nil || err.Error() != tc.want {
			t.Errorf("MarshalJSON: error %v, want %q", err, tc.want)
		}
	}
}
