package parser_test

// Benchmarks of the WIT front end.
//
//   - BenchmarkLoadWasiHTTP: LoadPath on shared/wit/wasi-http/v0.2.0 (the
//     proxy world and its deps: io, clocks, random, cli, filesystem,
//     sockets). LoadPath reads the files on every iteration; the OS page
//     cache keeps that cheap, and BenchmarkReadWasiHTTP measures the reading
//     alone so it can be subtracted.
//   - BenchmarkLoadWasiHTTPInMemory: LoadSource on the same packages
//     combined into one source held in memory (deps as nested packages).
//   - BenchmarkParseWasiHTTP: ParseFile on the same files, already in
//     memory (syntax only, no resolution).
//   - BenchmarkLoadSynthetic{1x,10x,100x}: LoadSource on a generated package
//     whose size grows 10x per step. ns/byte (reported as a metric) should
//     stay roughly constant if the front end is linear.
//
// Besides ns/op, B/op and allocs/op, each benchmark reports cpu-ns/op: the
// process's CPU time per operation, which varies less than wall time when
// other processes compete for the CPUs.
//
// Bar: wasi-http under 5 ms/op.

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/parser"
)

// processCPU returns the CPU time (user + system) the process has used, read
// from /proc/self/stat, and false where that is unavailable. On a shared
// machine, CPU time per operation is a steadier measure than wall time.
func processCPU() (time.Duration, bool) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may contain spaces; fields resume after ')'.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const clkTck = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / clkTck, true
}

// measure runs op b.N times and reports ns/byte (when bytes > 0) and
// cpu-ns/op (process CPU time per op, including GC work on other threads).
func measure(b *testing.B, bytes int, op func() error) {
	b.Helper()
	if bytes > 0 {
		b.SetBytes(int64(bytes))
	}
	b.ReportAllocs()
	cpu0, okCPU := processCPU()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	if bytes > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(bytes), "ns/byte")
	}
	if cpu1, ok := processCPU(); ok && okCPU {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func wasiHTTPDir(b *testing.B) string {
	b.Helper()
	dir := filepath.Join("..", "..", "shared", "wit", "wasi-http", "v0.2.0")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		b.Skipf("%s not found; benchmark skipped", dir)
	}
	return dir
}

// witTree reads every .wit file under dir.
func witTree(b *testing.B, dir string) (paths []string, srcs [][]byte, total int) {
	b.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".wit") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		paths = append(paths, p)
		srcs = append(srcs, src)
		total += len(src)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return paths, srcs, total
}

func BenchmarkLoadWasiHTTP(b *testing.B) {
	dir := wasiHTTPDir(b)
	_, _, total := witTree(b, dir)
	if _, _, err := parser.LoadPath(dir, parser.Options{}); err != nil {
		b.Fatalf("LoadPath: %v", err)
	}
	measure(b, total, func() error {
		_, _, err := parser.LoadPath(dir, parser.Options{})
		return err
	})
}

// packageHeader matches a file's `package ns:name@ver;` declaration.
var packageHeader = regexp.MustCompile(`(?m)^package\s+([^;{\s]+)\s*;`)

// combinedWasiHTTP returns the wasi-http tree as one WIT source: the main
// package's files at the top level and each dependency directory as a
// nested `package ... { }` block, so that LoadSource can load it from
// memory.
func combinedWasiHTTP(b testing.TB, dir string) []byte {
	b.Helper()
	readDir := func(d string) (name string, body string) {
		entries, err := os.ReadDir(d)
		if err != nil {
			b.Fatal(err)
		}
		var sb strings.Builder
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".wit") {
				continue
			}
			src, err := os.ReadFile(filepath.Join(d, e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			if m := packageHeader.FindSubmatch(src); m != nil && name == "" {
				name = string(m[1])
			}
			sb.WriteString(packageHeader.ReplaceAllString(string(src), ""))
			sb.WriteString("\n")
		}
		return name, sb.String()
	}
	var out strings.Builder
	name, body := readDir(dir)
	fmt.Fprintf(&out, "package %s;\n%s", name, body)
	deps, err := os.ReadDir(filepath.Join(dir, "deps"))
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range deps {
		if e.IsDir() {
			name, body := readDir(filepath.Join(dir, "deps", e.Name()))
			fmt.Fprintf(&out, "package %s {\n%s}\n", name, body)
		}
	}
	return []byte(out.String())
}

// BenchmarkLoadWasiHTTPInMemory loads the same packages from memory: the
// tree combined into one source (deps as nested packages) and LoadSource.
func BenchmarkLoadWasiHTTPInMemory(b *testing.B) {
	src := combinedWasiHTTP(b, wasiHTTPDir(b))
	if _, _, err := parser.LoadSource("wasi-http.wit", src, parser.Options{}); err != nil {
		b.Fatalf("LoadSource: %v", err)
	}
	measure(b, len(src), func() error {
		_, _, err := parser.LoadSource("wasi-http.wit", src, parser.Options{})
		return err
	})
}

// BenchmarkReadWasiHTTP measures only walking the tree and reading the
// files, the part of BenchmarkLoadWasiHTTP that is I/O.
func BenchmarkReadWasiHTTP(b *testing.B) {
	dir := wasiHTTPDir(b)
	measure(b, 0, func() error {
		witTree(b, dir)
		return nil
	})
}

