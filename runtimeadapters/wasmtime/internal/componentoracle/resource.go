package componentoracle

// Resources: own and borrow handles (wasmtime/component/val.h,
// wasmtime_component_resource_any_t and wasmtime_component_resource_host_t)
// and host-defined resource types (wasmtime/component/linker.h,
// wasmtime_component_linker_instance_add_resource).

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/cgo"
)

// KindResource is an own or borrow handle (WASMTIME_COMPONENT_RESOURCE).
const KindResource Kind = 21

// ResourceDef declares a host-defined resource type in a linker instance
// (Linker.DefineInstance). Type is the host's number for it
// (wasmtime_component_resource_type_new_host); Drop, if not nil, runs when
// the guest drops its last own handle to a resource of the type
// ([resource-drop] in the guest); an error traps the guest.
type ResourceDef struct {
	Name string
	Type uint32
	Drop func(rep uint32) error
}

//export coResourceDrop
func coResourceDrop(h C.uintptr_t, rep C.uint32_t) (msg *C.char) {
	r := cgo.Handle(h).Value().(*ResourceDef)
	defer func() {
		if p := recover(); p != nil {
			msg = C.CString(fmt.Sprintf("destructor of resource %s panicked: %v", r.Name, p))
		}
	}()
	if r.Drop == nil {
		return nil
	}
	if err := r.Drop(uint32(rep)); err != nil {
		return C.CString(fmt.Sprintf("destructor of resource %s: %v", r.Name, err))
	}
	return nil
}

// Resource is a handle to a resource.
//
// A host resource (Host true) is the host's own number Rep of host type
// Type; it is what a host function receives for a handle to a
// host-defined resource, and what the host passes to give the guest one
// (HostOwn, HostBorrow). Receiving an own handle takes it out of the
// store: the host is then responsible for it (wasmtime calls the
// ResourceDef's Drop only for handles the guest drops).
//
// A guest resource is one the guest defined (its exports return it); the
// host keeps the handle and passes it back to the guest as an own (giving
// it away) or as a borrow (lending it for one call), and ends it with
// Instance.Drop, which runs the guest's destructor.
type Resource struct {
	Host      bool
	Own       bool
	Rep, Type uint32 // host resources only
	any       *C.wasmtime_component_resource_any_t
}

// HostOwn is an own handle to host resource rep of host type ty.
func HostOwn(rep, ty uint32) Value {
	return Value{Kind: KindResource, Res: &Resource{Host: true, Own: true, Rep: rep, Type: ty}}
}

// HostBorrow is a borrow handle to host resource rep of host type ty.
func HostBorrow(rep, ty uint32) Value {
	return Value{Kind: KindResource, Res: &Resource{Host: true, Rep: rep, Type: ty}}
}

// Handle is r as a value (the same handle: giving it away as an own moves
// it, and r cannot be used afterwards).
func (r *Resource) Handle() Value { return Value{Kind: KindResource, Res: r} }

// Borrow is a borrow of guest resource r, to lend it for one call. wasmtime
// lowers an own handle into a borrow parameter by lending it, so this is r
// itself; it is spelled out for readability and for the type check.
func (r *Resource) Borrow() Value { return r.Handle() }

func (r *Resource) String() string {
	if r == nil {
		return "<nil resource>"
	}
	kind := "borrow"
	if r.Own {
		kind = "own"
	}
	if r.Host {
		return fmt.Sprintf("%s<host %d:%d>", kind, r.Type, r.Rep)
	}
	return fmt.Sprintf("%s<guest %p>", kind, r.any)
}

// conv is the state of one conversion of Go values into wasmtime values.
type conv struct {
	ctx *C.wasmtime_context_t
	// lent are own handles made for host borrows, to take back after the
	// call (see toAny).
	lent []*C.wasmtime_component_resource_any_t
}

// takeBack takes the host's lent handles out of the store again
// (any_to_host on an own handle removes it from the store's table).
func (cv *conv) takeBack() {
	for _, p := range cv.lent {
		var h *C.wasmtime_component_resource_host_t
		if cerr := C.wasmtime_component_resource_any_to_host(cv.ctx, p, &h); cerr != nil {
			C.wasmtime_error_delete(cerr)
		} else {
			C.wasmtime_component_resource_host_delete(h)
		}
		C.wasmtime_component_resource_any_delete(p)
	}
	cv.lent = nil
}

