package main

import (
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app"
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app/placeholder"
)

// newApp picks the program /init runs. This is the one line to change when
// the demo host lands: return its app.App implementation instead.
func newApp() app.App { return placeholder.New() }
