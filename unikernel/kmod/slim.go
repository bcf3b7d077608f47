package kmod

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// sigMarker ends a module with an appended signature (scripts/sign-file).
const sigMarker = "~Module signature appended~\n"

// Slim returns a copy of the .ko file ko that the kernel loads with less
// work, for an image that loads its modules from its own initramfs:
//
//   - the appended signature is removed, so the kernel does not hash the
//     module and check the signature (it then says "module verification
//     failed" and taints itself, and loads the module: Debian's kernel does
//     not enforce signatures without lockdown);
//   - the .BTF section is renamed .BTX, so the kernel does not parse the
//     module's BTF, which first makes it parse the whole kernel's BTF (55-75
//     ms under TCG) for BPF, which the image never uses.
//
// A module without either is returned unchanged (copied).
func Slim(ko []byte) ([]byte, error) {
	out := bytes.Clone(ko)
	if bytes.HasSuffix(out, []byte(sigMarker)) {
		// struct module_signature (12 bytes, sig_len big-endian last)
		// precedes the marker; signer and key id are empty for PKCS#7.
		end := len(out) - len(sigMarker)
		if end < 12 {
			return nil, errors.New("kmod: truncated module signature")
		}
		info := out[end-12 : end]
		n := int(binary.BigEndian.Uint32(info[8:])) + int(info[3]) + int(info[4])
		if n > end-12 {
			return nil, fmt.Errorf("kmod: module signature of %d bytes in a %d-byte file", n, len(out))
		}
		out = out[:end-12-n]
	}
	if err := renameSection(out, ".BTF", ".BTX"); err != nil {
		return nil, err
	}
	return out, nil
}

// renameSection renames section from to the same-length name to in an
// ELF64 little-endian file, in place. A missing section is not an error.
func renameSection(f []byte, from, to string) error {
	if len(from) != len(to) {
		return errors.New("kmod: section names must have the same length")
	}
	if len(f) < 64 || string(f[:4]) != "\x7fELF" || f[4] != 2 || f[5] != 1 {
		return errors.New("kmod: not an ELF64 little-endian file")
	}
	le := binary.LittleEndian
	shoff := le.Uint64(f[0x28:])
	shentsize := uint64(le.Uint16(f[0x3a:]))
	shnum := uint64(le.Uint16(f[0x3c:]))
	shstrndx := uint64(le.Uint16(f[0x3e:]))
	if shentsize < 64 || shstrndx >= shnum || shoff+shnum*shentsize > uint64(len(f)) {
		return errors.New("kmod: bad section header table")
	}
	sh := func(i uint64) []byte { return f[shoff+i*shentsize : shoff+(i+1)*shentsize] }
	strOff, strSize := le.Uint64(sh(shstrndx)[0x18:]), le.Uint64(sh(shstrndx)[0x20:])
	if strOff+strSize > uint64(len(f)) {
		return errors.New("kmod: bad section name table")
	}
	names := f[strOff : strOff+strSize]
	for i := uint64(0); i < shnum; i++ {
		n := uint64(le.Uint32(sh(i)))
		if n+uint64(len(from))+1 > uint64(len(names)) {
			continue
		}
		if string(names[n:n+uint64(len(from))]) == from && names[n+uint64(len(from))] == 0 {
			copy(names[n:], to)
			return nil
		}
	}
	return nil
}
