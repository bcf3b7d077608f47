//go:build wasip1

// Command goguest is the kitchen-sink guest written in standard Go against
// the generated guest bindings (golden/guest/kitchensink). Build it with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o goguest.wasm ./testdata/guest-kitchen-sink/goguest
//
// It implements the same contract as the C guest (testdata/kitchen-sink/
// README.md): echo-* return their argument, roundtrip-* pass it through the
// host's echo-*, and the plain core export kitchen-sink-live-allocs counts
// live buffers and counters. kitchen-sink-set-gc(1) makes every call force
// runtime.GC() before and after its nested host call.
package main

import (
	"fmt"
	"runtime"
	"strings"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/guest/kitchensink"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wittypes"
)

func main() {}

func init() { ks.SetExports(ks.Exports{Guest: guest{}}) }

var (
	forceGC  bool
	counters int // live counter values
)

// gcPoint forces a collection when the test asked for it.
func gcPoint() {
	if forceGC {
		runtime.GC()
	}
}

//go:wasmexport kitchen-sink-live-allocs
func liveAllocs() uint32 { return uint32(ks.LiveBuffers() + counters) }

//go:wasmexport kitchen-sink-set-gc
func setGC(on uint32) { forceGC = on != 0 }

type counter struct{ n uint32 }

func newCounter(n uint32) *counter { counters++; return &counter{n} }

func (c *counter) Get() uint32                { gcPoint(); return c.n }
func (c *counter) Increment(by uint32) uint32 { c.n += by; return c.n }
func (c *counter) Label() string              { gcPoint(); return fmt.Sprintf("counter=%d", c.n) }

// Drop is the destructor: the host dropped its handle.
func (c *counter) Drop() { counters-- }

type guest struct{}

func (guest) NewCounter(start uint32) ks.Counter { return newCounter(start) }
func (guest) CounterZero() ks.Counter            { return newCounter(0) }
func (guest) CounterMerge(a ks.Counter, b ks.Counter) ks.Counter {
	return newCounter(a.Get() + b.Get())
}

// ConsumeCounter owns c: the bindings took it back from the host (its
// handle is gone), so it is no longer live.
func (guest) ConsumeCounter(c ks.Counter) uint32 {
	counters--
	return c.Get()
}

func (guest) BlobRoundtrip(data []byte) []byte {
	b := ks.Host.NewBlob(data)
	gcPoint()
	b.Append(data)
	out := b.Read(0, b.Size())
	b.Drop()
	return out
}
func (guest) BlobSize(b ks.Blob) uint32 { return b.Size() }
func (guest) BlobTake(b ks.Blob) []byte {
	out := b.Read(0, b.Size())
	b.Drop()
	return out
}
func (guest) BlobPass(b ks.Blob) ks.Blob             { return ks.Host.EchoBlob(b) }
func (guest) BlobMerge(a ks.Blob, b ks.Blob) ks.Blob { return ks.Host.BlobMerge(a, b) }
func (guest) BlobMake(data []byte) ks.Blob           { return ks.Host.MakeBlob(data) }
func (guest) BlobConsume(data []byte) []byte         { return ks.Host.ConsumeBlob(ks.Host.MakeBlob(data)) }
func (guest) BlobLen(b ks.Blob) uint32               { return ks.Host.BlobLen(b) }
func (guest) Ping()                                  {}
func (guest) RoundtripPing()                         { gcPoint(); ks.Host.Ping() }

func (guest) EchoPair(a uint64, b string) struct {
	F0 uint64
	F1 string
} {
	return struct {
		F0 uint64
		F1 string
	}{a, b}
}

func (guest) RoundtripPair(a uint64, b string) struct {
	F0 uint64
	F1 string
} {
	gcPoint()
	r := ks.Host.EchoPair(a, b)
	gcPoint()
	return r
}

func (guest) EchoMany(a uint8, b int8, c uint16, d int16, e uint32, f int32, g uint64, h int64, i float32, j float64, k bool, l rune, m string, n ks.Point, o ks.Color, p ks.Flags9, q wittypes.Option[uint32]) ks.ManyFields {
	return ks.ManyFields{A: a, B: b, C: c, D: d, E: e, F: f, G: g, H: h, I: i, J: j, K: k, L: l, M: m, N: n, O: o, P: p, Q: q}
}

