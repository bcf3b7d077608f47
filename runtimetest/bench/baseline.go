// Package bench measures calls through the generated kitchen-sink bindings
// (package kitchensink) beside a hand-written baseline that does the same
// work with wazero's API directly: cached api.Function values,
// CallWithStack on preallocated stacks, cabi_realloc and memory writes by
// hand, bounds/alignment/UTF-8 checks and copies out of guest memory, and
// the cabi_post_* call. The benchmarks are in bench_test.go; the results
// table is in ../README.md.
package bench

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Record is the baseline's Go form of WIT record `mixed` (the same shape as
// kitchensink.Mixed).
type Record struct {
	A uint8
	B int16
	C uint32
	D int64
	E float32
	F float64
	G string
	H bool
}

// Canonical ABI layout of `mixed`: size 48, alignment 8.
const (
	recordSize  = 48
	recordAlign = 8
)

const guestPrefix = "test:kitchen-sink/guest@0.1.0#"

// Baseline is the kitchen-sink guest instantiated directly in wazero, with
// the host functions it needs written against wazero's API.
type Baseline struct {
	mod     api.Module
	mem     api.Memory
	realloc api.Function
	fns     map[string]api.Function
	posts   map[string]api.Function
	rstack  [4]uint64
	stack   [16]uint64
	// Pings counts calls of the host's ping import.
	Pings int
}

// NewBaseline instantiates the kitchen-sink guest wasm in r. It defines
// every import of the module: ping and echo-u32 do their work, every other
// import traps when called.
func NewBaseline(ctx context.Context, r wazero.Runtime, wasm []byte) (*Baseline, error) {
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		return nil, err
	}
	b := &Baseline{fns: map[string]api.Function{}, posts: map[string]api.Function{}}
	builders := map[string]wazero.HostModuleBuilder{}
	var order []string
	for _, d := range cm.ImportedFunctions() {
		modName, name, _ := d.Import()
		hb, ok := builders[modName]
		if !ok {
			hb = r.NewHostModuleBuilder(modName)
			builders[modName] = hb
			order = append(order, modName)
		}
		var fn api.GoModuleFunc
		switch name {
		case "ping":
			fn = func(ctx context.Context, m api.Module, stack []uint64) { b.Pings++ }
		case "echo-u32":
			fn = func(ctx context.Context, m api.Module, stack []uint64) {} // x is already in stack[0]
		case "echo-string":
			fn = b.hostEchoString
		default:
			msg := "baseline: import " + modName + "." + name + " not implemented"
			fn = func(ctx context.Context, m api.Module, stack []uint64) { panic(errors.New(msg)) }
		}
		builders[modName] = hb.NewFunctionBuilder().WithGoModuleFunction(fn, d.ParamTypes(), d.ResultTypes()).Export(name)
	}
	for _, modName := range order {
		if _, err := builders[modName].Instantiate(ctx); err != nil {
			return nil, err
		}
	}
	mod, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize"))
	if err != nil {
		return nil, err
	}
	b.mod, b.mem, b.realloc = mod, mod.Memory(), mod.ExportedFunction("cabi_realloc")
	if b.mem == nil || b.realloc == nil {
		return nil, errors.New("baseline: guest exports no memory or cabi_realloc")
	}
	for _, name := range []string{"ping", "roundtrip-ping", "echo-u32", "roundtrip-u32", "echo-string", "roundtrip-string", "echo-list-u8", "echo-record", "echo-list-record"} {
		f := mod.ExportedFunction(guestPrefix + name)
		if f == nil {
			return nil, fmt.Errorf("baseline: missing export %s", name)
		}
		b.fns[name] = f
		if p := mod.ExportedFunction("cabi_post_" + guestPrefix + name); p != nil {
			b.posts[name] = p
		}
	}
	return b, nil
}

// Module is the guest module.
func (b *Baseline) Module() api.Module { return b.mod }

