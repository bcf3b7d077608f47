package loadtest

import (
	"errors"
	"io"
	"net/http"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

// NativeDemoHandler is the baseline the demo's throughput is measured
// against: a plain net/http handler doing the work of the demo guest's
// routes on the same store, with no WebAssembly. GET /hello writes
// "hello"; GET /get answers the value of "key" in the config's default
// container (404 "Key not found" when it is absent); PUT /set stores the
// body (at most 1 MiB) there and answers 204.
func NativeDemoHandler(store *keyvalue.Mux) http.Handler {
	h := http.NewServeMux()
	h.HandleFunc("GET /hello", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("hello")) })
	h.HandleFunc("GET /get", func(w http.ResponseWriter, req *http.Request) {
		c, err := store.Open(req.Context(), config.DefaultContainer)
		if err == nil {
			var v []byte
			if v, err = c.Get(req.Context(), "key"); err == nil {
				w.Write(v)
				return
			}
		}
		if errors.Is(err, keyvalue.ErrKeyNotFound) {
			http.Error(w, "Key not found", http.StatusNotFound)
			return
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
	})
	h.HandleFunc("PUT /set", func(w http.ResponseWriter, req *http.Request) {
		c, err := store.Open(req.Context(), config.DefaultContainer)
		if err == nil {
			var v []byte
			if v, err = io.ReadAll(io.LimitReader(req.Body, 1<<20)); err == nil {
				err = c.Set(req.Context(), "key", v)
			}
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return h
}
