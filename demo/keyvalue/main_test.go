package keyvalue

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	SetRedisLog(nil) // the tests stop Redis on purpose
	os.Exit(m.Run())
}
