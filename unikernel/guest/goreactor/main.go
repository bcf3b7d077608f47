//go:build wasip1

// Command goreactor is a standard-Go WebAssembly reactor used to measure
// what a realistically sized guest (about 2 MB) costs inside the VM.
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o goreactor.wasm ./unikernel/guest/goreactor
package main

//go:wasmexport hello
func hello() int32 { return 42 }

func main() {}
