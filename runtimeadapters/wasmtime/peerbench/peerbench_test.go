package peerbench

// Peer benchmarks: the calls of runtimetest/bench (empty call both
// directions, a 1 KiB string, a 64 KiB list<u8>, a record of 8 fields, a
// list of 1000 records) through
//
//	a   the generated bindings (golden/kitchen-sink) on wazero's
//	    compiler, with and without Config.IgnoreContextDone
//	b   the same generated bindings on the wasmtime adapter
//	c   wasmtime's native component model (internal/componentoracle) on the
//	    same core guest wrapped as a component: Go values in, Go values out
//	c-direct  wasmtime's component model through its C API without the
//	    oracle: export handles looked up once, Go values converted straight
//	    to and from wasmtime_component_val_t (direct.go, direct.c)
//	d   runtimetest/bench's hand-written raw-wazero baseline, on a wazero
//	    runtime configured as (a)
//
// Run (from runtimeadapters/wasmtime, with CGO_CFLAGS set as wasmtime.mk
// does, or through make bench-wasmtime):
//
//	PEERBENCH_RATIOS=41 go test ./peerbench -run TestPeerTable -v
//	go test ./peerbench -run '^$' -bench . -benchmem

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wasmtimeadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
	"github.com/wasmhost/wit-bindgen-go-host/runtimetest/bench"
)

var cacheDir = filepath.Join(os.TempDir(), "wit-bindgen-go-host-runtimetest-cache")

// Inputs: the same as runtimetest/bench's.
var (
	str1K    = strings.Repeat("abcdefgh", 128)
	bytes64K = func() []byte {
		b := make([]byte, 64<<10)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}()
	record  = bench.Record{A: 1, B: -2, C: 3, D: -4, E: 5.5, F: 6.25, G: "eight fields", H: true}
	records = func() []bench.Record {
		rs := make([]bench.Record, 1000)
		for i := range rs {
			rs[i] = bench.Record{A: uint8(i), B: int16(-i), C: uint32(i), D: int64(i) << 33, E: float32(i), F: float64(i) / 3, G: fmt.Sprintf("record-%04d", i), H: i%2 == 0}
		}
		return rs
	}()
	genRecord  = ks.Mixed(record)
	genRecords = func() []ks.Mixed {
		rs := make([]ks.Mixed, len(records))
		for i, r := range records {
			rs[i] = ks.Mixed(r)
		}
		return rs
	}()
)

// impl is one implementation of the six calls. Each returns what the guest
// echoed, as the Go type of runtimetest/bench's baseline; a ping returns
// nil.
type impl interface {
	Ping(ctx context.Context) error
	RoundtripPing(ctx context.Context) error
	EchoString(ctx context.Context, s string) (string, error)
	EchoBytes(ctx context.Context, b []byte) ([]byte, error)
	EchoRecord(ctx context.Context, r bench.Record) (bench.Record, error)
	EchoRecords(ctx context.Context, rs []bench.Record) ([]bench.Record, error)
}

// op is one benchmarked call; run checks the answer cheaply (as
// runtimetest/bench does), answer returns it for the smoke test.
type op struct {
	name   string
	answer func(ctx context.Context, i impl) (any, error)
	want   any
}

var ops = []op{
	{"EmptyHostToGuest", func(ctx context.Context, i impl) (any, error) { return nil, i.Ping(ctx) }, nil},
	{"EmptyGuestToHost", func(ctx context.Context, i impl) (any, error) { return nil, i.RoundtripPing(ctx) }, nil},
	{"String1KiB", func(ctx context.Context, i impl) (any, error) { return i.EchoString(ctx, str1K) }, str1K},
	{"ListU8_64KiB", func(ctx context.Context, i impl) (any, error) { return i.EchoBytes(ctx, bytes64K) }, bytes64K},
	{"Record8Fields", func(ctx context.Context, i impl) (any, error) { return i.EchoRecord(ctx, record) }, record},
	{"List1000Records", func(ctx context.Context, i impl) (any, error) { return i.EchoRecords(ctx, records) }, records},
}

// check is the cheap per-call check of the benchmarks: no error, and the
// answer has the right length (lists) or value (string, record).
func check(got any, err error, want any) error {
	if err != nil {
		return err
	}
	switch w := want.(type) {
	case string:
		if got.(string) != w {
			return fmt.Errorf("got a different string")
		}
	case bench.Record:
		if got.(bench.Record) != w {
			return fmt.Errorf("got %v, want %v", got, w)
		}
	case []byte:
		if len(got.([]byte)) != len(w) {
			return fmt.Errorf("got %d bytes, want %d", len(got.([]byte)), len(w))
		}
	case []bench.Record:
		if len(got.([]bench.Record)) != len(w) {
			return fmt.Errorf("got %d records, want %d", len(got.([]bench.Record)), len(w))
		}
	}
	return nil
}

