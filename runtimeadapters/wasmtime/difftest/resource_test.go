package difftest

// The kitchen-sink world's resources, differentially: random sequences of
// resource operations on the oracle (wasmtime's native component model,
// handles through wasmtime_component_resource_any_t /
// wasmtime_component_resource_host_t, host resource type through
// wasmtime_component_linker_instance_add_resource) and on the generated
// bindings on the three engines. See TestResourceDifferential.

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
)

// blobType is the oracle's host number for resource blob.
const blobType = 1

func fnOf(name string, result *typ, params ...field) fn { return fn{name, params, result} }

var (
	tBytes = list(tU8)

	// blobImports are the host interface's resource functions.
	blobImports = []fn{
		fnOf("[constructor]blob", own("blob"), field{"init", tBytes}),
		fnOf("[method]blob.size", tU32, field{"self", borrow("blob")}),
		fnOf("[method]blob.read", tBytes, field{"self", borrow("blob")}, field{"offset", tU32}, field{"len", tU32}),
		fnOf("[method]blob.append", nil, field{"self", borrow("blob")}, field{"data", tBytes}),
		fnOf("[static]blob.merge", own("blob"), field{"a", borrow("blob")}, field{"b", borrow("blob")}),
		fnOf("make-blob", own("blob"), field{"data", tBytes}),
		fnOf("blob-len", tU32, field{"b", borrow("blob")}),
		fnOf("consume-blob", tBytes, field{"b", own("blob")}),
		fnOf("echo-blob", own("blob"), field{"b", own("blob")}),
	}

	// resourceExports are the guest interface's resource functions.
	resourceExports = []fn{
		fnOf("[constructor]counter", own("counter"), field{"start", tU32}),
		fnOf("[method]counter.get", tU32, field{"self", borrow("counter")}),
		fnOf("[method]counter.increment", tU32, field{"self", borrow("counter")}, field{"by", tU32}),
		fnOf("[method]counter.label", tString, field{"self", borrow("counter")}),
		fnOf("[static]counter.zero", own("counter")),
		fnOf("[static]counter.merge", own("counter"), field{"a", borrow("counter")}, field{"b", borrow("counter")}),
		fnOf("consume-counter", tU32, field{"c", own("counter")}),
		fnOf("blob-roundtrip", tBytes, field{"data", tBytes}),
		fnOf("blob-size", tU32, field{"b", borrow("blob")}),
		fnOf("blob-take", tBytes, field{"b", own("blob")}),
		fnOf("blob-pass", own("blob"), field{"b", own("blob")}),
		fnOf("blob-merge", own("blob"), field{"a", borrow("blob")}, field{"b", borrow("blob")}),
		fnOf("blob-make", own("blob"), field{"data", tBytes}),
		fnOf("blob-consume", tBytes, field{"data", tBytes}),
		fnOf("blob-len", tU32, field{"b", borrow("blob")}),
	}
)

// blobStore is the host's side of resource blob, the same logic behind
// both hosts (the oracle's host functions and the bindings' ks.Host), so
// that any difference comes from the canonical ABI underneath: blobs are
// numbered 1, 2, ... in creation order, and every destructor call (the
// guest dropping an own handle) is logged.
type blobStore struct {
	next  uint32
	data  map[uint32][]byte
	drops []uint32 // ids, in destructor-call order
}

func (s *blobStore) create(data []byte) uint32 {
	if s.data == nil {
		s.data = map[uint32][]byte{}
	}
	s.next++
	s.data[s.next] = slices.Clone(data)
	return s.next
}

func (s *blobStore) get(id uint32) ([]byte, error) {
	d, ok := s.data[id]
	if !ok {
		return nil, fmt.Errorf("no live blob %d", id)
	}
	return d, nil
}

func (s *blobStore) read(id, off, n uint32) ([]byte, error) {
	d, err := s.get(id)
	if err != nil {
		return nil, err
	}
	if uint64(off)+uint64(n) > uint64(len(d)) {
		return nil, fmt.Errorf("blob %d: read %d+%d beyond %d", id, off, n, len(d))
	}
	return slices.Clone(d[off : off+n]), nil
}

func (s *blobStore) append(id uint32, more []byte) error {
	d, err := s.get(id)
	if err != nil {
		return err
	}
	s.data[id] = append(d, more...)
	return nil
}

func (s *blobStore) merge(a, b uint32) (uint32, error) {
	da, err := s.get(a)
	if err != nil {
		return 0, err
	}
	db, err := s.get(b)
	if err != nil {
		return 0, err
	}
	return s.create(append(slices.Clone(da), db...)), nil
}

// consume takes blob id out of the store (the host owns it and is done
// with it), returning its data.
func (s *blobStore) consume(id uint32) ([]byte, error) {
	d, err := s.get(id)
	if err != nil {
		return nil, err
	}
	delete(s.data, id)
	return d, nil
}

// drop is the destructor: the guest dropped its own handle.
func (s *blobStore) drop(id uint32) error {
	if _, err := s.get(id); err != nil {
		return fmt.Errorf("destructor: %w", err)
	}
	delete(s.data, id)
	s.drops = append(s.drops, id)
	return nil
}

// ---- the oracle's host functions for blob ----

func bytesOf(v co.Value) []byte {
	b := make([]byte, len(v.Elems))
	for i, e := range v.Elems {
		b[i] = byte(e.Uint)
	}
	return b
}

