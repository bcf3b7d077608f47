package runtimeadapters

import (
	"context"
	"errors"
	"fmt"
)

// MaxHandles bounds the number of live handles in one HandleSpace, so a guest
// that creates resources in a loop gets an error instead of exhausting host
// memory. It equals the canonical ABI table's MAX_LENGTH (2^28 - 1).
const MaxHandles = 1<<28 - 1

// HandleSpace is the index space of one instance's handles. The canonical
// ABI keeps one handle table per component instance, shared by all resource
// types; give every HandleTable of an instance the same HandleSpace and a
// handle of one resource type is never a valid handle of another (the
// wrong-type check of HandleTable.get). Index 0 is never used. Freed
// indices are reused last-in first-out.
//
// A HandleSpace is not safe for concurrent use (neither is the instance it
// belongs to).
type HandleSpace struct {
	owner []handleOwner // index -> table holding it; nil when free; [0] unused
	free  []uint32
	live  int
}

type handleOwner interface{ resourceName() string }

// NewHandleSpace returns an empty handle space.
func NewHandleSpace() *HandleSpace { return &HandleSpace{owner: make([]handleOwner, 1)} }

// Len is the number of live handles of all tables in the space.
func (s *HandleSpace) Len() int { return s.live }

func (s *HandleSpace) alloc(o handleOwner) (uint32, bool) {
	if s.live >= MaxHandles {
		return 0, false
	}
	s.live++
	if n := len(s.free); n > 0 {
		h := s.free[n-1]
		s.free = s.free[:n-1]
		s.owner[h] = o
		return h, true
	}
	s.owner = append(s.owner, o)
	return uint32(len(s.owner) - 1), true
}

func (s *HandleSpace) release(h uint32) {
	s.owner[h] = nil
	s.free = append(s.free, h)
	s.live--
}

func (s *HandleSpace) ownerOf(h uint32) handleOwner {
	if uint64(h) < uint64(len(s.owner)) {
		return s.owner[h]
	}
	return nil
}

type handleKind uint8

const (
	kindFree handleKind = iota
	kindOwn
	kindBorrow
)

type slot[T any] struct {
	rep   T
	kind  handleKind
	lends uint32 // outstanding borrows lent from an own handle
	gen   uint32 // bumped whenever the slot is freed, to validate Tokens
}

// Token identifies one lend (HandleTable.Lend) or one borrow handle
// (HandleTable.LowerBorrow) so that ending it later cannot touch a handle
// that reused the same index. The zero Token is valid to end and does
// nothing.
type Token struct {
	h, gen uint32
}

// Handle is the handle index the token refers to (0 for the zero Token).
func (t Token) Handle() uint32 { return t.h }

// HandleTable maps handle indices (the i32 values guests see) to host
// representations of one resource type, with the canonical ABI's own/borrow
// rules (CanonicalABI.md: HandleTable, lift_own, lift_borrow, lower_own,
// lower_borrow, canon resource.new/rep/drop):
//
//   - handle 0 is never valid; freed indices are reused LIFO;
//   - an own handle that has lent borrows (Lend) cannot be taken or
//     dropped until the lends end (EndLend, when the call returns);
//   - a borrow handle given to the guest (LowerBorrow) must be dropped by
//     the guest before the call returns (EndBorrow reports it otherwise);
//   - dropping an own handle calls the destructor; dropping a borrow does
//     not;
//   - forged, already-dropped and wrong-type handles are *ABIError with
//     Kind ErrInvalidHandle, never panics.
//
// Typical uses in generated code:
//
//   - a host resource: the host's constructor result is lowered with Own;
//     a method's borrow<self> param is lifted with Lend/EndLend; an own
//     param with Take; [resource-drop] calls Drop (destructor = the host's
//     close method);
//   - a guest (exported) resource, T = uint32 rep: [resource-new] is Own,
//     [resource-rep] is Rep, [resource-drop] is Drop (destructor = the
//     guest's [dtor] export). When the host passes a borrow of such a
//     resource back to the guest that implements it, lower_borrow passes
//     the rep itself (look it up with Rep), not a new handle.
//
// A HandleTable is not safe for concurrent use.
type HandleTable[T any] struct {
	name  string
	space *HandleSpace
	slots []slot[T]
	dtor  func(ctx context.Context, rep T) error
	live  int
}

