package main

import (
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app"
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app/demoapp"
)

// newApp picks the program /init runs: the demo host.
func newApp() app.App { return demoapp.New() }
