package loadtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRun(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%100 == 0 {
			w.WriteHeader(500)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	res, err := Run(context.Background(), Options{URL: srv.URL, Clients: 4, Requests: 500})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 500 || res.Errors != 5 || res.RPS <= 0 || res.P50 <= 0 || res.P99 < res.P50 {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(res.String(), "500 req, 5 errors") {
		t.Fatal(res.String())
	}
	if _, err := Run(context.Background(), Options{URL: "http://192.0.2.1:80/"}); err == nil {
		t.Fatal("non-loopback target accepted")
	}
}