func BenchmarkParseWasiHTTP(b *testing.B) {
	dir := wasiHTTPDir(b)
	paths, srcs, total := witTree(b, dir)
	measure(b, total, func() error {
		for i, src := range srcs {
			if _, err := parser.ParseFile(paths[i], src); err != nil {
				return err
			}
		}
		return nil
	})
}

// syntheticWIT generates a package of n interfaces. Each interface uses
// two types of the previous one and declares a record, a variant, an enum,
// flags, a resource with a constructor and a method, and two functions; a
// world imports the last interface (pulling in the whole chain) and exports
// a function.
func syntheticWIT(n int) string {
	var b strings.Builder
	b.WriteString("package bench:synthetic@1.0.0;\n\n")
	for i := range n {
		fmt.Fprintf(&b, "/// Interface number %d.\ninterface iface%d {\n", i, i)
		if i > 0 {
			fmt.Fprintf(&b, "  use iface%d.{rec%d, var%d};\n\n", i-1, i-1, i-1)
		}
		fmt.Fprintf(&b, "  /// A record.\n  record rec%d {\n    a: u32,\n    b: string,\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "    c: list<rec%d>,\n    d: option<var%d>,\n", i-1, i-1)
		}
		fmt.Fprintf(&b, "  }\n\n  variant var%d {\n    none,\n    some(rec%d),\n    other(tuple<u8, s64>),\n  }\n\n", i, i)
		fmt.Fprintf(&b, "  enum en%d { a, b, c }\n\n  flags fl%d { x, y, z }\n\n", i, i)
		fmt.Fprintf(&b, "  resource res%d {\n    constructor(r: rec%d);\n    get: func() -> result<var%d, en%d>;\n  }\n\n", i, i, i, i)
		fmt.Fprintf(&b, "  fa%d: func(a: rec%d, b: borrow<res%d>) -> list<option<var%d>>;\n", i, i, i, i)
		fmt.Fprintf(&b, "  ga%d: func(x: fl%d, y: list<u8>) -> tuple<u32, string>;\n}\n\n", i, i)
	}
	b.WriteString("world synthetic {\n")
	fmt.Fprintf(&b, "  import iface%d;\n", n-1)
	b.WriteString("  export run: func(args: list<string>) -> result<string, string>;\n")
	b.WriteString("}\n")
	return b.String()
}

func benchmarkSynthetic(b *testing.B, scale int) {
	src := []byte(syntheticWIT(20 * scale))
	if _, _, err := parser.LoadSource("synthetic.wit", src, parser.Options{}); err != nil {
		b.Fatalf("LoadSource: %v", err)
	}
	measure(b, len(src), func() error {
		_, _, err := parser.LoadSource("synthetic.wit", src, parser.Options{})
		return err
	})
}

func BenchmarkLoadSynthetic1x(b *testing.B)   { benchmarkSynthetic(b, 1) }
func BenchmarkLoadSynthetic10x(b *testing.B)  { benchmarkSynthetic(b, 10) }
func BenchmarkLoadSynthetic100x(b *testing.B) { benchmarkSynthetic(b, 100) }

// BenchmarkMarshalJSONWasiHTTP and BenchmarkPrintWasiHTTP measure the two
// writers on the loaded wasi-http resolve.
func BenchmarkMarshalJSONWasiHTTP(b *testing.B) {
	r, _, err := parser.LoadPath(wasiHTTPDir(b), parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	measure(b, 0, func() error {
		_, err := r.MarshalJSON()
		return err
	})
}

// BenchmarkMarshalJSONBaselineWasiHTTP is the hand-written writer's
// baseline: encoding/json (reflection) producing the same indented JSON
// from an equivalent generic value. (Its key order is sorted, so only the
// cost is comparable, not the bytes.)
func BenchmarkMarshalJSONBaselineWasiHTTP(b *testing.B) {
	r, _, err := parser.LoadPath(wasiHTTPDir(b), parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	data, err := r.MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		b.Fatal(err)
	}
	measure(b, 0, func() error {
		_, err := json.MarshalIndent(v, "", "  ")
		return err
	})
}

func BenchmarkPrintWasiHTTP(b *testing.B) {
	r, main, err := parser.LoadPath(wasiHTTPDir(b), parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	measure(b, 0, func() error {
		_ = r.WIT(main)
		return nil
	})
}

// TestSyntheticLoads keeps the generator honest: the synthetic package must
// load (at the smallest scale) outside of benchmark runs too.
func TestSyntheticLoads(t *testing.T) {
	src := syntheticWIT(20)
	r, main, err := parser.LoadSource("synthetic.wit", []byte(src), parser.Options{})
	if err != nil {
		t.Fatalf("LoadSource: %v", err)
	}
	if got := len(main.Interfaces); got != 20 {
		t.Errorf("main package has %d interfaces, want 20", got)
	}
	if len(main.Worlds) != 1 || len(main.Worlds[0].Imports) != 20 {
		t.Errorf("world not elaborated as expected: %d worlds", len(main.Worlds))
	}
	if _, err := r.MarshalJSON(); err != nil {
		t.Fatal(err)
	}
}