func (b *Baseline) call(ctx context.Context, name string, stack []uint64) error {
	return b.fns[name].CallWithStack(ctx, stack)
}

// post calls the export's cabi_post_* with the return pointer.
func (b *Baseline) post(ctx context.Context, name string, retp uint32) error {
	p := b.posts[name]
	if p == nil {
		return nil
	}
	b.stack[0] = uint64(retp)
	return p.CallWithStack(ctx, b.stack[:1])
}

// alloc calls cabi_realloc(0, 0, align, size) and checks the result.
func (b *Baseline) alloc(ctx context.Context, align, size uint32) (uint32, error) {
	b.rstack[0], b.rstack[1], b.rstack[2], b.rstack[3] = 0, 0, uint64(align), uint64(size)
	if err := b.realloc.CallWithStack(ctx, b.rstack[:]); err != nil {
		return 0, err
	}
	p := uint32(b.rstack[0])
	if p&(align-1) != 0 || uint64(p)+uint64(size) > uint64(b.mem.Size()) {
		return 0, fmt.Errorf("baseline: cabi_realloc returned %#x", p)
	}
	return p, nil
}

// lowerBytes copies s into a new guest allocation.
func (b *Baseline) lowerBytes(ctx context.Context, s []byte, align uint32) (uint32, error) {
	p, err := b.alloc(ctx, align, uint32(len(s)))
	if err != nil {
		return 0, err
	}
	if len(s) > 0 && !b.mem.Write(p, s) {
		return 0, errors.New("baseline: write out of bounds")
	}
	return p, nil
}

// lowerString checks that s is valid UTF-8 (a Go string may not be, a WIT
// string must be) and copies it into a new guest allocation.
func (b *Baseline) lowerString(ctx context.Context, s string) (uint32, error) {
	if !utf8.ValidString(s) {
		return 0, errors.New("baseline: invalid UTF-8")
	}
	p, err := b.alloc(ctx, 1, uint32(len(s)))
	if err != nil {
		return 0, err
	}
	if len(s) > 0 && !b.mem.WriteString(p, s) {
		return 0, errors.New("baseline: write out of bounds")
	}
	return p, nil
}

// view returns n bytes of guest memory at p after checking bounds.
func (b *Baseline) view(p, n uint32) ([]byte, error) {
	v, ok := b.mem.Read(p, n)
	if !ok {
		return nil, fmt.Errorf("baseline: %d bytes at %#x out of bounds", n, p)
	}
	return v, nil
}

// liftString copies the string (p, n) out of guest memory.
func (b *Baseline) liftString(p, n uint32) (string, error) {
	v, err := b.view(p, n)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(v) {
		return "", errors.New("baseline: invalid UTF-8")
	}
	return string(v), nil
}

// retArea reads the (ptr, len) pair at the return pointer in stack[0].
func (b *Baseline) retArea(stack []uint64) (retp, p, n uint32, err error) {
	retp = uint32(stack[0])
	if retp&3 != 0 {
		return 0, 0, 0, errors.New("baseline: misaligned return area")
	}
	v, err := b.view(retp, 8)
	if err != nil {
		return 0, 0, 0, err
	}
	return retp, binary.LittleEndian.Uint32(v), binary.LittleEndian.Uint32(v[4:]), nil
}

// Ping calls the guest's ping export (no parameters, no results).
func (b *Baseline) Ping(ctx context.Context) error {
	return b.call(ctx, "ping", b.stack[:0])
}

// RoundtripPing calls roundtrip-ping, which calls the host's ping import.
func (b *Baseline) RoundtripPing(ctx context.Context) error {
	return b.call(ctx, "roundtrip-ping", b.stack[:0])
}

// EchoU32 calls echo-u32.
func (b *Baseline) EchoU32(ctx context.Context, x uint32) (uint32, error) {
	b.stack[0] = uint64(x)
	err := b.call(ctx, "echo-u32", b.stack[:1])
	return uint32(b.stack[0]), err
}

