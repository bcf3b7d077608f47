package peerbench

/*
#include <stdlib.h>
#include "direct.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"unsafe"

	// Links libwasmtime.a (wasmtime-go's cgo LDFLAGS).
	_ "github.com/bytecodealliance/wasmtime-go/v39"
)

// Record is a kitchen-sink `mixed` (the layout of runtimetest/bench.Record
// and kitchensink.Mixed).
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

// Direct is (c-direct): wasmtime's component model called through its C
// API the way a Go embedder would write it by hand: the export handles are
// looked up once, arguments go straight from Go values into
// wasmtime_component_val_t (built in C), results are copied straight into
// Go values, then post-return. The host's ping is a C function that calls
// into Go. Unlike componentoracle it has no per-call lookup and no
// intermediate Go value tree.
type Direct struct {
	p    *C.pb_t
	recs []C.pb_rec_t
	strs []byte
}

// hostPings counts calls of the host's ping (all Directs).
var hostPings int

//export pbHostPing
func pbHostPing() { hostPings++ }

var directNames = []string{"ping", "roundtrip-ping", "echo-string", "echo-list-u8", "echo-record", "echo-list-record"}

const (
	fPing = iota
	fRoundtripPing
	fEchoString
	fEchoListU8
	fEchoRecord
	fEchoListRecord
)

// OpenDirect compiles the component (binary or text format) and
// instantiates it; guestIface is the exported interface holding the
// functions.
func OpenDirect(component []byte, guestIface string) (*Direct, error) {
	names := make([]*C.char, len(directNames))
	for i, n := range directNames {
		names[i] = C.CString(n)
		defer C.free(unsafe.Pointer(names[i]))
	}
	cnames := (**C.char)(C.malloc(C.size_t(len(names)) * C.size_t(unsafe.Sizeof(names[0]))))
	defer C.free(unsafe.Pointer(cnames))
	copy(unsafe.Slice(cnames, len(names)), names)
	iface := C.CString(guestIface)
	defer C.free(unsafe.Pointer(iface))
	var cerr *C.char
	p := C.pb_open((*C.uint8_t)(unsafe.Pointer(&component[0])), C.size_t(len(component)), iface, C.size_t(len(guestIface)), cnames, &cerr)
	runtime.KeepAlive(component)
	if p == nil {
		return nil, takeErr(cerr)
	}
	return &Direct{p: p}, nil
}

// Close releases everything.
func (d *Direct) Close() {
	if d.p != nil {
		C.pb_close(d.p)
		d.p = nil
	}
}

func takeErr(s *C.char) error {
	if s == nil {
		return nil
	}
	defer C.free(unsafe.Pointer(s))
	return errors.New("peerbench: " + C.GoString(s))
}

func (d *Direct) call(f, nargs, nres int) error {
	return takeErr(C.pb_call(d.p, C.int(f), C.int(nargs), C.int(nres)))
}

func (d *Direct) done() error { return takeErr(C.pb_done(d.p)) }

// Ping calls ping.
func (d *Direct) Ping() error {
	if err := d.call(fPing, 0, 0); err != nil {
		return err
	}
	return d.done()
}

// RoundtripPing calls roundtrip-ping (which calls the host's ping).
func (d *Direct) RoundtripPing() error {
	if err := d.call(fRoundtripPing, 0, 0); err != nil {
		return err
	}
	return d.done()
}

// EchoString calls echo-string.
func (d *Direct) EchoString(s string) (string, error) {
	C.pb_arg_string(d.p, (*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.size_t(len(s)))
	runtime.KeepAlive(s)
	if err := d.call(fEchoString, 1, 1); err != nil {
		return "", err
	}
	var p *C.char
	var n C.size_t
	if !C.pb_res_string(d.p, &p, &n) {
		d.done()
		return "", errors.New("peerbench: echo-string returned no string")
	}
	out := C.GoStringN(p, C.int(n))
	return out, d.done()
}

// EchoBytes calls echo-list-u8.
func (d *Direct) EchoBytes(b []byte) ([]byte, error) {
	var bp *C.uint8_t
	if len(b) > 0 {
		bp = (*C.uint8_t)(unsafe.Pointer(&b[0]))
	}
	C.pb_arg_bytes(d.p, bp, C.size_t(len(b)))
	runtime.KeepAlive(b)
	if err := d.call(fEchoListU8, 1, 1); err != nil {
		return nil, err
	}
	out := make([]byte, C.pb_res_list_len(d.p))
	var op *C.uint8_t
	if len(out) > 0 {
		op = (*C.uint8_t)(unsafe.Pointer(&out[0]))
	}
	if !C.pb_res_bytes(d.p, op, C.size_t(len(out))) {
		d.done()
		return nil, errors.New("peerbench: echo-list-u8 returned no list<u8>")
	}
	return out, d.done()
}

// lowerRecords fills d.recs and d.strs (reused across calls; string
// fields are offsets into d.strs, which is never empty).
func (d *Direct) lowerRecords(rs []Record) {
	if cap(d.recs) < len(rs) {
		d.recs = make([]C.pb_rec_t, len(rs))
	}
	d.recs = d.recs[:len(rs)]
	d.strs = d.strs[:0]
	for i := range rs {
		r, c := &rs[i], &d.recs[i]
		c.a, c.b, c.c, c.d = C.uint8_t(r.A), C.int16_t(r.B), C.uint32_t(r.C), C.int64_t(r.D)
		c.e, c.f, c.h = C.float(r.E), C.double(r.F), C.bool(r.H)
		c.goff, c.gp, c.glen = C.size_t(len(d.strs)), nil, C.size_t(len(r.G))
		d.strs = append(d.strs, r.G...)
	}
	if len(d.strs) == 0 {
		d.strs = append(d.strs, 0)
	}
}

func liftRecord(c *C.pb_rec_t) Record {
	return Record{A: uint8(c.a), B: int16(c.b), C: uint32(c.c), D: int64(c.d), E: float32(c.e), F: float64(c.f),
		G: C.GoStringN(c.gp, C.int(c.glen)), H: bool(c.h)}
}

// EchoRecord calls echo-record.
func (d *Direct) EchoRecord(r Record) (Record, error) {
	d.lowerRecords([]Record{r})
	C.pb_arg_record(d.p, &d.recs[0], (*C.char)(unsafe.Pointer(&d.strs[0])))
	if err := d.call(fEchoRecord, 1, 1); err != nil {
		return Record{}, err
	}
	if !C.pb_res_records(d.p, &d.recs[0], 1) {
		d.done()
		return Record{}, errors.New("peerbench: echo-record returned no record")
	}
	out := liftRecord(&d.recs[0])
	return out, d.done()
}

// EchoRecords calls echo-list-record.
func (d *Direct) EchoRecords(rs []Record) ([]Record, error) {
	d.lowerRecords(rs)
	var rp *C.pb_rec_t
	if len(rs) > 0 {
		rp = &d.recs[0]
	}
	C.pb_arg_records(d.p, rp, C.size_t(len(rs)), (*C.char)(unsafe.Pointer(&d.strs[0])))
	if err := d.call(fEchoListRecord, 1, 1); err != nil {
		return nil, err
	}
	n := int(C.pb_res_list_len(d.p))
	if cap(d.recs) < n {
		d.recs = make([]C.pb_rec_t, n)
	}
	d.recs = d.recs[:n]
	if n > 0 && !C.pb_res_records(d.p, &d.recs[0], C.size_t(n)) {
		d.done()
		return nil, errors.New("peerbench: echo-list-record returned no list<mixed>")
	}
	out := make([]Record, n)
	for i := range out {
		out[i] = liftRecord(&d.recs[i])
	}
	return out, d.done()
}
