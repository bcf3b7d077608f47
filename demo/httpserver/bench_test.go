package httpserver

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkServeHTTP measures the host side of a request (routing, request
// conversion, pool, response writing) beside a native net/http handler doing
// the same work; the guest call itself is not included. Compare ns/op of
// native and pool: the difference is the host overhead the guest path pays.
func BenchmarkServeHTTP(b *testing.B) {
	hello := []byte("hello")
	native := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/person/yager" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(200)
		w.Write(hello)
	})
	r, _ := NewRouter("")
	r.Get("/hello", "hello")
	r.Get("/person/:name", "person")
	r.Put("/set", "set")
	fn := HandlerFunc(func(_ context.Context, _ string, req *Request) (*Response, error) {
		return &Response{Status: 200, Body: hello}, nil
	})
	pool := NewPool(4, func(context.Context) (int, error) { return 0, nil }, nil)
	pooled := &PoolHandler[int]{Pool: pool, Call: func(ctx context.Context, _ int, name string, req *Request) (*Response, error) {
		return fn(ctx, name, req)
	}}
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"native", native},
		{"server", New(Config{Logger: quiet}, r, fn)},
		{"server+pool", New(Config{Logger: quiet}, r, pooled)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/person/yager", nil)
			req.Header.Set("User-Agent", "bench")
			req.Header.Set("Accept", "*/*")
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				bc.h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
				io.Discard.Write(w.Body.Bytes())
			}
		})
	}
}

// BenchmarkPool measures one Get and Put.
func BenchmarkPool(b *testing.B) {
	ctx := context.Background()
	p := NewPool(4, func(context.Context) (int, error) { return 0, nil }, nil)
	b.ReportAllocs()
	for b.Loop() {
		v, _ := p.Get(ctx)
		p.Put(v)
	}
}