// RoundtripU32 calls roundtrip-u32, which calls the host's echo-u32.
func (b *Baseline) RoundtripU32(ctx context.Context, x uint32) (uint32, error) {
	b.stack[0] = uint64(x)
	err := b.call(ctx, "roundtrip-u32", b.stack[:1])
	return uint32(b.stack[0]), err
}

// EchoString calls echo-string: lower s, call, lift the returned string,
// post-return.
func (b *Baseline) EchoString(ctx context.Context, s string) (string, error) {
	p, err := b.lowerString(ctx, s)
	if err != nil {
		return "", err
	}
	stack := b.stack[:2]
	stack[0], stack[1] = uint64(p), uint64(len(s))
	if err := b.call(ctx, "echo-string", stack); err != nil {
		return "", err
	}
	retp, rp, rn, err := b.retArea(stack)
	if err != nil {
		return "", err
	}
	out, err := b.liftString(rp, rn)
	if err != nil {
		return "", err
	}
	return out, b.post(ctx, "echo-string", retp)
}

// EchoBytes calls echo-list-u8.
func (b *Baseline) EchoBytes(ctx context.Context, data []byte) ([]byte, error) {
	p, err := b.lowerBytes(ctx, data, 1)
	if err != nil {
		return nil, err
	}
	stack := b.stack[:2]
	stack[0], stack[1] = uint64(p), uint64(len(data))
	if err := b.call(ctx, "echo-list-u8", stack); err != nil {
		return nil, err
	}
	retp, rp, rn, err := b.retArea(stack)
	if err != nil {
		return nil, err
	}
	v, err := b.view(rp, rn)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(v))
	copy(out, v)
	return out, b.post(ctx, "echo-list-u8", retp)
}

// EchoRecord calls echo-record: the record's 9 flat values are passed
// flat (the string through cabi_realloc), the result comes back in a
// return area.
func (b *Baseline) EchoRecord(ctx context.Context, r Record) (Record, error) {
	gp, err := b.lowerString(ctx, r.G)
	if err != nil {
		return Record{}, err
	}
	stack := b.stack[:9]
	stack[0] = uint64(r.A)
	stack[1] = uint64(uint32(int32(r.B)))
	stack[2] = uint64(r.C)
	stack[3] = uint64(r.D)
	stack[4] = uint64(math.Float32bits(r.E))
	stack[5] = math.Float64bits(r.F)
	stack[6], stack[7] = uint64(gp), uint64(len(r.G))
	stack[8] = 0
	if r.H {
		stack[8] = 1
	}
	if err := b.call(ctx, "echo-record", stack); err != nil {
		return Record{}, err
	}
	retp := uint32(stack[0])
	if retp&(recordAlign-1) != 0 {
		return Record{}, errors.New("baseline: misaligned return area")
	}
	v, err := b.view(retp, recordSize)
	if err != nil {
		return Record{}, err
	}
	out, err := b.loadRecord(v)
	if err != nil {
		return Record{}, err
	}
	return out, b.post(ctx, "echo-record", retp)
}

// storeRecord writes r at guest address p (the string is lowered first,
// because cabi_realloc may grow memory and invalidate views).
func (b *Baseline) storeRecord(ctx context.Context, p uint32, r *Record) error {
	gp, err := b.lowerString(ctx, r.G)
	if err != nil {
		return err
	}
	v, err := b.view(p, recordSize)
	if err != nil {
		return err
	}
	v[0] = r.A
	binary.LittleEndian.PutUint16(v[2:], uint16(r.B))
	binary.LittleEndian.PutUint32(v[4:], r.C)
	binary.LittleEndian.PutUint64(v[8:], uint64(r.D))
	binary.LittleEndian.PutUint32(v[16:], math.Float32bits(r.E))
	binary.LittleEndian.PutUint64(v[24:], math.Float64bits(r.F))
	binary.LittleEndian.PutUint32(v[32:], gp)
	binary.LittleEndian.PutUint32(v[36:], uint32(len(r.G)))
	v[40] = 0
	if r.H {
		v[40] = 1
	}
	return nil
}

