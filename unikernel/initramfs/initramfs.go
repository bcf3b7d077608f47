// Package initramfs writes and reads Linux initramfs archives in the cpio
// "newc" format (magic 070701), the format the kernel unpacks into its
// rootfs at boot (Documentation/driver-api/early-userspace/buffer-format.rst).
//
// The writer is deliberately small: regular files, directories, symlinks and
// device nodes, all owned by root, with mtime 0 so that the same inputs give
// the same bytes. Parent directories are created on demand (like mkdir -p).
// Compression is the caller's business: wrap the destination in gzip.Writer
// (the Debian kernel has CONFIG_RD_GZIP=y) or leave it uncompressed.
package initramfs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

const (
	magic   = "070701"
	trailer = "TRAILER!!!"
	hdrLen  = 110
)

// File-type bits of the cpio mode field (the same values as Linux st_mode).
const (
	TypeDir     = 0o040000
	TypeReg     = 0o100000
	TypeSymlink = 0o120000
	TypeChar    = 0o020000
	TypeBlock   = 0o060000
	typeMask    = 0o170000
)

// Header is one archive entry.
type Header struct {
	Name      string // without leading "/"
	Mode      uint32 // file type bits | permission bits
	UID, GID  uint32
	NLink     uint32
	MTime     uint32
	Size      uint32
	DevMajor  uint32
	DevMinor  uint32
	RDevMajor uint32 // device nodes: major number
	RDevMinor uint32 // device nodes: minor number
	Inode     uint32
}

// IsDir reports whether h describes a directory.
func (h *Header) IsDir() bool { return h.Mode&typeMask == TypeDir }

// Writer writes a newc archive. Call Close to write the trailer.
type Writer struct {
	w      *bufio.Writer
	off    int64
	ino    uint32
	seen   map[string]bool
	closed bool
	err    error
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriter(w), seen: map[string]bool{"": true, ".": true}}
}

func clean(name string) (string, error) {
	n := path.Clean("/" + name)
	n = strings.TrimPrefix(n, "/")
	if n == "" {
		return "", fmt.Errorf("initramfs: empty name %q", name)
	}
	return n, nil
}

// Dir adds a directory (and its missing parents).
func (w *Writer) Dir(name string, perm fs.FileMode) error {
	n, err := clean(name)
	if err != nil {
		return err
	}
	if w.seen[n] {
		return nil
	}
	if err := w.parents(n); err != nil {
		return err
	}
	w.seen[n] = true
	return w.entry(Header{Name: n, Mode: TypeDir | uint32(perm.Perm()), NLink: 2}, nil)
}

// File adds a regular file with the given permission bits.
func (w *Writer) File(name string, perm fs.FileMode, data []byte) error {
	n, err := w.leaf(name)
	if err != nil {
		return err
	}
	if uint64(len(data)) > 0xffffffff {
		return fmt.Errorf("initramfs: %s: file too large for newc (%d bytes)", n, len(data))
	}
	return w.entry(Header{Name: n, Mode: TypeReg | uint32(perm.Perm()), NLink: 1, Size: uint32(len(data))}, data)
}

// Symlink adds a symbolic link name -> target.
func (w *Writer) Symlink(name, target string) error {
	n, err := w.leaf(name)
	if err != nil {
		return err
	}
	return w.entry(Header{Name: n, Mode: TypeSymlink | 0o777, NLink: 1, Size: uint32(len(target))}, []byte(target))
}

// CharDev adds a character device node, e.g. CharDev("dev/console", 0o600, 5, 1).
func (w *Writer) CharDev(name string, perm fs.FileMode, major, minor uint32) error {
	n, err := w.leaf(name)
	if err != nil {
		return err
	}
	return w.entry(Header{Name: n, Mode: TypeChar | uint32(perm.Perm()), NLink: 1, RDevMajor: major, RDevMinor: minor}, nil)
}

func (w *Writer) leaf(name string) (string, error) {
	n, err := clean(name)
	if err != nil {
		return "", err
	}
	if w.seen[n] {
		return "", fmt.Errorf("initramfs: duplicate entry %q", n)
	}
	if err := w.parents(n); err != nil {
		return "", err
	}
	w.seen[n] = true
	return n, nil
}

