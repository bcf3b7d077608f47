// Package kernel turns Debian's compressed x86 kernel (bzImage, "vmlinuz")
// into the uncompressed ELF "vmlinux" that QEMU can boot through the PVH
// entry point.
//
// Why: under software emulation the bzImage's own decompressor is a
// measurable part of the boot (the cloud kernel's payload is about 45 MB
// of LZ4), and the real-mode setup and self-relocation run emulated as
// well. QEMU's -kernel accepts an ELF kernel that carries the Xen PVH note
// (the Debian kernel is built with CONFIG_PVH=y) and jumps straight into
// 32-bit code with the kernel already in place.
//
// The bzImage layout is Documentation/arch/x86/boot.rst: setup_sects at
// 0x1f1, payload_offset and payload_length at 0x248 and 0x24c, relative to
// the protected-mode code that starts after the setup sectors. Only the
// LZ4 payload (CONFIG_KERNEL_LZ4, Debian's choice) is supported: it is the
// LZ4 "legacy" frame format, decoded by the small decoder in lz4.go.
package kernel

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
)

// ExtractVmlinux returns the ELF kernel inside a bzImage.
func ExtractVmlinux(bz []byte) ([]byte, error) {
	if len(bz) < 0x250 || string(bz[0x202:0x206]) != "HdrS" {
		return nil, errors.New("kernel: not a bzImage (no HdrS header)")
	}
	version := binary.LittleEndian.Uint16(bz[0x206:])
	if version < 0x208 {
		return nil, fmt.Errorf("kernel: boot protocol %#x has no payload fields", version)
	}
	setupSects := int(bz[0x1f1])
	if setupSects == 0 {
		setupSects = 4
	}
	pm := (setupSects + 1) * 512
	off := int(binary.LittleEndian.Uint32(bz[0x248:]))
	n := int(binary.LittleEndian.Uint32(bz[0x24c:]))
	if pm+off+n > len(bz) || n < 8 {
		return nil, fmt.Errorf("kernel: payload [%d+%d, %d bytes) outside the %d-byte image", pm, off, n, len(bz))
	}
	payload := bz[pm+off : pm+off+n]
	if binary.LittleEndian.Uint32(payload) != lz4LegacyMagic {
		return nil, fmt.Errorf("kernel: payload magic % x: only LZ4 (CONFIG_KERNEL_LZ4) is supported", payload[:4])
	}
	out, err := DecodeLZ4Legacy(payload)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(out, []byte(elf.ELFMAG)) {
		return nil, errors.New("kernel: decompressed payload is not an ELF file")
	}
	return out, nil
}

// xenElfnotePhys32Entry is XEN_ELFNOTE_PHYS32_ENTRY, the PVH entry point
// QEMU looks for.
const xenElfnotePhys32Entry = 18

// PVHEntry returns the PVH entry address recorded in an ELF kernel's notes,
// or an error when the kernel cannot be booted that way.
func PVHEntry(vmlinux []byte) (uint64, error) {
	f, err := elf.NewFile(bytes.NewReader(vmlinux))
	if err != nil {
		return 0, err
	}
	for _, p := range f.Progs {
		if p.Type != elf.PT_NOTE {
			continue
		}
		data := make([]byte, p.Filesz)
		if _, err := p.ReadAt(data, 0); err != nil {
			return 0, err
		}
		for len(data) >= 12 {
			nsz := int(f.ByteOrder.Uint32(data))
			dsz := int(f.ByteOrder.Uint32(data[4:]))
			typ := f.ByteOrder.Uint32(data[8:])
			data = data[12:]
			name := data[:min(nsz, len(data))]
			data = data[min(align4(nsz), len(data)):]
			desc := data[:min(dsz, len(data))]
			data = data[min(align4(dsz), len(data)):]
			if string(bytes.TrimRight(name, "\x00")) == "Xen" && typ == xenElfnotePhys32Entry {
				switch len(desc) {
				case 4:
					return uint64(f.ByteOrder.Uint32(desc)), nil
				case 8:
					return f.ByteOrder.Uint64(desc), nil
				}
			}
		}
	}
	return 0, errors.New("kernel: no Xen PVH entry note (kernel built without CONFIG_PVH?)")
}

func align4(n int) int { return (n + 3) &^ 3 }