// implementations, in table order.
var impls = []struct {
	name string
	new  func(t testing.TB) impl
}{
	{"a-nowatch", func(t testing.TB) impl { return newGenerated(t, newWazero(t, false)) }},
	{"a-ctxwatch", func(t testing.TB) impl { return newGenerated(t, newWazero(t, true)) }},
	{"b", func(t testing.TB) impl { return newGenerated(t, newWasmtime(t)) }},
	{"c", func(t testing.TB) impl { return newOracle(t) }},
	{"c-direct", func(t testing.TB) impl { return newDirect(t) }},
	{"d-nowatch", func(t testing.TB) impl { return newBaseline(t, false) }},
	{"d-ctxwatch", func(t testing.TB) impl { return newBaseline(t, true) }},
}

func guestWasm(t testing.TB) []byte {
	t.Helper()
	wasm, err := os.ReadFile(coreWasm)
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// (a), (b): the generated bindings.

func newWazero(t testing.TB, watch bool) ra.Runtime {
	ctx := context.Background()
	rt, err := wazeroadapter.NewRuntime(ctx, wazeroadapter.Config{IgnoreContextDone: !watch, CompilationCacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(ctx) })
	return rt
}

func newWasmtime(t testing.TB) ra.Runtime {
	rt, err := wasmtimeadapter.NewRuntime(wasmtimeadapter.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(context.Background()) })
	return rt
}

type genHost struct{ ks.UnimplementedHost }

func (genHost) Ping(ctx context.Context) error { return nil }

type generated struct{ in *ks.KitchenSinkInstance }

