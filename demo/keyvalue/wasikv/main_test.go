package wasikv

import (
	"os"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

func TestMain(m *testing.M) {
	keyvalue.SetRedisLog(nil) // the tests stop Redis on purpose
	os.Exit(m.Run())
}
