package peerbench

// The component for (c): the unchanged kitchen-sink core module wrapped as a
// component the way wit-component would. This is a trimmed copy of
// difftest/component_test.go and difftest/types_test.go (test files, so not
// importable), reduced to the part of the world the benchmarks call: the
// host imports ping, the guest exports ping, roundtrip-ping, echo-string,
// echo-list-u8, echo-record and echo-list-record. Every other core import
// is a stub that traps. The core module's text form is difftest's
// testdata/kitchen-sink.core.wat.gz (checked against the wasm's SHA-256).

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

const (
	hostIface  = "test:kitchen-sink/host@0.1.0"
	guestIface = "test:kitchen-sink/guest@0.1.0"
	coreWasm   = "../../../testdata/kitchen-sink/kitchen-sink.wasm"
	coreWATgz  = "../difftest/testdata/kitchen-sink.core.wat.gz"
	coreWATsum = "../difftest/testdata/kitchen-sink.core.wat.sha256"
)

type typ struct {
	kind   co.Kind
	name   string
	elem   *typ
	fields []field
}

type field struct {
	name string
	t    *typ
}

var (
	tMixed = &typ{kind: co.KindRecord, name: "mixed", fields: []field{
		{"a", &typ{kind: co.KindU8}}, {"b", &typ{kind: co.KindS16}}, {"c", &typ{kind: co.KindU32}},
		{"d", &typ{kind: co.KindS64}}, {"e", &typ{kind: co.KindF32}}, {"f", &typ{kind: co.KindF64}},
		{"g", &typ{kind: co.KindString}}, {"h", &typ{kind: co.KindBool}}}}
	tString = &typ{kind: co.KindString}
)

func list(t *typ) *typ { return &typ{kind: co.KindList, elem: t} }

type fn struct {
	name   string
	params []field
	result *typ
}

func echo(name string, t *typ) fn { return fn{name, []field{{"x", t}}, t} }

func flatCount(t *typ) int {
	switch t.kind {
	case co.KindString, co.KindList:
		return 2
	case co.KindRecord:
		n := 0
		for _, f := range t.fields {
			n += flatCount(f.t)
		}
		return n
	}
	return 1
}

func usesMemory(t *typ) bool {
	if t == nil {
		return false
	}
	switch t.kind {
	case co.KindString, co.KindList:
		return true
	case co.KindRecord:
		for _, f := range t.fields {
			if usesMemory(f.t) {
				return true
			}
		}
	}
	return false
}

func (f fn) abi() (liftMem, liftRealloc, lowerMem, lowerRealloc bool) {
	nparams, paramsMem := 0, false
	for _, p := range f.params {
		nparams += flatCount(p.t)
		paramsMem = paramsMem || usesMemory(p.t)
	}
	nres := 0
	if f.result != nil {
		nres = flatCount(f.result)
	}
	resMem := usesMemory(f.result)
	mem := paramsMem || resMem || nparams > 16 || nres > 1
	return mem, paramsMem || nparams > 16, mem, resMem
}

func watType(t *typ) string {
	if t.name != "" {
		return "$t-" + t.name
	}
	if t.kind == co.KindList {
		return "(list " + watType(t.elem) + ")"
	}
	return t.kind.String()
}

func watDef(t *typ) string {
	var b strings.Builder
	b.WriteString("(record")
	for _, f := range t.fields {
		fmt.Fprintf(&b, " (field %q %s)", f.name, watType(f.t))
	}
	b.WriteString(")")
	return b.String()
}

func watSig(f fn) string {
	s := ""
	for _, p := range f.params {
		s += fmt.Sprintf(" (param %q %s)", p.name, watType(p.t))
	}
	if f.result != nil {
		s += " (result " + watType(f.result) + ")"
	}
	return s
}

func coreSig(params, results []ra.ValueType) string {
	s := "(func"
	if len(params) > 0 {
		s += " (param"
		for _, p := range params {
			s += " " + p.String()
		}
		s += ")"
	}
	if len(results) > 0 {
		s += " (result"
		for _, r := range results {
			s += " " + r.String()
		}
		s += ")"
	}
	return s + ")"
}

type world struct {
	types            []*typ
	imports, exports []fn
}

var benchWorld = world{
	types:   []*typ{tMixed},
	imports: []fn{{name: "ping"}},
	exports: []fn{{name: "ping"}, {name: "roundtrip-ping"}, echo("echo-string", tString),
		echo("echo-list-u8", list(&typ{kind: co.KindU8})), echo("echo-record", tMixed),
		echo("echo-list-record", list(tMixed))},
}

func coreWAT(t testing.TB, wasm []byte) string {
	t.Helper()
	sum := sha256.Sum256(wasm)
	want, err := os.ReadFile(coreWATsum)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(want)) != hex.EncodeToString(sum[:]) {
		t.Fatalf("stale %s: kitchen-sink.wasm changed; run go generate ./difftest", coreWATgz)
	}
	gz, err := os.ReadFile(coreWATgz)
	if err != nil {
		t.Fatal(err)
	}
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSpace(string(b))
	return s[len("(module") : len(s)-1]
}

