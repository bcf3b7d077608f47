package difftest

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
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
	coreWATgz  = "testdata/kitchen-sink.core.wat.gz"
	coreWATsum = "testdata/kitchen-sink.core.wat.sha256"
)

// coreWAT returns the fields of the kitchen-sink core module in the text
// format. The component text format cannot embed a core module's binary,
// so testdata holds wasm2wat's rendering of kitchen-sink.wasm, with the
// SHA-256 of the binary it was made from; go generate rebuilds both.
func coreWAT(t testing.TB, wasm []byte) string {
	t.Helper()
	sum := sha256.Sum256(wasm)
	want, err := os.ReadFile(coreWATsum)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(want)) != hex.EncodeToString(sum[:]) {
		t.Fatalf("stale %s: kitchen-sink.wasm changed; run go generate ./difftest (needs wabt's wasm2wat)", coreWATgz)
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
	if !strings.HasPrefix(s, "(module") || !strings.HasSuffix(s, ")") {
		t.Fatalf("%s is not a module in the text format", coreWATgz)
	}
	return s[len("(module") : len(s)-1]
}

// watType renders a use of t: a primitive's name, $t-<name> for a named
// type, or an anonymous list, option, result or tuple.
func watType(t *typ) string {
	if t.name != "" {
		return "$t-" + t.name
	}
	switch t.kind {
	case co.KindResource:
		if t.borrow {
			return "(borrow $t-" + t.res + ")"
		}
		return "(own $t-" + t.res + ")"
	case co.KindList:
		return "(list " + watType(t.elem) + ")"
	case co.KindOption:
		return "(option " + watType(t.elem) + ")"
	case co.KindResult:
		s := "(result"
		if t.ok != nil {
			s += " " + watType(t.ok)
		}
		if t.err != nil {
			s += " (error " + watType(t.err) + ")"
		}
		return s + ")"
	case co.KindTuple:
		s := "(tuple"
		for _, f := range t.fields {
			s += " " + watType(f.t)
		}
		return s + ")"
	}
	return t.kind.String()
}

// watDef renders the definition of named type t.
func watDef(t *typ) string {
	var b strings.Builder
	switch t.kind {
	case co.KindRecord:
		b.WriteString("(record")
		for _, f := range t.fields {
			fmt.Fprintf(&b, " (field %q %s)", f.name, watType(f.t))
		}
	case co.KindVariant:
		b.WriteString("(variant")
		for _, c := range t.cases {
			if c.t == nil {
				fmt.Fprintf(&b, " (case %q)", c.name)
			} else {
				fmt.Fprintf(&b, " (case %q %s)", c.name, watType(c.t))
			}
		}
	case co.KindEnum:
		b.WriteString("(enum")
		for _, c := range t.cases {
			fmt.Fprintf(&b, " %q", c.name)
		}
	case co.KindFlags:
		b.WriteString("(flags")
		for _, f := range t.flags {
			fmt.Fprintf(&b, " %q", f)
		}
	default:
		panic("not a named type: " + t.kind.String())
	}
	b.WriteString(")")
	return b.String()
}

// watFunc renders f's component function type.
func watFunc(f fn) string { return "(func" + watSig(f) + ")" }

// watSig renders f's parameters and result.
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

// world describes a component to build around a core module: the host
// interface it imports (named types, functions) and the guest functions it
// exports. Function names are the full WIT names.
type world struct {
	hostIface, guestIface string
	types                 []*typ // named types, in dependency order
	imports, exports      []fn
	// hostResources are resource types of the host interface (imported:
	// the core module's [resource-drop]<r> becomes canon resource.drop);
	// guestResources are resources the guest defines and exports (rep
	// i32, destructor [dtor]<r>, intrinsics [resource-new|rep|drop]<r>).
	hostResources, guestResources []string
	// liveAllocs exports the core module's kitchen-sink-live-allocs as the
	// component function kitchen-sink-live-allocs: func() -> s32.
	liveAllocs bool
}

// kitchenSink is the kitchen-sink world, with its resources.
func kitchenSink() world {
	w := world{hostIface: hostIface, guestIface: guestIface, types: namedTypes,
		hostResources: []string{"blob"}, guestResources: []string{"counter"}, liveAllocs: true}
	w.imports = append(w.imports, blobImports...)
	w.exports = append(w.exports, resourceExports...)
	for _, f := range fns {
		imp, exp := f, f
		imp.name, exp.name = exportName("echo", f), exportName("echo", f)
		rt := f
		rt.name = exportName("roundtrip", f)
		w.imports = append(w.imports, imp)
		w.exports = append(w.exports, exp, rt)
	}
	return w
}