func newGenerated(t testing.TB, rt ra.Runtime) impl {
	t.Helper()
	ctx := context.Background()
	mod, err := rt.Compile(ctx, guestWasm(t))
	if err != nil {
		t.Fatal(err)
	}
	w, err := ks.NewKitchenSink(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	in, err := w.Instantiate(ctx, ks.Imports{Host: genHost{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	return generated{in}
}

func (g generated) Ping(ctx context.Context) error          { return g.in.Guest().Ping(ctx) }
func (g generated) RoundtripPing(ctx context.Context) error { return g.in.Guest().RoundtripPing(ctx) }
func (g generated) EchoString(ctx context.Context, s string) (string, error) {
	return g.in.Guest().EchoString(ctx, s)
}
func (g generated) EchoBytes(ctx context.Context, b []byte) ([]byte, error) {
	return g.in.Guest().EchoListU8(ctx, b)
}
func (g generated) EchoRecord(ctx context.Context, r bench.Record) (bench.Record, error) {
	v, err := g.in.Guest().EchoRecord(ctx, ks.Mixed(r))
	return bench.Record(v), err
}

// EchoRecords passes the []ks.Mixed built once (genRecords) when given
// records, as runtimetest/bench does, and converts the answer in place
// (ks.Mixed and bench.Record have the same layout; no copy).
func (g generated) EchoRecords(ctx context.Context, rs []bench.Record) ([]bench.Record, error) {
	in := genRecords
	if len(rs) != len(records) || &rs[0] != &records[0] {
		in = make([]ks.Mixed, len(rs))
		for i, r := range rs {
			in[i] = ks.Mixed(r)
		}
	}
	v, err := g.in.Guest().EchoListRecord(ctx, in)
	if err != nil {
		return nil, err
	}
	return *(*[]bench.Record)(unsafePointer(&v)), nil
}

// (d): runtimetest/bench's baseline, on a raw wazero runtime configured as
// wazeroadapter.NewRuntime configures its own (runtimetest/bench's
// newBaseline).

func newBaseline(t testing.TB, watch bool) impl {
	t.Helper()
	ctx := context.Background()
	cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().
		WithCloseOnContextDone(watch).WithCompilationCache(cache))
	t.Cleanup(func() { r.Close(ctx); cache.Close(ctx) })
	b, err := bench.NewBaseline(ctx, r, guestWasm(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// (c): wasmtime's component model. Calls are componentoracle's
// Instance.Call, which looks the export up by name, converts the Go
// values to wasmtime_component_val_t, calls, converts the results back and
// runs post-return.

type oracle struct {
	inst *co.Instance
}

func newOracle(t testing.TB) *oracle {
	t.Helper()
	e := co.NewEngine()
	c, err := e.Compile(buildComponent(t))
	if err != nil {
		t.Fatal(err)
	}
	l := e.NewLinker()
	if err := l.Define(hostIface, map[string]co.HostFunc{
		"ping": func(args []co.Value) ([]co.Value, error) { return nil, nil },
	}); err != nil {
		t.Fatal(err)
	}
	inst, err := l.Instantiate(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close(); l.Close(); c.Close(); e.Close() })
	return &oracle{inst: inst}
}

func (o *oracle) call(name string, args ...co.Value) (co.Value, error) {
	res, err := o.inst.Call(guestIface+"#"+name, args...)
	if err != nil || len(res) == 0 {
		return co.Value{}, err
	}
	return res[0], nil
}

func (o *oracle) Ping(ctx context.Context) error {
	_, err := o.call("ping")
	return err
}

func (o *oracle) RoundtripPing(ctx context.Context) error {
	_, err := o.call("roundtrip-ping")
	return err
}

func (o *oracle) EchoString(ctx context.Context, s string) (string, error) {
	v, err := o.call("echo-string", co.String(s))
	return v.Str, err
}

func (o *oracle) EchoBytes(ctx context.Context, b []byte) ([]byte, error) {
	v, err := o.call("echo-list-u8", co.Bytes(b))
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(v.Elems))
	for i, e := range v.Elems {
		out[i] = uint8(e.Uint)
	}
	return out, nil
}

func recordValue(r bench.Record) co.Value {
	return co.Record(
		co.Field{Name: "a", Value: co.U8(r.A)}, co.Field{Name: "b", Value: co.S16(r.B)},
		co.Field{Name: "c", Value: co.U32(r.C)}, co.Field{Name: "d", Value: co.S64(r.D)},
		co.Field{Name: "e", Value: co.F32(r.E)}, co.Field{Name: "f", Value: co.F64(r.F)},
		co.Field{Name: "g", Value: co.String(r.G)}, co.Field{Name: "h", Value: co.Bool(r.H)})
}

func goRecord(v co.Value) (bench.Record, error) {
	if v.Kind != co.KindRecord || len(v.Fields) != 8 {
		return bench.Record{}, fmt.Errorf("not a mixed record: %v", v.Kind)
	}
	f := v.Fields
	return bench.Record{A: uint8(f[0].Value.Uint), B: int16(f[1].Value.Int), C: uint32(f[2].Value.Uint),
		D: f[3].Value.Int, E: float32(f[4].Value.Float), F: f[5].Value.Float, G: f[6].Value.Str, H: f[7].Value.Bool}, nil
}

func (o *oracle) EchoRecord(ctx context.Context, r bench.Record) (bench.Record, error) {
	v, err := o.call("echo-record", recordValue(r))
	if err != nil {
		return bench.Record{}, err
	}
	return goRecord(v)
}

func (o *oracle) EchoRecords(ctx context.Context, rs []bench.Record) ([]bench.Record, error) {
	elems := make([]co.Value, len(rs))
	for i, r := range rs {
		elems[i] = recordValue(r)
	}
	v, err := o.call("echo-list-record", co.List(elems...))
	if err != nil {
		return nil, err
	}
	out := make([]bench.Record, len(v.Elems))
	for i, e := range v.Elems {
		if out[i], err = goRecord(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// (c-direct): Direct (direct.go), the C API without componentoracle.

type direct struct{ d *Direct }

func newDirect(t testing.TB) impl {
	t.Helper()
	d, err := OpenDirect(buildComponent(t), guestIface)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return direct{d}
}

func (x direct) Ping(ctx context.Context) error          { return x.d.Ping() }
func (x direct) RoundtripPing(ctx context.Context) error { return x.d.RoundtripPing() }
func (x direct) EchoString(ctx context.Context, s string) (string, error) {
	return x.d.EchoString(s)
}
func (x direct) EchoBytes(ctx context.Context, b []byte) ([]byte, error) { return x.d.EchoBytes(b) }
func (x direct) EchoRecord(ctx context.Context, r bench.Record) (bench.Record, error) {
	v, err := x.d.EchoRecord(Record(r))
	return bench.Record(v), err
}

// EchoRecords: Record and bench.Record have the same layout (no copy).
func (x direct) EchoRecords(ctx context.Context, rs []bench.Record) ([]bench.Record, error) {
	v, err := x.d.EchoRecords(*(*[]Record)(unsafePointer(&rs)))
	return *(*[]bench.Record)(unsafePointer(&v)), err
}

// TestSameAnswers is the smoke test: every implementation gives the
// expected answer (deep equality) for each of the calls.
func TestSameAnswers(t *testing.T) {
	ctx := context.Background()
	for _, im := range impls {
		i := im.new(t)
		for _, o := range ops {
			got, err := o.answer(ctx, i)
			if err != nil {
				t.Errorf("%s %s: %v", im.name, o.name, err)
				continue
			}
			if !reflect.DeepEqual(got, o.want) {
				t.Errorf("%s %s: wrong answer", im.name, o.name)
			}
		}
	}
}

// BenchmarkPeers: <op>/impl=<a-nowatch|a-ctxwatch|b|c|c-direct|d-nowatch|d-ctxwatch>.
func BenchmarkPeers(b *testing.B) {
	ctx := context.Background()
	for _, o := range ops {
		for _, im := range impls {
			b.Run(o.name+"/impl="+im.name, func(b *testing.B) {
				i := im.new(b)
				b.ReportAllocs()
				for b.Loop() {
					got, err := o.answer(ctx, i)
					if err := check(got, err, o.want); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestPeerTable measures every call through every implementation in
// interleaved batches of about 2 ms each (one batch of each implementation
// per round, in an order rotated every round, each after a garbage
// collection), keeps the fastest batch of each and prints a Markdown table
// of ns/op, allocs/op (Go allocations only: wasmtime's C allocations are
// not counted) and the ratios a/c, b/c, a/d. It runs only with
// PEERBENCH_RATIOS=<rounds>.
func TestPeerTable(t *testing.T) {
	env := os.Getenv("PEERBENCH_RATIOS")
	if env == "" {
		t.Skip("set PEERBENCH_RATIOS=<rounds> to measure")
	}
	rounds := 21
	if n, err := fmt.Sscan(env, &rounds); n != 1 || err != nil || rounds < 3 {
		rounds = 21
	}
	ctx := context.Background()
	insts := make([]impl, len(impls))
	for k, im := range impls {
		insts[k] = im.new(t)
	}
	type res struct {
		ns, allocs float64
	}
	var b strings.Builder
	b.WriteString("| call |")
	for _, im := range impls {
		fmt.Fprintf(&b, " %s ns/op |", im.name)
	}
	b.WriteString(" a-nowatch/c | a-ctxwatch/c | b/c | a-nowatch/c-direct | b/c-direct | a-nowatch/d-nowatch | a-ctxwatch/d-ctxwatch |")
	for _, im := range impls {
		fmt.Fprintf(&b, " %s allocs |", im.name)
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---:|", 2*len(impls)+7))
	b.WriteString("\n")
	for _, o := range ops {
		fs := make([]func() error, len(insts))
		ns := make([]int, len(insts))
		best := make([]time.Duration, len(insts))
		for k, i := range insts {
			fs[k] = func() error {
				got, err := o.answer(ctx, i)
				return check(got, err, o.want)
			}
			ns[k] = 1
			for {
				if d := timeBatch(t, fs[k], ns[k]); d > 2*time.Millisecond || ns[k] >= 1<<20 {
					break
				}
				ns[k] *= 2
			}
			best[k] = 1 << 62
		}
		for round := range rounds {
			// Rotate the order, so that no implementation always runs
			// right after the same other one.
			for j := range fs {
				k := (round + j) % len(fs)
				best[k] = min(best[k], timeBatch(t, fs[k], ns[k]))
			}
		}
		r := make([]res, len(insts))
		for k := range fs {
			r[k].ns = float64(best[k].Nanoseconds()) / float64(ns[k])
			r[k].allocs = testing.AllocsPerRun(20, func() { _ = fs[k]() })
		}
		// Indexes into impls.
		const aN, aW, bb, c, cd, d0N, d0W = 0, 1, 2, 3, 4, 5, 6
		fmt.Fprintf(&b, "| %s |", o.name)
		for k := range r {
			fmt.Fprintf(&b, " %s |", fmtNs(r[k].ns))
		}
		fmt.Fprintf(&b, " %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f |", r[aN].ns/r[c].ns, r[aW].ns/r[c].ns, r[bb].ns/r[c].ns,
			r[aN].ns/r[cd].ns, r[bb].ns/r[cd].ns, r[aN].ns/r[d0N].ns, r[aW].ns/r[d0W].ns)
		for k := range r {
			fmt.Fprintf(&b, " %g |", r[k].allocs)
		}
		b.WriteString("\n")
	}
	t.Logf("%d interleaved rounds, best batch each:\n%s", rounds, b.String())
}

// timeBatch times n calls of f, after a garbage collection, so that no
// implementation pays for the garbage of the one before it (c leaves about
// 20 MB of Go values per 64 KiB list<u8> call: 65,536 componentoracle
// Values of 160 bytes each way).
func timeBatch(t *testing.T, f func() error, n int) time.Duration {
	runtime.GC()
	start := time.Now()
	for range n {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	return time.Since(start)
}

func fmtNs(ns float64) string {
	if ns >= 100 {
		return fmt.Sprintf("%.0f", ns)
	}
	return fmt.Sprintf("%.1f", ns)
}
