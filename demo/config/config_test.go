package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/redistest"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

func TestExample(t *testing.T) {
	cfg, err := Load("example.toml")
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("kvdata")
	want := Config{
		HTTP: HTTP{Listen: "127.0.0.1:3000", MaxBodyBytes: 1 << 20, ReadTimeout: 30 * time.Second,
			WriteTimeout: 30 * time.Second, HandlerTimeout: 10 * time.Second, Instances: 4},
		Limits: keyvalue.Limits{MaxKeyBytes: 1024, MaxValueBytes: 4 << 20},
		Containers: []Container{
			{Name: "my-container", Backend: Memory, Line: 17},
			{Name: "files", Backend: Filesystem, Dir: abs, Line: 21},
			{Name: "cache", Backend: Redis, Address: "127.0.0.1:6379", Line: 26},
		},
	}
	if !equal(cfg, &want) {
		t.Fatalf("got  %+v\nwant %+v", *cfg, want)
	}
	sc := cfg.ServerConfig()
	if sc.Addr != "127.0.0.1:3000" || sc.MaxBodyBytes != 1<<20 || sc.HandlerTimeout != 10*time.Second {
		t.Fatalf("ServerConfig %+v", sc)
	}
}

func equal(a, b *Config) bool {
	if a.HTTP != b.HTTP || a.Limits != b.Limits || len(a.Containers) != len(b.Containers) {
		return false
	}
	for i := range a.Containers {
		if a.Containers[i] != b.Containers[i] {
			return false
		}
	}
	return true
}