// writeExportShim writes the guest interface's instance $guest for a world
// whose guest defines resources. A bag-of-exports instance cannot export
// "[constructor]counter" and friends: the validator wants the resource to
// have a name in the exporting context (names.wast, "bag-of-exports
// validation"), and a resource defined by this component has none. So, as
// wit-component does, a nested component imports every type (named types
// with eq bounds, resources as sub resource) and every lifted function,
// exports the types (which names them) and re-exports the functions with
// types written in terms of the exported types; $guest is its instance.
func writeExportShim(w func(string, ...any), wd world) {
	w("  (component $export-shim")
	var with []string
	for _, r := range append(slices.Clone(wd.hostResources), wd.guestResources...) {
		w("    (import \"import-type-%s\" (type $i-%s (sub resource)))", r, r)
		w("    (export $t-%s %q (type $i-%s))", r, r, r)
		with = append(with, fmt.Sprintf("(with \"import-type-%s\" (type $t-%s))", r, r))
	}
	for _, nt := range wd.types {
		w("    (type $d-%s %s)", nt.name, strings.ReplaceAll(watDef(nt), "$t-", "$i-"))
		w("    (import \"import-type-%s\" (type $i-%s (eq $d-%s)))", nt.name, nt.name, nt.name)
		w("    (export $t-%s %q (type $i-%s))", nt.name, nt.name, nt.name)
		with = append(with, fmt.Sprintf("(with \"import-type-%s\" (type $t-%s))", nt.name, nt.name))
	}
	for k, f := range wd.exports {
		w("    (import \"import-func-x%d\" (func $f%d%s))", k, k, strings.ReplaceAll(watSig(f), "$t-", "$i-"))
		w("    (export %q (func $f%d) (func%s))", f.name, k, watSig(f))
		with = append(with, fmt.Sprintf("(with \"import-func-x%d\" (func $g%d))", k, k))
	}
	w("  )")
	w("  (instance $guest (instantiate $export-shim %s))", strings.Join(with, " "))
}