func (guest) RoundtripMany(a uint8, b int8, c uint16, d int16, e uint32, f int32, g uint64, h int64, i float32, j float64, k bool, l rune, m string, n ks.Point, o ks.Color, p ks.Flags9, q wittypes.Option[uint32]) ks.ManyFields {
	gcPoint()
	r := ks.Host.EchoMany(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q)
	gcPoint()
	return r
}

func (guest) EchoBool(x bool) bool {
	gcPoint()
	return x
}

func (guest) EchoU8(x uint8) uint8 {
	gcPoint()
	return x
}

func (guest) EchoS8(x int8) int8 {
	gcPoint()
	return x
}

func (guest) EchoU16(x uint16) uint16 {
	gcPoint()
	return x
}

func (guest) EchoS16(x int16) int16 {
	gcPoint()
	return x
}

func (guest) EchoU32(x uint32) uint32 {
	gcPoint()
	return x
}

func (guest) EchoS32(x int32) int32 {
	gcPoint()
	return x
}

func (guest) EchoU64(x uint64) uint64 {
	gcPoint()
	return x
}

func (guest) EchoS64(x int64) int64 {
	gcPoint()
	return x
}

func (guest) EchoF32(x float32) float32 {
	gcPoint()
	return x
}

func (guest) EchoF64(x float64) float64 {
	gcPoint()
	return x
}

func (guest) EchoChar(x rune) rune {
	gcPoint()
	return x
}

func (guest) EchoString(x string) string {
	gcPoint()
	return x
}

func (guest) EchoListU8(x []byte) []byte {
	gcPoint()
	return x
}

func (guest) EchoListString(x []string) []string {
	gcPoint()
	return x
}

func (guest) EchoListRecord(x []ks.Mixed) []ks.Mixed {
	gcPoint()
	return x
}

func (guest) EchoListList(x [][]uint32) [][]uint32 {
	gcPoint()
	return x
}

func (guest) EchoPoint(x ks.Point) ks.Point {
	gcPoint()
	return x
}

func (guest) EchoRecord(x ks.Mixed) ks.Mixed {
	gcPoint()
	return x
}

func (guest) EchoNested(x ks.Nested) ks.Nested {
	gcPoint()
	return x
}

func (guest) EchoColor(x ks.Color) ks.Color {
	gcPoint()
	return x
}

func (guest) EchoBigEnum(x ks.BigEnum) ks.BigEnum {
	gcPoint()
	return x
}

func (guest) EchoFlags1(x ks.Flags1) ks.Flags1 {
	gcPoint()
	return x
}

func (guest) EchoFlags8(x ks.Flags8) ks.Flags8 {
	gcPoint()
	return x
}

func (guest) EchoFlags9(x ks.Flags9) ks.Flags9 {
	gcPoint()
	return x
}

func (guest) EchoFlags16(x ks.Flags16) ks.Flags16 {
	gcPoint()
	return x
}

func (guest) EchoFlags17(x ks.Flags17) ks.Flags17 {
	gcPoint()
	return x
}

func (guest) EchoFlags32(x ks.Flags32) ks.Flags32 {
	gcPoint()
	return x
}

func (guest) EchoBigVariant(x ks.BigVariant) ks.BigVariant {
	gcPoint()
	return x
}

func (guest) EchoJoined(x ks.Joined) ks.Joined {
	gcPoint()
	return x
}

func (guest) EchoNum(x ks.Num) ks.Num {
	gcPoint()
	return x
}

func (guest) EchoOptionU32(x wittypes.Option[uint32]) wittypes.Option[uint32] {
	gcPoint()
	return x
}

func (guest) EchoOptionString(x wittypes.Option[string]) wittypes.Option[string] {
	gcPoint()
	return x
}

func (guest) EchoOptionOption(x wittypes.Option[wittypes.Option[uint32]]) wittypes.Option[wittypes.Option[uint32]] {
	gcPoint()
	return x
}

func (guest) EchoResultUnit(x wittypes.Result[struct{}, struct{}]) wittypes.Result[struct{}, struct{}] {
	gcPoint()
	return x
}