// toAny converts r for a wasmtime value slot: a new
// wasmtime_component_resource_any_t that the slot owns.
//
// A host borrow is passed as an own handle that the host lends for the
// call and takes back afterwards: wasmtime v39's
// wasmtime_component_resource_host_to_any panics on a borrow outside a
// host call (resources.rs:314, unwrap of None: there is no call scope to
// record the borrow in), which aborts the process. Lowering an own handle
// into a borrow<T> parameter lends it (CanonicalABI.md lower_borrow), so
// the guest sees the same thing.
func (r *Resource) toAny(cv *conv) (*C.wasmtime_component_resource_any_t, error) {
	ctx := cv.ctx
	if r == nil {
		return nil, errors.New("nil resource")
	}
	if !r.Host {
		if r.any == nil {
			return nil, errors.New("guest resource without a handle")
		}
		return C.wasmtime_component_resource_any_clone(r.any), nil
	}
	h := C.wasmtime_component_resource_host_new(true, C.uint32_t(r.Rep), C.uint32_t(r.Type))
	defer C.wasmtime_component_resource_host_delete(h)
	var p *C.wasmtime_component_resource_any_t
	if cerr := C.wasmtime_component_resource_host_to_any(ctx, h, &p); cerr != nil {
		return nil, fmt.Errorf("host resource %v: %s", r, errorMessage(cerr))
	}
	if !r.Own {
		cv.lent = append(cv.lent, C.wasmtime_component_resource_any_clone(p))
	}
	return p, nil
}

// resourceFromC converts a handle received from wasmtime (p stays owned by
// its value slot). A host-defined resource is converted to the host's rep,
// which, for an own handle, takes it out of the store's table (val.h: a
// resource must be converted to a host resource or dropped); a guest
// resource is kept as a clone of the handle.
func resourceFromC(ctx *C.wasmtime_context_t, p *C.wasmtime_component_resource_any_t) (*Resource, error) {
	if p == nil {
		return nil, errors.New("nil resource handle")
	}
	r := &Resource{Own: bool(C.wasmtime_component_resource_any_owned(p))}
	var h *C.wasmtime_component_resource_host_t
	if cerr := C.wasmtime_component_resource_any_to_host(ctx, p, &h); cerr == nil {
		r.Host = true
		r.Rep = uint32(C.wasmtime_component_resource_host_rep(h))
		r.Type = uint32(C.wasmtime_component_resource_host_type(h))
		r.Own = bool(C.wasmtime_component_resource_host_owned(h))
		C.wasmtime_component_resource_host_delete(h)
		return r, nil
	} else {
		// A guest-defined resource: any_to_host refuses it.
		C.wasmtime_error_delete(cerr)
	}
	r.any = C.wasmtime_component_resource_any_clone(p)
	runtime.AddCleanup(r, func(p *C.wasmtime_component_resource_any_t) {
		C.wasmtime_component_resource_any_delete(p)
	}, r.any)
	return r, nil
}

// Drop drops the host's own handle r to a guest resource
// (wasmtime_component_resource_any_drop): the guest's destructor runs.
// Dropping a handle given away, or twice, is an error from wasmtime.
func (i *Instance) Drop(r *Resource) error {
	if i.store == nil {
		return errors.New("componentoracle: instance is closed")
	}
	if r == nil || r.Host || r.any == nil {
		return fmt.Errorf("componentoracle: drop %v: not a guest resource handle", r)
	}
	if cerr := C.wasmtime_component_resource_any_drop(i.ctx, r.any); cerr != nil {
		return fmt.Errorf("componentoracle: drop %v: %s", r, errorMessage(cerr))
	}
	return nil
}

// resourceTypeOf returns r's resource type (to be deleted by the caller).
func resourceTypeOf(r *Resource) *C.wasmtime_component_resource_type_t {
	if r.Host {
		return C.wasmtime_component_resource_type_new_host(C.uint32_t(r.Type))
	}
	return C.wasmtime_component_resource_any_type(r.any)
}

// hostBorrowToAny converts a host borrow of (rep, ty) the direct way, with
// wasmtime_component_resource_host_to_any outside any call: the call toAny
// avoids, kept for the regression test of that wasmtime bug
// (TestWasmtimeHostBorrowToAnyAborts). It aborts the process in v39.
func (i *Instance) hostBorrowToAny(rep, ty uint32) error {
	h := C.wasmtime_component_resource_host_new(false, C.uint32_t(rep), C.uint32_t(ty))
	defer C.wasmtime_component_resource_host_delete(h)
	var p *C.wasmtime_component_resource_any_t
	if cerr := C.wasmtime_component_resource_host_to_any(i.ctx, h, &p); cerr != nil {
		return fmt.Errorf("host_to_any: %s", errorMessage(cerr))
	}
	C.wasmtime_component_resource_any_delete(p)
	return nil
}
