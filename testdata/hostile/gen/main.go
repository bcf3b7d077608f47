// Command gen writes testdata/hostile/*.wat: ok.wat, a correct guest for
// hostile.wit, and one variant per hostile behaviour. Each variant is
// ok.wat with exactly one piece replaced (a function body, cabi_realloc, or
// a missing/mistyped export), so a test can attribute a failure to that
// one violation. README.md documents every variant; keep the two in sync
// (the table below is the source of truth, README.md is checked by hand).
//
// Run from the repository root:
//
//	go run ./testdata/hostile/gen
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const (
	hostMod = "test:hostile/host@0.1.0"
	xMod    = "[export]test:hostile/api@0.1.0"
	api     = "test:hostile/api@0.1.0#"
)

// piece is one top-level module field, identified by key.
type piece struct{ key, text string }

// Static data layout of ok.wat (1 page of memory):
//
//	16  "hello" (5 bytes)
//	32  list<u32> [1, 2, 3]
//	48  invalid UTF-8: C3 28
//	52  UTF-8-encoded surrogate U+D800: ED A0 80
//	256.. return areas (8-aligned), one per export
//	4096.. heap (bump allocator)
func okPieces() []piece {
	exp := func(name, sig, body string) piece {
		return piece{"export " + name, fmt.Sprintf("(func (export %q) %s\n%s)", api+name, sig, indent(body))}
	}
	post := func(name string) piece {
		return piece{"post " + name, fmt.Sprintf("(func (export %q) (param i32))", "cabi_post_"+api+name)}
	}
	return []piece{
		{"imports", `(import "` + hostMod + `" "[constructor]thing" (func $thing_new (param i32) (result i32)))
(import "` + hostMod + `" "[method]thing.id" (func $thing_id (param i32) (result i32)))
(import "` + hostMod + `" "[resource-drop]thing" (func $thing_drop (param i32)))
(import "` + hostMod + `" "ping" (func $ping (param i32) (result i32)))
(import "` + hostMod + `" "call-back" (func $call_back (result i32)))
(import "` + hostMod + `" "take-char" (func $take_char (param i32)))
(import "` + hostMod + `" "take-shape" (func $take_shape (param i32 i64)))
(import "` + hostMod + `" "take-string" (func $take_string (param i32 i32)))
(import "` + hostMod + `" "name" (func $name (param i32)))
(import "` + xMod + `" "[resource-new]cell" (func $cell_new (param i32) (result i32)))
(import "` + xMod + `" "[resource-rep]cell" (func $cell_rep (param i32) (result i32)))
(import "` + xMod + `" "[resource-drop]cell" (func $cell_drop (param i32)))`},
		{"memory", `(memory (export "memory") 1)`},
		{"data", `(global $heap (mut i32) (i32.const 4096))
(data (i32.const 16) "hello")
(data (i32.const 32) "\01\00\00\00\02\00\00\00\03\00\00\00")
(data (i32.const 48) "\c3\28")
(data (i32.const 52) "\ed\a0\80")`},
		{"realloc", `;; bump allocator: never frees; grows memory as needed
(func $realloc (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
  (local $p i32) (local $end i32)
  (local.set $p (i32.and
    (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
    (i32.sub (i32.const 0) (local.get $align))))
  (local.set $end (i32.add (local.get $p) (local.get $size)))
  (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
    (then
      (if (i32.eq (memory.grow (i32.add (i32.shr_u (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))) (i32.const -1))
        (then unreachable))))
  (global.set $heap (local.get $end))
  (if (i32.ne (local.get $old) (i32.const 0))
    (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
  (local.get $p))`},
		exp("get-string", "(result i32)", `(i32.store (i32.const 256) (i32.const 16))
(i32.store (i32.const 260) (i32.const 5))
(i32.const 256)`),
		post("get-string"),
		exp("get-list", "(result i32)", `(i32.store (i32.const 264) (i32.const 32))
(i32.store (i32.const 268) (i32.const 3))
(i32.const 264)`),
		post("get-list"),
		exp("get-record", "(result i32)", `(i32.store (i32.const 272) (i32.const 16))
(i32.store (i32.const 276) (i32.const 5))
(i32.store (i32.const 280) (i32.const 42))
(i32.const 272)`),
		post("get-record"),
		exp("get-shape", "(result i32)", `;; shape: u8 discriminant at +0, payload at +8 (max case alignment 8), size 16
(i64.store (i32.const 288) (i64.const 0))
(i64.store (i32.const 296) (i64.const 0))
(i32.store8 (i32.const 288) (i32.const 2))
(i32.store (i32.const 296) (i32.const 7))
(i32.const 288)`),
		exp("get-level", "(result i32)", `(i32.const 1)`),
		exp("get-perms", "(result i32)", `(i32.const 5)`),
		exp("get-char", "(result i32)", `(i32.const 0x1F600)`),
		exp("get-bool", "(result i32)", `(i32.const 1)`),
		exp("put-string", "(param $p i32) (param $n i32) (result i32)", `(local.get $n)`),
		exp("put-list", "(param $p i32) (param $n i32) (result i32)", `(local.get $n)`),
		exp("make-thing", "(result i32)", `(call $thing_new (i32.const 7))`),
		exp("inspect", "(param $h i32) (result i32)", `(local $r i32)
(local.set $r (call $thing_id (local.get $h)))
(call $thing_drop (local.get $h))
(local.get $r)`),
		exp("use-thing", "(result i32)", `(local $h i32) (local $r i32)
(local.set $h (call $thing_new (i32.const 9)))
(local.set $r (call $thing_id (local.get $h)))
(call $thing_drop (local.get $h))
(local.get $r)`),
		exp("[constructor]cell", "(param $v i32) (result i32)", `(local $rep i32)
(local.set $rep (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 4)))
(i32.store (local.get $rep) (local.get $v))
(call $cell_new (local.get $rep))`),
		exp("[method]cell.get", "(param $rep i32) (result i32)", `(i32.load (local.get $rep))`),
		{"export [dtor]cell", fmt.Sprintf("(func (export %q) (param $rep i32))", api+"[dtor]cell")},
		exp("make-cell", "(result i32)", `(local $rep i32)
(local.set $rep (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 4)))
(i32.store (local.get $rep) (i32.const 1))
(call $cell_new (local.get $rep))`),
		exp("cell-value", "(param $h i32) (result i32)", `(local $v i32)
(local.set $v (i32.load (call $cell_rep (local.get $h))))
(call $cell_drop (local.get $h))
(local.get $v)`),
		exp("send-char", "", `(call $take_char (i32.const 0x41))`),
		exp("send-shape", "", `(call $take_shape (i32.const 2) (i64.const 5))`),
		exp("send-string", "", `(call $take_string (i32.const 16) (i32.const 5))`),
		exp("fetch-name", "(result i32)", `(call $name (i32.const 320))
(i32.load (i32.const 324))`),
		exp("reenter", "(result i32)", `(call $call_back)`),
		exp("spin", "", ``),
		exp("crash", "", ``),
	}
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// variant: ok.wat with the pieces in replace swapped (text "" deletes the
// piece).
type variant struct {
	name    string
	replace map[string]string
}

func body(name, sig, b string) string {
	return fmt.Sprintf("(func (export %q) %s\n%s)", api+name, sig, indent(b))
}

func retString(ptr, n string) string {
	return body("get-string", "(result i32)", fmt.Sprintf(`(i32.store (i32.const 256) (i32.const %s))
(i32.store (i32.const 260) (i32.const %s))
(i32.const 256)`, ptr, n))
}

func retList(ptr, n string) string {
	return body("get-list", "(result i32)", fmt.Sprintf(`(i32.store (i32.const 264) (i32.const %s))
(i32.store (i32.const 268) (i32.const %s))
(i32.const 264)`, ptr, n))
}

func realloc(b string) string {
	return `(func $realloc (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
` + indent(b) + `)`
}

var variants = []variant{
	{"string-oob", map[string]string{"export get-string": retString("0xFFFFFF00", "16")}},
	{"string-end-oob", map[string]string{"export get-string": retString("65530", "16")}},
	{"string-len-wrap", map[string]string{"export get-string": retString("16", "0xFFFFFFF8")}},
	{"string-invalid-utf8", map[string]string{"export get-string": retString("48", "2")}},
	{"string-surrogate-utf8", map[string]string{"export get-string": retString("52", "3")}},
	{"retarea-oob", map[string]string{"export get-string": body("get-string", "(result i32)", `(i32.const 0xFFFFFFFC)`)}},
	{"retarea-misaligned", map[string]string{"export get-string": body("get-string", "(result i32)", `(i32.store (i32.const 257) (i32.const 16))
(i32.store (i32.const 261) (i32.const 5))
(i32.const 257)`)}},
	{"list-misaligned", map[string]string{"export get-list": retList("34", "3")}},
	{"list-len-wrap", map[string]string{"export get-list": retList("32", "0x40000001")}},
	{"list-oob", map[string]string{"export get-list": retList("32", "20000")}},
	{"record-field-oob", map[string]string{"export get-record": body("get-record", "(result i32)", `(i32.store (i32.const 272) (i32.const 0x7FFFFFF0))
(i32.store (i32.const 276) (i32.const 5))
(i32.store (i32.const 280) (i32.const 42))
(i32.const 272)`)}},
	{"variant-bad-disc", map[string]string{"export get-shape": body("get-shape", "(result i32)", `(i64.store (i32.const 288) (i64.const 0))
(i64.store (i32.const 296) (i64.const 0))
(i32.store8 (i32.const 288) (i32.const 4))
(i32.const 288)`)}},
	{"enum-bad-disc", map[string]string{"export get-level": body("get-level", "(result i32)", `(i32.const 3)`)}},
	{"enum-disc-high-bits", map[string]string{"export get-level": body("get-level", "(result i32)", `(i32.const 0x101)`)}},
	{"flags-extra-bits", map[string]string{"export get-perms": body("get-perms", "(result i32)", `(i32.const 0xFFFFFFFD)`)}},
	{"char-surrogate", map[string]string{"export get-char": body("get-char", "(result i32)", `(i32.const 0xD800)`)}},
	{"char-too-big", map[string]string{"export get-char": body("get-char", "(result i32)", `(i32.const 0x110000)`)}},
	{"bool-nonzero", map[string]string{"export get-bool": body("get-bool", "(result i32)", `(i32.const 2)`)}},
	{"handle-forged", map[string]string{"export make-thing": body("make-thing", "(result i32)", `(i32.const 0x7FFF)`)}},
	{"handle-returned-after-drop", map[string]string{"export make-thing": body("make-thing", "(result i32)", `(local $h i32)
(local.set $h (call $thing_new (i32.const 7)))
(call $thing_drop (local.get $h))
(local.get $h)`)}},
	{"handle-use-after-drop", map[string]string{"export use-thing": body("use-thing", "(result i32)", `(local $h i32)
(local.set $h (call $thing_new (i32.const 9)))
(call $thing_drop (local.get $h))
(call $thing_id (local.get $h))`)}},
	{"handle-double-drop", map[string]string{"export use-thing": body("use-thing", "(result i32)", `(local $h i32)
(local.set $h (call $thing_new (i32.const 9)))
(call $thing_drop (local.get $h))
(call $thing_drop (local.get $h))
(i32.const 9)`)}},
	{"handle-forged-import-arg", map[string]string{"export use-thing": body("use-thing", "(result i32)", `(call $thing_id (i32.const 12345))`)}},
	{"borrow-leak", map[string]string{"export inspect": body("inspect", "(param $h i32) (result i32)", `(call $thing_id (local.get $h))`)}},
	{"borrow-double-drop", map[string]string{"export inspect": body("inspect", "(param $h i32) (result i32)", `(call $thing_drop (local.get $h))
(call $thing_drop (local.get $h))
(i32.const 0)`)}},
	{"cell-forged-rep", map[string]string{"export cell-value": body("cell-value", "(param $h i32) (result i32)", `(i32.load (call $cell_rep (i32.const 4242)))`)}},
	{"cell-returned-after-drop", map[string]string{"export make-cell": body("make-cell", "(result i32)", `(local $rep i32) (local $h i32)
(local.set $rep (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 4)))
(i32.store (local.get $rep) (i32.const 1))
(local.set $h (call $cell_new (local.get $rep)))
(call $cell_drop (local.get $h))
(local.get $h)`)}},
	{"realloc-oob", map[string]string{"realloc": realloc(`(i32.const 0xFFFFFFF0)`)}},
	{"realloc-misaligned", map[string]string{"realloc": realloc(`;; 4096 + 1: never aligned for align > 1
(i32.const 4097)`)}},
	{"realloc-trap", map[string]string{"realloc": realloc(`unreachable`)}},
	{"realloc-calls-import", map[string]string{"realloc": realloc(`(drop (call $ping (i32.const 1)))
(global.set $heap (i32.add (global.get $heap) (i32.const 64)))
(i32.sub (global.get $heap) (i32.const 64))`)}},
	{"trap", map[string]string{"export crash": body("crash", "", `unreachable`)}},
	{"spin", map[string]string{"export spin": body("spin", "", `(loop $forever (br $forever))`)}},
	{"post-return-trap", map[string]string{"post get-string": fmt.Sprintf("(func (export %q) (param i32)\n  unreachable)", "cabi_post_"+api+"get-string")}},
	{"import-bad-char", map[string]string{"export send-char": body("send-char", "", `(call $take_char (i32.const 0xD800))`)}},
	{"import-bad-string", map[string]string{"export send-string": body("send-string", "", `(call $take_string (i32.const 0xFFFFFFF0) (i32.const 32))`)}},
	{"import-invalid-utf8", map[string]string{"export send-string": body("send-string", "", `(call $take_string (i32.const 48) (i32.const 2))`)}},
	{"import-bad-variant", map[string]string{"export send-shape": body("send-shape", "", `(call $take_shape (i32.const 9) (i64.const 0))`)}},
	{"import-variant-high-bits", map[string]string{"export send-shape": body("send-shape", "", `;; square(u32) payload in the joined i64 slot with high bits set
(call $take_shape (i32.const 2) (i64.const 0x100000005))`)}},
	{"import-retptr-oob", map[string]string{"export fetch-name": body("fetch-name", "(result i32)", `(call $name (i32.const 0xFFFFFFFC))
(i32.const 0)`)}},
	{"import-retptr-misaligned", map[string]string{"export fetch-name": body("fetch-name", "(result i32)", `(call $name (i32.const 321))
(i32.const 0)`)}},
	{"missing-export", map[string]string{"export get-bool": ""}},
	{"wrong-signature", map[string]string{"export get-bool": body("get-bool", "(param i32) (result i32)", `(i32.const 1)`)}},
	{"no-memory-export", map[string]string{"memory": `(memory 1)`}},
	{"no-realloc", map[string]string{"realloc": `(func $realloc (param i32 i32 i32 i32) (result i32)
  unreachable)`}},
}

func render(name, doc string, pieces []piece, replace map[string]string) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, ";; Code generated by testdata/hostile/gen. DO NOT EDIT.\n")
	fmt.Fprintf(&b, ";; %s: %s\n", name, doc)
	b.WriteString("(module\n")
	seen := map[string]bool{}
	for _, p := range pieces {
		text := p.text
		if r, ok := replace[p.key]; ok {
			seen[p.key] = true
			if r == "" {
				fmt.Fprintf(&b, "  ;; HOSTILE: %q removed\n\n", p.key)
				continue
			}
			text = r
			fmt.Fprintf(&b, "  ;; HOSTILE: %q replaced\n", p.key)
		}
		b.WriteString(indent(text))
		b.WriteString("\n\n")
	}
	for k := range replace {
		if !seen[k] {
			log.Fatalf("variant %s: no piece %q", name, k)
		}
	}
	b.WriteString(")\n")
	return b.String()
}

func main() {
	out := flag.String("out", "testdata/hostile", "output directory")
	flag.Parse()
	// remove stale generated .wat files
	old, _ := filepath.Glob(filepath.Join(*out, "*.wat"))
	for _, f := range old {
		os.Remove(f)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(*out, name+".wat"), []byte(text), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	pieces := okPieces()
	write("ok", render("ok", "a correct implementation of hostile.wit (control)", pieces, nil))
	names := map[string]bool{}
	for _, v := range variants {
		if names[v.name] {
			log.Fatalf("duplicate variant %s", v.name)
		}
		names[v.name] = true
		var keys []string
		for k := range v.replace {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		write(v.name, render(v.name, "ok.wat with "+strings.Join(keys, ", ")+" replaced; see README.md", pieces, v.replace))
	}
}