// hostRep returns the host blob id of handle v, which must be a host
// resource of type blob.
func hostRep(v co.Value) (uint32, error) {
	if v.Kind != co.KindResource || v.Res == nil || !v.Res.Host || v.Res.Type != blobType {
		return 0, fmt.Errorf("not a blob handle: %v", v)
	}
	return v.Res.Rep, nil
}

func oracleBlobFuncs(s *blobStore) map[string]co.HostFunc {
	one := func(v co.Value) []co.Value { return []co.Value{v} }
	return map[string]co.HostFunc{
		"[constructor]blob": func(args []co.Value) ([]co.Value, error) {
			return one(co.HostOwn(s.create(bytesOf(args[0])), blobType)), nil
		},
		"[method]blob.size": func(args []co.Value) ([]co.Value, error) {
			id, err := hostRep(args[0])
			if err != nil {
				return nil, err
			}
			d, err := s.get(id)
			return one(co.U32(uint32(len(d)))), err
		},
		"[method]blob.read": func(args []co.Value) ([]co.Value, error) {
			id, err := hostRep(args[0])
			if err != nil {
				return nil, err
			}
			d, err := s.read(id, uint32(args[1].Uint), uint32(args[2].Uint))
			return one(co.Bytes(d)), err
		},
		"[method]blob.append": func(args []co.Value) ([]co.Value, error) {
			id, err := hostRep(args[0])
			if err != nil {
				return nil, err
			}
			return nil, s.append(id, bytesOf(args[1]))
		},
		"[static]blob.merge": func(args []co.Value) ([]co.Value, error) {
			a, err := hostRep(args[0])
			if err != nil {
				return nil, err
			}
			b, err := hostRep(args[1])
			if err != nil {
				return nil, err
			}
			m, err := s.merge(a, b)
			return one(co.HostOwn(m, blobType)), err
		},
		"make-blob": func(args []co.Value) ([]co.Value, error) {
			return one(co.HostOwn(s.create(bytesOf(args[0])), blobType)), nil
		},
		"blob-len": func(args []co.Value) ([]co.Value, error) {
			id, err := hostRep(args[0])
			if err != nil {
				return nil, err
			}
			d, err := s.get(id)
			return one(co.U32(uint32(len(d)))), err
		},
		"consume-blob": func(args []co.Value) ([]co.Value, error) {
			if !args[0].Res.Own {
				return nil, fmt.Errorf("consume-blob got a borrow")
			}
			id, err := hostRep(args[0])
			if err != nil {
				return nil, err
			}
			d, err := s.consume(id)
			return one(co.Bytes(d)), err
		},
		"echo-blob": func(args []co.Value) ([]co.Value, error) {
			if !args[0].Res.Own {
				return nil, fmt.Errorf("echo-blob got a borrow")
			}
			id, err := hostRep(args[0])
			return one(co.HostOwn(id, blobType)), err
		},
	}
}

// ---- the bindings' host for blob (methods of recHost) ----

// hostBlob is the bindings' Go value for a blob.
type hostBlob struct {
	ks.UnimplementedBlob
	s  *blobStore
	id uint32
}

func (b *hostBlob) Size(ctx context.Context) (uint32, error) {
	d, err := b.s.get(b.id)
	return uint32(len(d)), err
}

func (b *hostBlob) Read(ctx context.Context, off, n uint32) ([]byte, error) {
	return b.s.read(b.id, off, n)
}

func (b *hostBlob) Append(ctx context.Context, data []byte) error { return b.s.append(b.id, data) }

func (b *hostBlob) Drop(ctx context.Context) error { return b.s.drop(b.id) }

func (h *recHost) blob(id uint32) ks.Blob { return &hostBlob{s: &h.blobs, id: id} }

func blobID(b ks.Blob) (uint32, error) {
	hb, ok := b.(*hostBlob)
	if !ok || hb == nil {
		return 0, fmt.Errorf("not a blob of this host: %#v", b)
	}
	return hb.id, nil
}

func (h *recHost) NewBlob(ctx context.Context, init []byte) (ks.Blob, error) {
	return h.blob(h.blobs.create(init)), nil
}

func (h *recHost) BlobMerge(ctx context.Context, a, b ks.Blob) (ks.Blob, error) {
	ia, err := blobID(a)
	if err != nil {
		return nil, err
	}
	ib, err := blobID(b)
	if err != nil {
		return nil, err
	}
	m, err := h.blobs.merge(ia, ib)
	return h.blob(m), err
}

func (h *recHost) MakeBlob(ctx context.Context, data []byte) (ks.Blob, error) {
	return h.blob(h.blobs.create(data)), nil
}

func (h *recHost) BlobLen(ctx context.Context, b ks.Blob) (uint32, error) {
	return b.Size(ctx)
}

func (h *recHost) ConsumeBlob(ctx context.Context, b ks.Blob) ([]byte, error) {
	id, err := blobID(b)
	if err != nil {
		return nil, err
	}
	return h.blobs.consume(id)
}

func (h *recHost) EchoBlob(ctx context.Context, b ks.Blob) (ks.Blob, error) {
	if _, err := blobID(b); err != nil {
		return nil, err
	}
	return b, nil
}

// sameBytes compares byte lists, nil equal to empty.
func sameBytes(a, b []byte) bool { return bytes.Equal(a, b) }
