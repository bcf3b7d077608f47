package kernel

import (
	"encoding/binary"
	"errors"
	"fmt"
)

const (
	lz4LegacyMagic    = 0x184C2102
	lz4LegacyBlockMax = 8 << 20 // each legacy block decodes to at most 8 MB
)

// DecodeLZ4Legacy decodes an LZ4 legacy frame as written by `lz4 -l`
// (and by the kernel build): the magic, then blocks, each a 32-bit
// little-endian compressed size followed by an independent LZ4 block. The
// kernel build appends the uncompressed size as a final 32-bit word; a
// trailing word that cannot be a block is checked against the output size.
func DecodeLZ4Legacy(src []byte) ([]byte, error) {
	if len(src) < 4 || binary.LittleEndian.Uint32(src) != lz4LegacyMagic {
		return nil, errors.New("lz4: not a legacy frame")
	}
	src = src[4:]
	var out []byte
	if n := len(src); n >= 4 {
		// Preallocate when the kernel's size trailer looks plausible.
		if size := binary.LittleEndian.Uint32(src[n-4:]); size < 1<<30 && int(size) < 64*n {
			out = make([]byte, 0, size)
		}
	}
	for len(src) >= 4 {
		n := int(binary.LittleEndian.Uint32(src))
		if n == lz4LegacyMagic { // concatenated frames
			src = src[4:]
			continue
		}
		if len(src) == 4 || n > len(src)-4 {
			// The appended uncompressed size.
			if len(src) == 4 && n != len(out) {
				return nil, fmt.Errorf("lz4: trailer says %d bytes, decoded %d", n, len(out))
			}
			if len(src) != 4 {
				return nil, fmt.Errorf("lz4: block of %d bytes with %d left", n, len(src)-4)
			}
			break
		}
		var err error
		out, err = decodeBlock(out, src[4:4+n], lz4LegacyBlockMax)
		if err != nil {
			return nil, err
		}
		src = src[4+n:]
	}
	return out, nil
}

// decodeBlock appends the decoding of one LZ4 block to dst. Matches may
// only refer to data of this block (legacy blocks are independent).
func decodeBlock(dst, src []byte, max int) ([]byte, error) {
	base := len(dst)
	i := 0
	for i < len(src) {
		token := src[i]
		i++
		lit := int(token >> 4)
		if lit == 15 {
			for {
				if i >= len(src) {
					return nil, errors.New("lz4: truncated literal length")
				}
				b := src[i]
				i++
				lit += int(b)
				if b != 255 {
					break
				}
			}
		}
		if lit > len(src)-i {
			return nil, errors.New("lz4: literals past end of block")
		}
		dst = append(dst, src[i:i+lit]...)
		i += lit
		if i == len(src) {
			break // the last sequence has literals only
		}
		if i+2 > len(src) {
			return nil, errors.New("lz4: truncated match offset")
		}
		off := int(binary.LittleEndian.Uint16(src[i:]))
		i += 2
		if off == 0 || off > len(dst)-base {
			return nil, fmt.Errorf("lz4: bad match offset %d", off)
		}
		ml := int(token & 15)
		if ml == 15 {
			for {
				if i >= len(src) {
					return nil, errors.New("lz4: truncated match length")
				}
				b := src[i]
				i++
				ml += int(b)
				if b != 255 {
					break
				}
			}
		}
		ml += 4
		if len(dst)-base+ml > max {
			return nil, errors.New("lz4: block decodes past its maximum size")
		}
		p := len(dst) - off
		if off >= ml {
			dst = append(dst, dst[p:p+ml]...)
		} else {
			// Overlapping: the match repeats bytes it is producing.
			for k := 0; k < ml; k++ {
				dst = append(dst, dst[p+k])
			}
		}
	}
	if len(dst)-base > max {
		return nil, errors.New("lz4: block decodes past its maximum size")
	}
	return dst, nil
}
