package wazero_test

import (
	"context"
	"fmt"
	"os"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

// Example shows what generated bindings do with the adapter: define the
// host module the guest imports, instantiate the guest with per-instance
// data and its start function, look exports up once, and call them with a
// reusable stack.
func Example() {
	ctx := context.Background()
	rt, err := wazeroadapter.NewRuntime(ctx, wazeroadapter.Config{Interpreter: true})
	if err != nil {
		panic(err)
	}
	defer rt.Close(ctx)

	i32 := ra.ValueTypeI32
	type hostState struct{ calls int }
	err = rt.DefineHostModule(ctx, "host", []ra.HostFuncDef{
		{Name: "add", Params: []ra.ValueType{i32, i32}, Results: []ra.ValueType{i32},
			Func: func(ctx context.Context, caller ra.Instance, stack []uint64) error {
				caller.Data().(*hostState).calls++
				stack[0] = ra.EncodeU32(ra.DecodeU32(stack[0]) + ra.DecodeU32(stack[1]))
				return nil
			}},
		{Name: "fail", Func: func(context.Context, ra.Instance, []uint64) error { return fmt.Errorf("failed") }},
		{Name: "init", Func: func(context.Context, ra.Instance, []uint64) error { return nil }},
	})
	if err != nil {
		panic(err)
	}

	wasm, err := os.ReadFile("../testdata/guest.wasm")
	if err != nil {
		panic(err)
	}
	cm, err := rt.Compile(ctx, wasm)
	if err != nil {
		panic(err)
	}
	st := &hostState{}
	inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{Data: st, StartFunctions: []string{"_initialize"}})
	if err != nil {
		panic(err)
	}
	defer inst.Close(ctx)

	callHostAdd, err := ra.RequireFunction(inst, "call-host-add", []ra.ValueType{i32, i32}, []ra.ValueType{i32})
	if err != nil {
		panic(err)
	}
	stack := make([]uint64, 2)
	stack[0], stack[1] = 40, 2
	if err := callHostAdd.Call(ctx, stack); err != nil {
		panic(err)
	}
	fmt.Println(ra.DecodeU32(stack[0]), st.calls)

	// Strings go through the guest's cabi_realloc.
	realloc := inst.Function("cabi_realloc")
	scratch := make([]uint64, 4)
	ptr, n, err := ra.LowerString(ctx, inst.Memory(), realloc, scratch, "héllo")
	if err != nil {
		panic(err)
	}
	s, err := ra.LiftString(inst.Memory(), ptr, n)
	fmt.Println(s, n, err)

	err = inst.Function("call-fail").Call(ctx, nil)
	fmt.Println(err != nil)
	// Output:
	// 42 1
	// héllo 6 <nil>
	// true
}