// buildComponent writes the kitchen-sink component in the text format.
func buildComponent(t testing.TB) []byte {
	t.Helper()
	wasm, err := os.ReadFile(coreWasm)
	if err != nil {
		t.Fatal(err)
	}
	src, err := wrapCore(kitchenSink(), wasm, coreWAT(t, wasm))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// wrapCore writes, in the text format, a component that wraps the
// unchanged core module (binary wasm, text form coreFields without the
// "(module" wrapper) the way wit-component would:
//
//   - it imports w's host interface with its resource types, named types
//     and functions; [resource-drop]<r> of a host resource is canon
//     resource.drop; any other core import the world does not describe is
//     satisfied by a core stub that traps (no differential case calls it);
//   - a guest resource is defined with rep i32 and the core module's
//     [dtor]<r> as destructor (reached through the shim table, since the
//     type must exist before the core instance), and its
//     [resource-new|rep|drop]<r> intrinsics are canon resource.new, .rep
//     and .drop;
//   - imports that need the guest's memory or realloc are lowered after the
//     core instance exists, through a funcref table filled by a fixup
//     module (wit-component's "shim" and "fixup" modules);
//   - it exports w's guest interface, lifted with the guest's memory,
//     cabi_realloc and cabi_post_* where the core module has one (through
//     a nested component when the guest defines resources, see
//     writeExportShim), and kitchen-sink-live-allocs if w asks for it.
func wrapCore(wd world, wasm []byte, coreFields string) ([]byte, error) {
	ctx := context.Background()
	// The core signatures of the imports and the post-return exports come
	// from the module itself.
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
	hostIface, guestIface := wd.hostIface, wd.guestIface

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("(component")
	// The host interface: named types, then functions.
	w("  (import %q (instance $host", hostIface)
	for _, r := range wd.hostResources {
		w("    (export %q (type $t-%s (sub resource)))", r, r)
	}
	for _, nt := range wd.types {
		w("    (type $d-%s %s)", nt.name, watDef(nt))
		w("    (export %q (type $t-%s (eq $d-%s)))", nt.name, nt.name, nt.name)
	}
	for _, f := range wd.imports {
		w("    (export %q %s)", f.name, watFunc(f))
	}
	w("  ))")
	for _, nt := range wd.types {
		w("  (alias export $host %q (type $t-%s))", nt.name, nt.name)
	}
	for _, r := range wd.hostResources {
		w("  (alias export $host %q (type $t-%s))", r, r)
	}

	// Core imports: host functions go through the shim table; everything
	// else is a trapping stub.
	type imp struct {
		desc ra.ImportDesc
		fn   fn
		shim bool
	}
	var imps []imp
	var shims []imp
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
	ntab := len(shims) + len(wd.guestResources)
	w("  (core module $shim")
	w("    (table (export \"$imports\") %d %d funcref)", ntab, ntab)
	for k, x := range shims {
		var args string
		for i := range x.desc.Params {
			args += fmt.Sprintf(" (local.get %d)", i)
		}
		w("    (func (export %q) %s", x.desc.Name, strings.TrimSuffix(strings.TrimPrefix(coreSig(x.desc.Params, x.desc.Results), "(func"), ")"))
		w("      (call_indirect %s%s (i32.const %d)))", strings.TrimSuffix(strings.TrimPrefix(coreSig(x.desc.Params, x.desc.Results), "(func"), ")"), args, k)
	}
	// Guest resource destructors: the resource type needs its destructor
	// before the core instance that exports it exists, so it goes through
	// the table too.
	for k, r := range wd.guestResources {
		w("    (func (export \"dtor-%s\") (param i32) (call_indirect (param i32) (local.get 0) (i32.const %d)))", r, len(shims)+k)
	}
	w("  )")
	w("  (core instance $shim (instantiate $shim))")
	for _, r := range wd.guestResources {
		w("  (alias core export $shim \"dtor-%s\" (core func $dtor-%s))", r, r)
		w("  (type $t-%s (resource (rep i32) (dtor (func $dtor-%s))))", r, r)
		for _, op := range []string{"new", "rep", "drop"} {
			w("  (core func $%s-%s (canon resource.%s $t-%s))", op, r, op, r)
		}
	}
	for _, r := range wd.hostResources {
		w("  (core func $drop-%s (canon resource.drop $t-%s))", r, r)
	}
	// canonFunc is the core function for a core import that is a
	// resource intrinsic, or "".
	canonFunc := func(d ra.ImportDesc) string {
		for _, r := range wd.hostResources {
			if d.Module == hostIface && d.Name == "[resource-drop]"+r {
				return "$drop-" + r
			}
		}
		for _, r := range wd.guestResources {
			for _, op := range []string{"new", "rep", "drop"} {
				if d.Module == "[export]"+guestIface && d.Name == "[resource-"+op+"]"+r {
					return "$" + op + "-" + r
				}
			}
		}
		return ""
	}
	w("  (core module $stubs")
	for k, x := range imps {
		if !x.shim && canonFunc(x.desc) == "" {
			w("    (func (export \"stub%d\") %s unreachable)", k, strings.TrimSuffix(strings.TrimPrefix(coreSig(x.desc.Params, x.desc.Results), "(func"), ")"))
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
		if c := canonFunc(x.desc); c != "" {
			src = "(func " + c + ")"
		} else if !x.shim {
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

	// Lower the host functions with the guest's memory, and fill the table.
	for k, x := range shims {
		name := x.desc.Name
		w("  (alias export $host %q (func $h%d))", name, k)
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
	for _, r := range wd.guestResources {
		w("  (alias core export $main %q (core func $dtor-impl-%s))", guestIface+"#[dtor]"+r, r)
	}
	w("  (core module $fixup")
	w("    (import \"\" \"$imports\" (table %d %d funcref))", ntab, ntab)
	var elems string
	for k, x := range shims {
		w("    (import \"\" \"f%d\" %s)", k, coreSig(x.desc.Params, x.desc.Results))
		elems += fmt.Sprintf(" %d", k)
	}
	for k := range wd.guestResources {
		w("    (import \"\" \"f%d\" (func (param i32)))", len(shims)+k)
		elems += fmt.Sprintf(" %d", len(shims)+k)
	}
	w("    (elem (i32.const 0) func%s))", elems)
	b.WriteString("  (core instance $fixup-args (export \"$imports\" (table $table))")
	for k := range shims {
		fmt.Fprintf(&b, " (export \"f%d\" (func $l%d))", k, k)
	}
	for k, r := range wd.guestResources {
		fmt.Fprintf(&b, " (export \"f%d\" (func $dtor-impl-%s))", len(shims)+k, r)
	}
	w(")")
	w("  (core instance (instantiate $fixup (with \"\" (instance $fixup-args))))")

	// Lift the guest's exports.
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
	if len(wd.guestResources) == 0 {
		w("  (instance $guest %s)", strings.Join(inst, " "))
	} else {
		writeExportShim(w, wd)
	}
	w("  (export %q (instance $guest))", guestIface)
	if wd.liveAllocs {
		w("  (func $live (result s32) (canon lift (core func $main \"kitchen-sink-live-allocs\")))")
		w("  (export \"kitchen-sink-live-allocs\" (func $live))")
	}
	w(")")
	return []byte(b.String()), nil
}
