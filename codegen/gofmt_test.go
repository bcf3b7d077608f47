package codegen_test

import (
	"bytes"
	"go/format"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// TestOutputIsGofmtStable checks that gofmt leaves generated files alone,
// including doc comments that gofmt would rewrite (a lone capitalised line
// between blank lines reads as an old-style heading).
func TestOutputIsGofmtStable(t *testing.T) {
	const src = `package test:docs@0.1.0;

interface store {
  /// A bucket of keys.
  ///
  /// In this interface, we use the term bucket for a collection
  ///
  /// More text follows here.
  resource bucket {
    get: func(key: string) -> option<list<u8>>;
  }

  /// Opens a bucket.
  ///
  /// Notes on opening
  ///
  /// Done.
  open: func(name: string) -> bucket;
}

world docs {
  import store;
  export store;
}
`
	r, pkg, err := parser.LoadSource("docs.wit", []byte(src), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := parser.SelectWorld(r, pkg, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, gen := range map[string]func(*wit.Resolve, *wit.World, codegen.Options) ([]codegen.File, error){
		"host": codegen.Generate, "guest": codegen.GenerateGuest,
	} {
		files, err := gen(r, w, codegen.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range files {
			formatted, err := format.Source(f.Content)
			if err != nil {
				t.Fatalf("%s %s: %v", name, f.Name, err)
			}
			if !bytes.Equal(formatted, f.Content) {
				t.Errorf("%s %s: gofmt changes the generated file", name, f.Name)
			}
		}
	}
}
