package wasmtime_test

import (
	"context"
	"fmt"
	"os"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime"
)

// Generated bindings take a runtimeadapters.Runtime; this is how a host
// creates the wasmtime one, defines a host module and calls an export.
func Example() {
	ctx := context.Background()
	rt, err := wasmtime.NewRuntime(wasmtime.Config{})
	if err != nil {
		panic(err)
	}
	defer rt.Close(ctx)

	i32 := ra.ValueTypeI32
	err = rt.DefineHostModule(ctx, "host", []ra.HostFuncDef{
		{Name: "add", Params: []ra.ValueType{i32, i32}, Results: []ra.ValueType{i32},
			Func: func(ctx context.Context, caller ra.Instance, stack []uint64) error {
				stack[0] = ra.EncodeU32(ra.DecodeU32(stack[0]) + ra.DecodeU32(stack[1]))
				return nil
			}},
		{Name: "fail", Func: func(context.Context, ra.Instance, []uint64) error { return nil }},
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
	inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{StartFunctions: []string{"_initialize"}})
	if err != nil {
		panic(err)
	}
	defer inst.Close(ctx)

	add, err := ra.RequireFunction(inst, "call-host-add", []ra.ValueType{i32, i32}, []ra.ValueType{i32})
	if err != nil {
		panic(err)
	}
	stack := []uint64{40, 2}
	if err := add.Call(ctx, stack); err != nil {
		panic(err)
	}
	fmt.Println(ra.DecodeU32(stack[0]))
	// Output: 42
}