func TestDefaults(t *testing.T) {
	cfg, err := Parse("empty.toml", "/base", []byte("# nothing\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Listen != "127.0.0.1:3000" || cfg.HTTP.Instances != DefaultInstances || len(cfg.Containers) != 0 {
		t.Fatalf("empty file: %+v", cfg)
	}
	d := Default()
	if d.HTTP.Listen != "127.0.0.1:3000" || len(d.Containers) != 1 || d.Containers[0] != (Container{Name: "my-container", Backend: Memory}) {
		t.Fatalf("Default: %+v", d)
	}
}

func TestSyntax(t *testing.T) {
	src := strings.Join([]string{
		`[http]`,
		`  listen = "127.0.0.1:0" # trailing comment`,
		`"instances"=0x10`,
		`max_body = 1_048_576`,
		`[keyvalue]`,
		`max_key = '2KiB'`,
		`max_value = "1\u0030KB"`,
		`[[keyvalue.container]]`,
		"name = \"tab\\tnot-allowed-but-escapes-parse\"",
	}, "\r\n")
	_, err := Parse("s.toml", "/", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "s.toml:9:") {
		t.Fatalf("escape in a container name should be refused at line 9: %v", err)
	}
	src = strings.Replace(src, "tab\\tnot-allowed-but-escapes-parse", "c1\\u0032", 1) + "\r\nbackend = \"memory\"\r\n"
	cfg, err := Parse("s.toml", "/", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Listen != "127.0.0.1:0" || cfg.HTTP.Instances != 16 || cfg.HTTP.MaxBodyBytes != 1<<20 ||
		cfg.Limits.MaxKeyBytes != 2048 || cfg.Limits.MaxValueBytes != 10000 || cfg.Containers[0].Name != "c12" {
		t.Fatalf("parsed %+v", cfg)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"listen = \"x\"", "f.toml:1: key \"listen\" outside a table"},
		{"[http]\nlisten = 127.0.0.1", `f.toml:2: key "listen": invalid value "127.0.0.1" (strings need quotes)`},
		{"[http]\nlisten = \"localhost\"", `f.toml:2: listen = "localhost": want host:port`},
		{"[http]\nlisten = \":3000\"", "f.toml:2: listen = \":3000\": empty host"},
		{"[http]\nlisten = \"127.0.0.1:70000\"", "port must be a number from 0 to 65535"},
		{"[http]\nlisten = \"a\"\nlisten = \"b\"", `f.toml:3: key "listen" defined twice (first at line 2)`},
		{"[http]\n[http]", "f.toml:2: table [http] defined twice (first at line 1)"},
		{"[http]\nlsiten = \"x\"", `f.toml:2: unknown key "lsiten" in [http] (known: handler_timeout, instances, listen, max_body, read_timeout, write_timeout)`},
		{"[htp]", "f.toml:1: unknown table [htp]"},
		{"[keyvalue.container]", "f.toml:1: containers are an array of tables"},
		{"[http", `f.toml:1: table header without "]"`},
		{"[http] x", `f.toml:1: unexpected "x" after table header`},
		{"[a.\"b\"]", "invalid table name"},
		{"[http]\ninstances = 0", "f.toml:2: instances = 0 is out of range [1, 1024]"},
		{"[http]\ninstances = \"4\"", "f.toml:2: instances must be an integer, not string"},
		{"[http]\ninstances = 04", "leading zero"},
		{"[http]\ninstances = 1__0", "invalid value"},
		{"[http]\ninstances = 99999999999999999999", "out of range"},
		{"[http]\nread_timeout = 30", "f.toml:2: read_timeout must be a duration string"},
		{"[http]\nread_timeout = \"30\"", `read_timeout = "30": want a duration`},
		{"[http]\nread_timeout = \"-1s\"", "want a duration between"},
		{"[http]\nmax_body = \"1 TB\"", "want a size such as"},
		{"[http]\nmax_body = \"2GiB\"", "out of range [1, 1073741824]"},
		{"[http]\nmax_body = true", "must be a size"},
		{"[http]\nx.y = 1", "dotted keys are not supported"},
		{"[http]\nx = [1]", "arrays are not supported"},
		{"[http]\nx = {a=1}", "inline tables are not supported"},
		{"[http]\nx = \"\"\"a\"\"\"", "multi-line strings are not supported"},
		{"[http]\nx = \"abc", "unterminated string"},
		{"[http]\nx = 'abc", "unterminated literal string"},
		{"[http]\nx = \"a\\qb\"", `invalid escape \q`},
		{"[http]\nx = \"\\uD800\"", "invalid \\u escape"},
		{"[http]\nx =", "missing value"},
		{"[http]\nx", `expected '=' after key "x"`},
		{"[http]\nlisten = \"a:1\" extra", `unexpected "extra" after the value`},
		{"[http]\n=1", "invalid key"},
		{"\xff", "not valid UTF-8"},
		{"[[keyvalue.container]]\nbackend = \"memory\"", "f.toml:1: [[keyvalue.container]] needs a name"},
		{"[[keyvalue.container]]\nname = \"c\"", `f.toml:1: container "c" needs a backend`},
		{"[[keyvalue.container]]\nname = \"../etc\"", "f.toml:2: container name \"../etc\": only letters"},
		{"[[keyvalue.container]]\nname = \"c\"\nbackend = \"sqlite\"", `f.toml:3: unknown backend "sqlite"`},
		{"[[keyvalue.container]]\nname = \"c\"\nbackend = \"filesystem\"", `f.toml:1: container "c": the filesystem backend needs dir`},
		{"[[keyvalue.container]]\nname = \"c\"\nbackend = \"redis\"", `container "c": the redis backend needs address`},
		{"[[keyvalue.container]]\nname = \"c\"\nbackend = \"memory\"\ndir = \"x\"", `f.toml:4: dir does not apply to the memory backend of container "c"`},
		{"[[keyvalue.container]]\nname = \"c\"\nbackend = \"redis\"\naddress = \"h:1\"\ndb = 16", "f.toml:5: db = 16 is out of range [0, 15]"},
		{"[[keyvalue.container]]\nname = \"c\"\nbackend = \"redis\"\naddress = \"nope\"", `f.toml:4: address = "nope"`},
		{"[[keyvalue.container]]\nname = \"c\"\nbackend = \"memory\"\n[[keyvalue.container]]\nname = \"c\"\nbackend = \"memory\"", `f.toml:4: container "c" defined twice (first at line 1)`},
		{"[keyvalue]\nmax_key = \"1MiB\"", "out of range [1, 65536]"},
	} {
		_, err := Parse("f.toml", "/", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q:\n got %v\nwant …%s…", tc.src, err, tc.want)
		}
	}
}

func TestOpenStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := `
[keyvalue]
max_value = 16

[[keyvalue.container]]
name = "mem"
backend = "memory"

[[keyvalue.container]]
name = "files"
backend = "filesystem"
dir = "data"

[[keyvalue.container]]
name = "files2"
backend = "filesystem"
dir = "./data/"
`
	if redistest.Available() {
		srv := redistest.Start(t)
		src += "\n[[keyvalue.container]]\nname = \"cache\"\nbackend = \"redis\"\naddress = \"" + srv.Addr + "\"\ndb = 3\n"
	}
	path := filepath.Join(dir, "demo.toml")
	os.WriteFile(path, []byte(src), 0o600)
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cfg.OpenStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, ct := range cfg.Containers {
		c, err := m.Open(ctx, ct.Name)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Set(ctx, "k", []byte(ct.Name)); err != nil {
			t.Fatalf("%s: %v", ct.Name, err)
		}
		if v, err := c.Get(ctx, "k"); err != nil || string(v) != ct.Name {
			t.Fatalf("%s: Get = %q, %v", ct.Name, v, err)
		}
		if err := c.Set(ctx, "big", make([]byte, 17)); !errors.Is(err, keyvalue.ErrTooLarge) {
			t.Fatalf("%s: limit not applied: %v", ct.Name, err)
		}
	}
	if _, err := m.Open(ctx, "other"); !errors.Is(err, keyvalue.ErrContainerNotAllowed) {
		t.Fatalf("unlisted container: %v", err)
	}
	// Both filesystem containers share one directory, one subdirectory each.
	for _, n := range []string{"files", "files2"} {
		if st, err := os.Stat(filepath.Join(dir, "data", n)); err != nil || !st.IsDir() {
			t.Fatalf("container directory %s: %v", n, err)
		}
	}
}

func TestOpenStorePasswordEnv(t *testing.T) {
	src := "[[keyvalue.container]]\nname = \"c\"\nbackend = \"redis\"\naddress = \"127.0.0.1:1\"\npassword_env = \"DEMO_TEST_UNSET_PASSWORD\"\n"
	cfg, err := Parse("p.toml", "/", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	os.Unsetenv("DEMO_TEST_UNSET_PASSWORD")
	if _, err := cfg.OpenStore(context.Background()); err == nil || !strings.Contains(err.Error(), "DEMO_TEST_UNSET_PASSWORD") {
		t.Fatalf("missing password env: %v", err)
	}
}