func buildComponent(t testing.TB) []byte {
	t.Helper()
	wasm, err := os.ReadFile(coreWasm)
	if err != nil {
		t.Fatal(err)
	}
	src, err := wrapCore(benchWorld, wasm, coreWAT(t, wasm))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// wrapCore is difftest's wrapCore (see there for the scheme: shim table,
// trapping stubs, fixup module, lifted exports with post-return).
func wrapCore(wd world, wasm []byte, coreFields string) ([]byte, error) {
	ctx := context.Background()
	rt, err := wazeroadapter.NewRuntime(ctx, wazeroadapter.Config{Interpreter: true})
	if err != nil {
		return nil, err
	}
	defer rt.Close(ctx)
	cm, err := rt.Compile(ctx, wasm)
	if err != nil {
		return nil, err
	}
	exports := map[string]bool{}
	for _, e := range cm.Exports() {
		exports[e.Name] = true
	}
	byName := map[string]fn{}
	for _, f := range wd.imports {
		byName[f.name] = f
	}

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("(component")
	w("  (import %q (instance $host", hostIface)
	for _, nt := range wd.types {
		w("    (type $d-%s %s)", nt.name, watDef(nt))
		w("    (export %q (type $t-%s (eq $d-%s)))", nt.name, nt.name, nt.name)
	}
	for _, f := range wd.imports {
		w("    (export %q (func%s))", f.name, watSig(f))
	}
	w("  ))")
	for _, nt := range wd.types {
		w("  (alias export $host %q (type $t-%s))", nt.name, nt.name)
	}
	type imp struct {
		desc ra.ImportDesc
		fn   fn
		shim bool
	}
	var imps, shims []imp
	for _, d := range cm.Imports() {
		if d.Kind != ra.ExternFunc {
			continue
		}
		f, ok := byName[d.Name]
		x := imp{desc: d, fn: f, shim: ok && d.Module == hostIface}
		imps = append(imps, x)
		if x.shim {
			shims = append(shims, x)
		}
	}
	inner := func(x imp) string {
		return strings.TrimSuffix(strings.TrimPrefix(coreSig(x.desc.Params, x.desc.Results), "(func"), ")")
	}
	w("  (core module $shim")
	w("    (table (export \"$imports\") %d %d funcref)", len(shims), len(shims))
	for k, x := range shims {
		var args string
		for i := range x.desc.Params {
			args += fmt.Sprintf(" (local.get %d)", i)
		}
		w("    (func (export %q) %s", x.desc.Name, inner(x))
		w("      (call_indirect %s%s (i32.const %d)))", inner(x), args, k)
	}
	w("  )")
	w("  (core instance $shim (instantiate $shim))")
	w("  (core module $stubs")
	for k, x := range imps {
		if !x.shim {
			w("    (func (export \"stub%d\") %s unreachable)", k, inner(x))
		}
	}
	w("  )")
	w("  (core instance $stubs (instantiate $stubs))")
	modules := map[string][]string{}
	var order []string
	for k, x := range imps {
		if _, ok := modules[x.desc.Module]; !ok {
			order = append(order, x.desc.Module)
		}
		src := fmt.Sprintf("(func $shim %q)", x.desc.Name)
		if !x.shim {
			src = fmt.Sprintf("(func $stubs \"stub%d\")", k)
		}
		modules[x.desc.Module] = append(modules[x.desc.Module], fmt.Sprintf("(export %q %s)", x.desc.Name, src))
	}
	for i, m := range order {
		w("  (core instance $imports%d %s)", i, strings.Join(modules[m], " "))
	}
	w("  (core module $main %s)", coreFields)
	b.WriteString("  (core instance $main (instantiate $main")
	for i, m := range order {
		fmt.Fprintf(&b, " (with %q (instance $imports%d))", m, i)
	}
	w("))")
	w("  (alias core export $main \"memory\" (core memory $mem))")
	w("  (alias core export $main \"cabi_realloc\" (core func $realloc))")
	w("  (alias core export $shim \"$imports\" (core table $table))")
	for k, x := range shims {
		w("  (alias export $host %q (func $h%d))", x.desc.Name, k)
		_, _, mem, realloc := x.fn.abi()
		opts := ""
		if mem {
			opts += " (memory $mem)"
		}
		if realloc {
			opts += " (realloc $realloc)"
		}
		w("  (core func $l%d (canon lower (func $h%d)%s))", k, k, opts)
	}
	w("  (core module $fixup")
	w("    (import \"\" \"$imports\" (table %d %d funcref))", len(shims), len(shims))
	var elems string
	for k, x := range shims {
		w("    (import \"\" \"f%d\" %s)", k, coreSig(x.desc.Params, x.desc.Results))
		elems += fmt.Sprintf(" %d", k)
	}
	w("    (elem (i32.const 0) func%s))", elems)
	b.WriteString("  (core instance $fixup-args (export \"$imports\" (table $table))")
	for k := range shims {
		fmt.Fprintf(&b, " (export \"f%d\" (func $l%d))", k, k)
	}
	w(")")
	w("  (core instance (instantiate $fixup (with \"\" (instance $fixup-args))))")
	var inst []string
	for k, f := range wd.exports {
		core := guestIface + "#" + f.name
		if !exports[core] {
			return nil, fmt.Errorf("the core module does not export %q", core)
		}
		mem, realloc, _, _ := f.abi()
		opts := ""
		if mem {
			opts += " (memory $mem)"
		}
		if realloc {
			opts += " (realloc $realloc)"
		}
		if post := "cabi_post_" + core; exports[post] {
			w("  (alias core export $main %q (core func $post%d))", post, k)
			opts += fmt.Sprintf(" (post-return $post%d)", k)
		}
		w("  (func $g%d%s", k, watSig(f))
		w("    (canon lift (core func $main %q)%s))", core, opts)
		inst = append(inst, fmt.Sprintf("(export %q (func $g%d))", f.name, k))
	}
	w("  (instance $guest %s)", strings.Join(inst, " "))
	w("  (export %q (instance $guest))", guestIface)
	w(")")
	return []byte(b.String()), nil
}
