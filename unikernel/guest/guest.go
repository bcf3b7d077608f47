// Package guest holds the default guest of the unikernel image: hello.wasm,
// built from hello.wat (wat2wasm from Debian's wabt or npm's wabt). It is
// committed so that building an image needs no WebAssembly toolchain.
//
// goreactor/ is a standard-Go (GOOS=wasip1) reactor guest for trying a
// realistically sized guest: make unikernel GUEST=build/unikernel/goreactor.wasm
// after make unikernel-goreactor.
package guest

//go:generate wat2wasm hello.wat -o hello.wasm

import _ "embed"

// Hello is hello.wasm.
//
//go:embed hello.wasm
var Hello []byte
