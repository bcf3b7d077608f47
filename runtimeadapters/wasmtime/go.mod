module github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime

go 1.26.0

require (
	github.com/wasmhost/wit-bindgen-go-host v0.0.0
	pgregory.net/rapid v1.3.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/redis/go-redis/v9 v9.23.0 // indirect
	go.uber.org/atomic v1.12.0 // indirect
)

require (
	github.com/bytecodealliance/wasmtime-go/v39 v39.0.1
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/sys v0.48.0 // indirect
)

replace github.com/wasmhost/wit-bindgen-go-host => ../..