// NewHandleTable returns an empty table for the resource type named
// resource (used in error messages). space is the instance's HandleSpace;
// nil gives the table a private one. dtor, if not nil, is called by Drop on
// an own handle and by DropAll.
func NewHandleTable[T any](resource string, space *HandleSpace, dtor func(ctx context.Context, rep T) error) *HandleTable[T] {
	if space == nil {
		space = NewHandleSpace()
	}
	return &HandleTable[T]{name: resource, space: space, dtor: dtor}
}

func (t *HandleTable[T]) resourceName() string { return t.name }

// Resource is the resource type name given to NewHandleTable.
func (t *HandleTable[T]) Resource() string { return t.name }

// Len is the number of live handles (own and borrow) in this table.
func (t *HandleTable[T]) Len() int { return t.live }

func (t *HandleTable[T]) insert(rep T, kind handleKind) (uint32, error) {
	h, ok := t.space.alloc(t)
	if !ok {
		return 0, abiErr("new handle", ErrInvalidHandle, "%s: too many live handles (limit %d)", t.name, MaxHandles)
	}
	if n := int(h) + 1 - len(t.slots); n > 0 {
		t.slots = append(t.slots, make([]slot[T], n)...)
	}
	s := &t.slots[h]
	s.rep, s.kind, s.lends = rep, kind, 0
	t.live++
	return h, nil
}

func (t *HandleTable[T]) remove(h uint32) T {
	s := &t.slots[h]
	rep := s.rep
	var zero T
	s.rep, s.kind, s.lends = zero, kindFree, 0
	s.gen++
	t.live--
	t.space.release(h)
	return rep
}

// get returns the live slot for h or a descriptive error.
func (t *HandleTable[T]) get(op string, h uint32) (*slot[T], error) {
	if h == 0 {
		return nil, abiErr(op, ErrInvalidHandle, "handle 0 is never a valid %s handle", t.name)
	}
	if uint64(h) < uint64(len(t.slots)) && t.slots[h].kind != kindFree {
		return &t.slots[h], nil
	}
	if o := t.space.ownerOf(h); o != nil {
		return nil, abiErr(op, ErrInvalidHandle, "handle %d is a %s handle, not a %s handle", h, o.resourceName(), t.name)
	}
	return nil, abiErr(op, ErrInvalidHandle, "handle %d is not a live %s handle (forged or already dropped)", h, t.name)
}

// Own inserts rep as a new own handle and returns its index (lower_own, or
// canon resource.new for a guest-implemented resource). It fails only when
// the space holds MaxHandles handles.
func (t *HandleTable[T]) Own(rep T) (uint32, error) { return t.insert(rep, kindOwn) }

// Take removes own handle h and returns its representation without calling
// the destructor: ownership moves to the caller (lift_own). h must be an own
// handle with no outstanding lends.
func (t *HandleTable[T]) Take(h uint32) (T, error) {
	var zero T
	s, err := t.get("lift own", h)
	if err != nil {
		return zero, err
	}
	if s.kind != kindOwn {
		return zero, abiErr("lift own", ErrInvalidHandle, "handle %d is a borrow<%s>, not an own<%s>", h, t.name, t.name)
	}
	if s.lends != 0 {
		return zero, abiErr("lift own", ErrInvalidHandle, "own<%s> handle %d has %d outstanding borrows", t.name, h, s.lends)
	}
	return t.remove(h), nil
}

// Rep returns the representation of own or borrow handle h without changing
// anything (canon resource.rep, or a lookup that cannot outlive guest code).
func (t *HandleTable[T]) Rep(h uint32) (T, error) {
	s, err := t.get("get handle", h)
	if err != nil {
		var zero T
		return zero, err
	}
	return s.rep, nil
}

