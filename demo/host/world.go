package host

import (
	"errors"
	"fmt"
)

// WorldOfWasm is WorldOf for a module's bytes: it reads only the import
// and export sections, so the runner can choose its path before compiling.
func WorldOfWasm(wasm []byte) (World, error) {
	imports, exports, err := moduleNames(wasm)
	if err != nil {
		return "", err
	}
	return worldOf(imports, exports)
}

// worldOf tells the demo world from the import modules and export names.
func worldOf(imports, exports map[string]bool) (World, error) {
	switch {
	case exports["demo:slight/http-handler@0.1.0#handle"] && exports["init"]:
		return HTTPServerDemo, nil
	case exports["run"] && imports["wasi:keyvalue/store@0.2.0-draft"]:
		return WASIKeyvalueDemo, nil
	case exports["run"]:
		return KeyvalueDemo, nil
	}
	return "", errors.New("the module is not a demo guest: it exports neither init and demo:slight/http-handler@0.1.0#handle nor run")
}

// moduleNames returns the import module names and the export names of a
// core wasm module, reading only its section headers and the import and
// export sections.
func moduleNames(b []byte) (imports, exports map[string]bool, err error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" || string(b[4:8]) != "\x01\x00\x00\x00" {
		return nil, nil, errors.New("not a core wasm module (bad magic or version)")
	}
	imports, exports = map[string]bool{}, map[string]bool{}
	r := &reader{b: b, off: 8}
	for r.off < len(b) && r.err == nil {
		id := r.byte()
		size := r.u32()
		end := r.off + int(size)
		if r.err != nil || end > len(b) || end < r.off {
			return nil, nil, errors.New("truncated wasm section")
		}
		switch id {
		case 2: // imports
			n := r.u32()
			for i := uint32(0); i < n && r.err == nil; i++ {
				imports[r.name()] = true
				r.name()
				switch r.byte() {
				case 0x00: // func: type index
					r.u32()
				case 0x01: // table: reftype, limits
					r.byte()
					r.limits()
				case 0x02: // memory: limits
					r.limits()
				case 0x03: // global: valtype, mut
					r.byte()
					r.byte()
				case 0x04: // tag: attribute, type index
					r.byte()
					r.u32()
				default:
					r.err = errors.New("unknown import kind")
				}
			}
		case 7: // exports
			n := r.u32()
			for i := uint32(0); i < n && r.err == nil; i++ {
				exports[r.name()] = true
				r.byte()
				r.u32()
			}
		}
		r.off = end
	}
	if r.err != nil {
		return nil, nil, fmt.Errorf("reading the wasm module: %w", r.err)
	}
	return imports, exports, nil
}

// reader decodes the few wasm encodings moduleNames needs.
type reader struct {
	b   []byte
	off int
	err error
}

var errTruncated = errors.New("truncated")

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.b) {
		r.err = errTruncated
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

// u32 reads an unsigned LEB128 value of at most 5 bytes.
func (r *reader) u32() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errors.New("LEB128 value too long")
	return 0
}

func (r *reader) name() string {
	n := int(r.u32())
	if r.err != nil || n > len(r.b)-r.off {
		r.err = errTruncated
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}

func (r *reader) limits() {
	flags := r.byte()
	r.u32()
	if flags&1 != 0 {
		r.u32()
	}
}
