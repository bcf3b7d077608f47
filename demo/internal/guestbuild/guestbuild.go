// Package guestbuild is demo/guestbuild under its former internal path,
// for the tests that still import it.
package guestbuild

import (
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/demo/guestbuild"
)

// RepoRoot is guestbuild.RepoRoot.
func RepoRoot() string { return guestbuild.RepoRoot() }

// CacheDir is guestbuild.CacheDir.
func CacheDir() string { return guestbuild.CacheDir() }

// Build is guestbuild.Build.
func Build(t testing.TB, name string) []byte {
	t.Helper()
	return guestbuild.Build(t, name)
}
