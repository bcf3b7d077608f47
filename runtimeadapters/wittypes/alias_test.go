package wittypes_test

import (
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wittypes"
)

type point struct{ X, Y int }

// TestAliases checks that runtimeadapters' names are the same types, and
// that with runtimeadapters linked formatting is fmt's %v.
func TestAliases(t *testing.T) {
	var o wittypes.Option[int] = runtimeadapters.Some(1)
	var r runtimeadapters.Result[string, uint8] = wittypes.Err[string](uint8(2))
	var e *wittypes.WITError[int] = runtimeadapters.NewWITError(3)
	for _, c := range []struct{ got, want string }{
		{o.String(), "some(1)"},
		{r.String(), "err(2)"},
		{e.Error(), "wit error: 3"},
		{wittypes.Some(point{1, 2}).String(), "some({1 2})"},
		{runtimeadapters.OK[[]byte, struct{}]([]byte{1}).String(), "ok([1])"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