// loadRecord lifts a record from its 48 bytes in guest memory.
func (b *Baseline) loadRecord(v []byte) (Record, error) {
	g, err := b.liftString(binary.LittleEndian.Uint32(v[32:]), binary.LittleEndian.Uint32(v[36:]))
	if err != nil {
		return Record{}, err
	}
	return Record{
		A: v[0],
		B: int16(binary.LittleEndian.Uint16(v[2:])),
		C: binary.LittleEndian.Uint32(v[4:]),
		D: int64(binary.LittleEndian.Uint64(v[8:])),
		E: math.Float32frombits(binary.LittleEndian.Uint32(v[16:])),
		F: math.Float64frombits(binary.LittleEndian.Uint64(v[24:])),
		G: g,
		H: v[40] != 0,
	}, nil
}

// EchoRecords calls echo-list-record with a list of records.
func (b *Baseline) EchoRecords(ctx context.Context, rs []Record) ([]Record, error) {
	n := uint32(len(rs))
	lp, err := b.alloc(ctx, recordAlign, n*recordSize)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if err := b.storeRecord(ctx, lp+uint32(i)*recordSize, &rs[i]); err != nil {
			return nil, err
		}
	}
	stack := b.stack[:2]
	stack[0], stack[1] = uint64(lp), uint64(n)
	if err := b.call(ctx, "echo-list-record", stack); err != nil {
		return nil, err
	}
	retp, rp, rn, err := b.retArea(stack)
	if err != nil {
		return nil, err
	}
	if rp&(recordAlign-1) != 0 {
		return nil, errors.New("baseline: misaligned list")
	}
	if uint64(rn)*recordSize > math.MaxUint32 {
		return nil, errors.New("baseline: list out of bounds")
	}
	v, err := b.view(rp, rn*recordSize)
	if err != nil {
		return nil, err
	}
	out := make([]Record, rn)
	for i := range out {
		if out[i], err = b.loadRecord(v[i*recordSize : (i+1)*recordSize]); err != nil {
			return nil, err
		}
	}
	return out, b.post(ctx, "echo-list-record", retp)
}

// hostEchoString is the host's echo-string import, (ptr, len, retptr): it
// lifts the argument (bounds, UTF-8, copy), then lowers the result with the
// guest's cabi_realloc and stores (ptr, len) at the return pointer. A
// failure panics, which wazero turns into a trap of the export call.
func (b *Baseline) hostEchoString(ctx context.Context, m api.Module, stack []uint64) {
	s, err := b.liftString(uint32(stack[0]), uint32(stack[1]))
	if err != nil {
		panic(err)
	}
	retp := uint32(stack[2])
	if retp&3 != 0 {
		panic(errors.New("baseline: misaligned return pointer"))
	}
	p, err := b.lowerString(ctx, s)
	if err != nil {
		panic(err)
	}
	v, err := b.view(retp, 8)
	if err != nil {
		panic(err)
	}
	binary.LittleEndian.PutUint32(v, p)
	binary.LittleEndian.PutUint32(v[4:], uint32(len(s)))
}

// RoundtripString calls roundtrip-string: the guest passes the string on
// to the host's echo-string and returns the host's answer.
func (b *Baseline) RoundtripString(ctx context.Context, s string) (string, error) {
	p, err := b.lowerString(ctx, s)
	if err != nil {
		return "", err
	}
	stack := b.stack[:2]
	stack[0], stack[1] = uint64(p), uint64(len(s))
	if err := b.call(ctx, "roundtrip-string", stack); err != nil {
		return "", err
	}
	retp, rp, rn, err := b.retArea(stack)
	if err != nil {
		return "", err
	}
	out, err := b.liftString(rp, rn)
	if err != nil {
		return "", err
	}
	return out, b.post(ctx, "roundtrip-string", retp)
}