// Lend lifts h as a borrow<T> parameter for the duration of a call
// (lift_borrow): own and borrow handles are both accepted; an own handle's
// lend count is raised, so the guest cannot drop or transfer it until
// EndLend(tok) is called when the call returns. Call EndLend even if the
// host function fails.
func (t *HandleTable[T]) Lend(h uint32) (rep T, tok Token, err error) {
	s, err := t.get("lift borrow", h)
	if err != nil {
		return rep, Token{}, err
	}
	if s.kind == kindOwn {
		s.lends++
		tok = Token{h: h, gen: s.gen}
	}
	return s.rep, tok, nil
}

// EndLend ends a lend started by Lend. Ending the zero Token, or a lend
// whose handle is gone, does nothing.
func (t *HandleTable[T]) EndLend(tok Token) {
	if tok.h == 0 || uint64(tok.h) >= uint64(len(t.slots)) {
		return
	}
	s := &t.slots[tok.h]
	if s.kind == kindOwn && s.gen == tok.gen && s.lends > 0 {
		s.lends--
	}
}

// LowerBorrow inserts rep as a borrow handle for the duration of one call
// into the guest (lower_borrow). The guest must drop it (Drop) before the
// call returns; call EndBorrow(tok) after the call to check that.
func (t *HandleTable[T]) LowerBorrow(rep T) (h uint32, tok Token, err error) {
	h, err = t.insert(rep, kindBorrow)
	if err != nil {
		return 0, Token{}, err
	}
	return h, Token{h: h, gen: t.slots[h].gen}, nil
}

// EndBorrow finishes a borrow handed out by LowerBorrow when the call that
// received it returns (Call.finish_lift: trap_if(borrow_count != 0)). If the
// guest did not drop the handle, EndBorrow removes it and returns an error.
func (t *HandleTable[T]) EndBorrow(tok Token) error {
	if tok.h == 0 || uint64(tok.h) >= uint64(len(t.slots)) {
		return nil
	}
	s := &t.slots[tok.h]
	if s.kind == kindBorrow && s.gen == tok.gen {
		t.remove(tok.h)
		return abiErr("end call", ErrInvalidHandle, "guest did not drop borrow<%s> handle %d before the call returned", t.name, tok.h)
	}
	return nil
}

// Drop implements canon resource.drop: own handle h is removed and the
// destructor (if any) runs, and its error is returned; a borrow handle is
// just removed (ending the guest's obligation to drop it). An own handle with
// outstanding lends cannot be dropped.
func (t *HandleTable[T]) Drop(ctx context.Context, h uint32) error {
	s, err := t.get("drop handle", h)
	if err != nil {
		return err
	}
	if s.kind == kindBorrow {
		t.remove(h)
		return nil
	}
	if s.lends != 0 {
		return abiErr("drop handle", ErrInvalidHandle, "own<%s> handle %d has %d outstanding borrows", t.name, h, s.lends)
	}
	rep := t.remove(h)
	if t.dtor != nil {
		if err := t.dtor(ctx, rep); err != nil {
			return fmt.Errorf("destructor of %s handle %d: %w", t.name, h, err)
		}
	}
	return nil
}

// DropAll removes every handle, calling the destructor for each own handle
// regardless of lends (for instance teardown), and returns the destructors'
// errors joined.
func (t *HandleTable[T]) DropAll(ctx context.Context) error {
	var errs []error
	for h := range t.slots {
		s := &t.slots[h]
		if s.kind == kindFree {
			continue
		}
		kind := s.kind
		rep := t.remove(uint32(h))
		if kind == kindOwn && t.dtor != nil {
			if err := t.dtor(ctx, rep); err != nil {
				errs = append(errs, fmt.Errorf("destructor of %s handle %d: %w", t.name, h, err))
			}
		}
	}
	return errors.Join(errs...)
}
