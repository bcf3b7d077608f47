// Command wit-bindgen-go-host reads WIT (WebAssembly Interface Types) and
// generates Go host bindings for WebAssembly guests.
//
// Usage:
//
//	wit-bindgen-go-host wit [--json] [--world W] [--features a,b | --all-features] PATH
//	wit-bindgen-go-host generate [--world W] [--out DIR] [--package NAME] [--features a,b | --all-features] PATH
//
// PATH is a .wit file or a directory package (with an optional deps/
// folder). With go:generate:
//
//	//go:generate go run github.com/wasmhost/wit-bindgen-go-host/cmd/wit-bindgen-go-host generate --out bindings ./wit
//
// Errors are printed as "path:line:col: message" followed by the source line
// and a caret, and the command exits with status 1.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is the release of wit-bindgen-go-host.
const version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status. A panic in
// any layer is reported as an internal error, never as a stack trace.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "wit-bindgen-go-host: internal error: %v\nPlease report this with the input that caused it.\n", r)
			status = 2
		}
	}()
	cmd := newRootCmd()
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
