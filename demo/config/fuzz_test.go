package config

import (
	"regexp"
	"testing"
)

var errPrefix = regexp.MustCompile(`^f\.toml:[0-9]+: `)

// FuzzParse checks that Parse never panics and that every error names the
// file and a line.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"[http]\nlisten = \"127.0.0.1:3000\"\n",
		"[[keyvalue.container]]\nname = \"c\"\nbackend = \"filesystem\"\ndir = 'x'\n",
		"[keyvalue]\nmax_key = \"1KiB\" # c\n",
		"[http]\nx = \"\\u00e9\\U0001F600\"",
		"[http]\ninstances = 0b101\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("f.toml", "/base", data)
		if err != nil && !errPrefix.MatchString(err.Error()) {
			t.Fatalf("error without file:line: %v", err)
		}
	})
}
