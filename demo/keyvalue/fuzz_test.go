package keyvalue

import (
	"strings"
	"testing"
)

// FuzzKeyFileName checks that every key ValidateKey accepts maps to a single
// plain file name inside the container directory.
func FuzzKeyFileName(f *testing.F) {
	for _, s := range []string{"key", "../x", "/abs", "a/b", "..", ".", "a\\..\\b", strings.Repeat("z", 300), "ü/..ä"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if (Limits{}).ValidateKey(key) != nil {
			return
		}
		name, _ := fileName(key)
		if name == "" || name == "." || name == ".." || len(name) > 255 ||
			strings.ContainsAny(name, "/\\\x00") || strings.HasPrefix(name, tempPrefix) {
			t.Fatalf("key %q maps to unsafe file name %q", key, name)
		}
		if strings.HasPrefix(key, "/") || strings.Contains("/"+key+"/", "/../") {
			t.Fatalf("path-like key accepted: %q", key)
		}
	})
}