func (guest) EchoResultOk(x wittypes.Result[string, struct{}]) wittypes.Result[string, struct{}] {
	gcPoint()
	return x
}

func (guest) EchoResultErr(x wittypes.Result[struct{}, ks.Color]) wittypes.Result[struct{}, ks.Color] {
	gcPoint()
	return x
}

func (guest) EchoResultBoth(x wittypes.Result[ks.Point, string]) wittypes.Result[ks.Point, string] {
	gcPoint()
	return x
}

func (guest) EchoTuple(x struct {
	F0 uint8
	F1 string
	F2 float64
}) struct {
	F0 uint8
	F1 string
	F2 float64
} {
	gcPoint()
	return x
}

func (guest) RoundtripBool(x bool) bool {
	gcPoint()
	r := ks.Host.EchoBool(x)
	gcPoint()
	return r
}

func (guest) RoundtripU8(x uint8) uint8 {
	gcPoint()
	r := ks.Host.EchoU8(x)
	gcPoint()
	return r
}

func (guest) RoundtripS8(x int8) int8 {
	gcPoint()
	r := ks.Host.EchoS8(x)
	gcPoint()
	return r
}

func (guest) RoundtripU16(x uint16) uint16 {
	gcPoint()
	r := ks.Host.EchoU16(x)
	gcPoint()
	return r
}

func (guest) RoundtripS16(x int16) int16 {
	gcPoint()
	r := ks.Host.EchoS16(x)
	gcPoint()
	return r
}

func (guest) RoundtripU32(x uint32) uint32 {
	gcPoint()
	r := ks.Host.EchoU32(x)
	gcPoint()
	return r
}

func (guest) RoundtripS32(x int32) int32 {
	gcPoint()
	r := ks.Host.EchoS32(x)
	gcPoint()
	return r
}

func (guest) RoundtripU64(x uint64) uint64 {
	gcPoint()
	r := ks.Host.EchoU64(x)
	gcPoint()
	return r
}

func (guest) RoundtripS64(x int64) int64 {
	gcPoint()
	r := ks.Host.EchoS64(x)
	gcPoint()
	return r
}

func (guest) RoundtripF32(x float32) float32 {
	gcPoint()
	r := ks.Host.EchoF32(x)
	gcPoint()
	return r
}

func (guest) RoundtripF64(x float64) float64 {
	gcPoint()
	r := ks.Host.EchoF64(x)
	gcPoint()
	return r
}

func (guest) RoundtripChar(x rune) rune {
	gcPoint()
	r := ks.Host.EchoChar(x)
	gcPoint()
	return r
}

func (guest) RoundtripString(x string) string {
	gcPoint()
	r := ks.Host.EchoString(x)
	gcPoint()
	return r
}

func (guest) RoundtripListU8(x []byte) []byte {
	gcPoint()
	r := ks.Host.EchoListU8(x)
	gcPoint()
	return r
}

func (guest) RoundtripListString(x []string) []string {
	gcPoint()
	r := ks.Host.EchoListString(x)
	gcPoint()
	return r
}

func (guest) RoundtripListRecord(x []ks.Mixed) []ks.Mixed {
	gcPoint()
	r := ks.Host.EchoListRecord(x)
	gcPoint()
	return r
}

func (guest) RoundtripListList(x [][]uint32) [][]uint32 {
	gcPoint()
	r := ks.Host.EchoListList(x)
	gcPoint()
	return r
}

func (guest) RoundtripPoint(x ks.Point) ks.Point {
	gcPoint()
	r := ks.Host.EchoPoint(x)
	gcPoint()
	return r
}

func (guest) RoundtripRecord(x ks.Mixed) ks.Mixed {
	gcPoint()
	r := ks.Host.EchoRecord(x)
	gcPoint()
	return r
}

func (guest) RoundtripNested(x ks.Nested) ks.Nested {
	gcPoint()
	r := ks.Host.EchoNested(x)
	gcPoint()
	return r
}

func (guest) RoundtripColor(x ks.Color) ks.Color {
	gcPoint()
	r := ks.Host.EchoColor(x)
	gcPoint()
	return r
}