func (w *Writer) parents(n string) error {
	if d := path.Dir(n); d != "." && !w.seen[d] {
		return w.Dir(d, 0o755)
	}
	return nil
}

// entry writes one header, name and data, each padded to 4 bytes.
func (w *Writer) entry(h Header, data []byte) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("initramfs: write after Close")
	}
	if h.Name != trailer {
		w.ino++
		h.Inode = w.ino
	}
	fields := [...]uint32{h.Inode, h.Mode, h.UID, h.GID, h.NLink, h.MTime, h.Size,
		h.DevMajor, h.DevMinor, h.RDevMajor, h.RDevMinor, uint32(len(h.Name) + 1), 0}
	buf := make([]byte, 0, hdrLen+len(h.Name)+4)
	buf = append(buf, magic...)
	for _, f := range fields {
		buf = fmt.Appendf(buf, "%08X", f)
	}
	buf = append(buf, h.Name...)
	buf = append(buf, 0)
	buf = pad(buf, len(buf))
	w.write(buf)
	w.write(data)
	w.write(make([]byte, padLen(len(data))))
	return w.err
}

func (w *Writer) write(b []byte) {
	if w.err != nil {
		return
	}
	n, err := w.w.Write(b)
	w.off += int64(n)
	w.err = err
}

func padLen(n int) int { return (4 - n%4) % 4 }

func pad(b []byte, n int) []byte { return append(b, make([]byte, padLen(n))...) }

// Close writes the trailer entry and flushes. It does not close the
// underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	if err := w.entry(Header{Name: trailer, NLink: 1}, nil); err != nil {
		return err
	}
	w.closed = true
	// Pad the archive to a 512-byte block like GNU cpio; the kernel ignores
	// trailing zeros.
	if r := w.off % 512; r != 0 {
		w.write(make([]byte, 512-r))
	}
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

// Reader reads a newc archive, entry by entry.
type Reader struct {
	r    *bufio.Reader
	off  int64
	done bool
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReader(r)} }

// Next returns the next entry and its data. It returns io.EOF after the
// trailer.
func (r *Reader) Next() (*Header, []byte, error) {
	if r.done {
		return nil, nil, io.EOF
	}
	var hdr [hdrLen]byte
	if _, err := r.read(hdr[:]); err != nil {
		return nil, nil, fmt.Errorf("initramfs: header at %d: %w", r.off, err)
	}
	if string(hdr[:6]) != magic {
		return nil, nil, fmt.Errorf("initramfs: bad magic %q at offset %d", hdr[:6], r.off-hdrLen)
	}
	var f [13]uint32
	for i := range f {
		v, err := strconv.ParseUint(string(hdr[6+8*i:14+8*i]), 16, 32)
		if err != nil {
			return nil, nil, fmt.Errorf("initramfs: field %d: %w", i, err)
		}
		f[i] = uint32(v)
	}
	h := &Header{Inode: f[0], Mode: f[1], UID: f[2], GID: f[3], NLink: f[4], MTime: f[5], Size: f[6],
		DevMajor: f[7], DevMinor: f[8], RDevMajor: f[9], RDevMinor: f[10]}
	nameLen := int(f[11])
	if nameLen < 1 || nameLen > 4096 {
		return nil, nil, fmt.Errorf("initramfs: bad name size %d", nameLen)
	}
	name := make([]byte, nameLen+padLen(hdrLen+nameLen))
	if _, err := r.read(name); err != nil {
		return nil, nil, err
	}
	if name[nameLen-1] != 0 {
		return nil, nil, errors.New("initramfs: name not NUL-terminated")
	}
	h.Name = string(name[:nameLen-1])
	data := make([]byte, int(h.Size)+padLen(int(h.Size)))
	if _, err := r.read(data); err != nil {
		return nil, nil, fmt.Errorf("initramfs: %s: data: %w", h.Name, err)
	}
	if h.Name == trailer {
		r.done = true
		return nil, nil, io.EOF
	}
	return h, data[:h.Size], nil
}

func (r *Reader) read(b []byte) (int, error) {
	n, err := io.ReadFull(r.r, b)
	r.off += int64(n)
	return n, err
}