func (guest) RoundtripBigEnum(x ks.BigEnum) ks.BigEnum {
	gcPoint()
	r := ks.Host.EchoBigEnum(x)
	gcPoint()
	return r
}

func (guest) RoundtripFlags1(x ks.Flags1) ks.Flags1 {
	gcPoint()
	r := ks.Host.EchoFlags1(x)
	gcPoint()
	return r
}

func (guest) RoundtripFlags8(x ks.Flags8) ks.Flags8 {
	gcPoint()
	r := ks.Host.EchoFlags8(x)
	gcPoint()
	return r
}

func (guest) RoundtripFlags9(x ks.Flags9) ks.Flags9 {
	gcPoint()
	r := ks.Host.EchoFlags9(x)
	gcPoint()
	return r
}

func (guest) RoundtripFlags16(x ks.Flags16) ks.Flags16 {
	gcPoint()
	r := ks.Host.EchoFlags16(x)
	gcPoint()
	return r
}

func (guest) RoundtripFlags17(x ks.Flags17) ks.Flags17 {
	gcPoint()
	r := ks.Host.EchoFlags17(x)
	gcPoint()
	return r
}

func (guest) RoundtripFlags32(x ks.Flags32) ks.Flags32 {
	gcPoint()
	r := ks.Host.EchoFlags32(x)
	gcPoint()
	return r
}

func (guest) RoundtripBigVariant(x ks.BigVariant) ks.BigVariant {
	gcPoint()
	r := ks.Host.EchoBigVariant(x)
	gcPoint()
	return r
}

func (guest) RoundtripJoined(x ks.Joined) ks.Joined {
	gcPoint()
	r := ks.Host.EchoJoined(x)
	gcPoint()
	return r
}

func (guest) RoundtripNum(x ks.Num) ks.Num {
	gcPoint()
	r := ks.Host.EchoNum(x)
	gcPoint()
	return r
}

func (guest) RoundtripOptionU32(x wittypes.Option[uint32]) wittypes.Option[uint32] {
	gcPoint()
	r := ks.Host.EchoOptionU32(x)
	gcPoint()
	return r
}

func (guest) RoundtripOptionString(x wittypes.Option[string]) wittypes.Option[string] {
	gcPoint()
	r := ks.Host.EchoOptionString(x)
	gcPoint()
	return r
}

func (guest) RoundtripOptionOption(x wittypes.Option[wittypes.Option[uint32]]) wittypes.Option[wittypes.Option[uint32]] {
	gcPoint()
	r := ks.Host.EchoOptionOption(x)
	gcPoint()
	return r
}

func (guest) RoundtripResultUnit(x wittypes.Result[struct{}, struct{}]) wittypes.Result[struct{}, struct{}] {
	gcPoint()
	r := ks.Host.EchoResultUnit(x)
	gcPoint()
	return r
}

func (guest) RoundtripResultOk(x wittypes.Result[string, struct{}]) wittypes.Result[string, struct{}] {
	gcPoint()
	r := ks.Host.EchoResultOk(x)
	gcPoint()
	return r
}

func (guest) RoundtripResultErr(x wittypes.Result[struct{}, ks.Color]) wittypes.Result[struct{}, ks.Color] {
	gcPoint()
	r := ks.Host.EchoResultErr(x)
	gcPoint()
	return r
}

func (guest) RoundtripResultBoth(x wittypes.Result[ks.Point, string]) wittypes.Result[ks.Point, string] {
	gcPoint()
	r := ks.Host.EchoResultBoth(x)
	gcPoint()
	return r
}

func (guest) RoundtripTuple(x struct {
	F0 uint8
	F1 string
	F2 float64
}) struct {
	F0 uint8
	F1 string
	F2 float64
} {
	gcPoint()
	r := ks.Host.EchoTuple(x)
	gcPoint()
	return r
}

var benchKiB = strings.Repeat("k", 1024)

// benchImport calls the import echo-string n times with a 1 KiB string
// through the generated glue (the benchmark's guest-to-host call).
//
//go:wasmexport kitchen-sink-bench-import
func benchImport(n uint32) uint32 {
	total := uint32(0)
	for i := uint32(0); i < n; i++ {
		total += uint32(len(ks.Host.EchoString(benchKiB)))
	}
	return total
}
