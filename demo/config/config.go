// Package config reads the demo runner's config file, a small TOML file in
// the spirit of Spiderlightning's slightfile.toml: where the HTTP server
// listens, its limits and timeouts, and which key-value backend serves each
// container a guest may open.
//
//	# wit-bindgen-go-host-demo run --config demo.toml guest.wasm
//	[http]
//	listen = "127.0.0.1:3000"   # default; the guest's serve(address) is not trusted
//	max_body = "1MiB"           # larger request bodies get 413
//	read_timeout = "30s"
//	write_timeout = "30s"
//	handler_timeout = "10s"
//	instances = 4               # guest instances serving requests concurrently
//
//	[keyvalue]
//	max_key = "1KiB"
//	max_value = "4MiB"
//
//	[[keyvalue.container]]
//	name = "my-container"
//	backend = "memory"
//
//	[[keyvalue.container]]
//	name = "files"
//	backend = "filesystem"
//	dir = "data"                # relative to the config file
//
//	[[keyvalue.container]]
//	name = "cache"
//	backend = "redis"
//	address = "127.0.0.1:6379"
//	db = 0
//	password_env = "REDIS_PASSWORD"  # optional: read from the environment
//
// Only containers listed here can be opened by the guest. Unknown tables and
// keys are errors, reported as FILE:LINE: message. The TOML subset is
// described in toml.go; no dependency is needed to read it.
package config

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

// Backend names.
const (
	Memory     = "memory"
	Filesystem = "filesystem"
	Redis      = "redis"
)

// DefaultContainer is the container of the default config.
const DefaultContainer = "my-container"

// DefaultInstances is the default size of the guest instance pool.
const DefaultInstances = 4

// Config is a parsed config file.
type Config struct {
	HTTP       HTTP
	Limits     keyvalue.Limits
	Containers []Container // in file order
}

// HTTP is the [http] table.
type HTTP struct {
	Listen         string        // listen, default 127.0.0.1:3000
	MaxBodyBytes   int64         // max_body
	ReadTimeout    time.Duration // read_timeout
	WriteTimeout   time.Duration // write_timeout
	HandlerTimeout time.Duration // handler_timeout
	Instances      int           // instances
}

// Container is one [[keyvalue.container]].
type Container struct {
	Name        string
	Backend     string // Memory, Filesystem or Redis
	Dir         string // filesystem: absolute, resolved against the config file's directory
	Address     string // redis: host:port
	DB          int    // redis: database number 0..15
	PasswordEnv string // redis: environment variable holding the password
	Line        int    // line of the [[keyvalue.container]] header
}

// Default returns the config used without a file: listen on
// 127.0.0.1:3000 and serve the container "my-container" from memory.
func Default() *Config {
	return &Config{
		HTTP:       HTTP{Listen: httpserver.DefaultAddr, Instances: DefaultInstances},
		Containers: []Container{{Name: DefaultContainer, Backend: Memory}},
	}
}

// Load reads and parses the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, filepath.Dir(abs), data)
}

// Parse parses a config file's contents. name is used in error messages;
// relative filesystem directories are resolved against baseDir.
func Parse(name, baseDir string, data []byte) (*Config, error) {
	secs, err := parseTOML(name, data)
	if err != nil {
		return nil, err
	}
	cfg := &Config{HTTP: HTTP{Listen: httpserver.DefaultAddr, Instances: DefaultInstances}}
	d := &decoder{file: name}
	for _, s := range secs {
		switch {
		case s.name == "" && !s.array:
			if len(s.entries) > 0 {
				return nil, d.errf(s.entries[0].line, "key %q outside a table (use [http] or [keyvalue])", s.entries[0].key)
			}
		case s.name == "http" && !s.array:
			err = d.http(s, &cfg.HTTP)
		case s.name == "keyvalue" && !s.array:
			err = d.limits(s, &cfg.Limits)
		case s.name == "keyvalue.container" && s.array:
			var c Container
			if c, err = d.container(s, baseDir); err == nil {
				cfg.Containers = append(cfg.Containers, c)
			}
		case s.name == "keyvalue.container":
			err = d.errf(s.line, "containers are an array of tables: write [[keyvalue.container]]")
		default:
			err = d.errf(s.line, "unknown table %s (known: [http], [keyvalue], [[keyvalue.container]])", header(s))
		}
		if err != nil {
			return nil, err
		}
	}
	if err := d.checkDuplicates(cfg.Containers); err != nil {
		return nil, err
	}
	return cfg, nil
}

func header(s *section) string {
	if s.array {
		return "[[" + s.name + "]]"
	}
	return "[" + s.name + "]"
}

type decoder struct{ file string }

func (d *decoder) errf(line int, format string, args ...any) error {
	return &syntaxError{file: d.file, line: line, msg: fmt.Sprintf(format, args...)}
}

// fields dispatches a section's entries to per-key functions, refusing
// unknown keys.
func (d *decoder) fields(s *section, known map[string]func(e entry) error) error {
	for _, e := range s.entries {
		f, ok := known[e.key]
		if !ok {
			names := make([]string, 0, len(known))
			for k := range known {
				names = append(names, k)
			}
			slices.Sort(names)
			return d.errf(e.line, "unknown key %q in %s (known: %s)", e.key, header(s), strings.Join(names, ", "))
		}
		if err := f(e); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) str(e entry) (string, error) {
	if e.val.kind != kString {
		return "", d.errf(e.line, "%s must be a string, not %s", e.key, e.val.kind)
	}
	return e.val.str, nil
}

func (d *decoder) integer(e entry, lo, hi int64) (int64, error) {
	if e.val.kind != kInt {
		return 0, d.errf(e.line, "%s must be an integer, not %s", e.key, e.val.kind)
	}
	if e.val.num < lo || e.val.num > hi {
		return 0, d.errf(e.line, "%s = %d is out of range [%d, %d]", e.key, e.val.num, lo, hi)
	}
	return e.val.num, nil
}

// duration reads a Go duration string such as "30s"; "0s" is refused
// (use a positive value).
func (d *decoder) duration(e entry) (time.Duration, error) {
	s, err := d.str(e)
	if err != nil {
		return 0, d.errf(e.line, "%s must be a duration string such as \"30s\"", e.key)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 || v > 24*time.Hour {
		return 0, d.errf(e.line, "%s = %q: want a duration between 1ns and 24h, such as \"30s\"", e.key, s)
	}
	return v, nil
}

// size reads a byte count: an integer or a string with a unit
// (B, KiB, MiB, GiB; also KB, MB, GB as powers of 1000).
func (d *decoder) size(e entry, max int64) (int64, error) {
	var n int64
	switch e.val.kind {
	case kInt:
		n = e.val.num
	case kString:
		var err error
		if n, err = parseSize(e.val.str); err != nil {
			return 0, d.errf(e.line, "%s = %q: %v", e.key, e.val.str, err)
		}
	default:
		return 0, d.errf(e.line, "%s must be a size such as 1048576 or \"1MiB\"", e.key)
	}
	if n < 1 || n > max {
		return 0, d.errf(e.line, "%s = %d bytes is out of range [1, %d]", e.key, n, max)
	}
	return n, nil
}

func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, errors.New("want a size such as 65536, \"64KiB\" or \"4MiB\"")
	}
	return n * mult, nil
}

func (d *decoder) http(s *section, h *HTTP) error {
	return d.fields(s, map[string]func(entry) error{
		"listen": func(e entry) (err error) {
			if h.Listen, err = d.str(e); err != nil {
				return err
			}
			if err := checkAddr(h.Listen); err != nil {
				return d.errf(e.line, "listen = %q: %v", h.Listen, err)
			}
			return nil
		},
		"max_body": func(e entry) (err error) {
			h.MaxBodyBytes, err = d.size(e, 1<<30)
			return err
		},
		"read_timeout": func(e entry) (err error) {
			h.ReadTimeout, err = d.duration(e)
			return err
		},
		"write_timeout": func(e entry) (err error) {
			h.WriteTimeout, err = d.duration(e)
			return err
		},
		"handler_timeout": func(e entry) (err error) {
			h.HandlerTimeout, err = d.duration(e)
			return err
		},
		"instances": func(e entry) error {
			n, err := d.integer(e, 1, 1024)
			h.Instances = int(n)
			return err
		},
	})
}

func (d *decoder) limits(s *section, l *keyvalue.Limits) error {
	return d.fields(s, map[string]func(entry) error{
		"max_key": func(e entry) error {
			n, err := d.size(e, 64<<10)
			l.MaxKeyBytes = int(n)
			return err
		},
		"max_value": func(e entry) error {
			n, err := d.size(e, 512<<20)
			l.MaxValueBytes = int(n)
			return err
		},
	})
}

func (d *decoder) container(s *section, baseDir string) (Container, error) {
	c := Container{Line: s.line}
	lines := map[string]int{}
	err := d.fields(s, map[string]func(entry) error{
		"name": func(e entry) (err error) {
			if c.Name, err = d.str(e); err != nil {
				return err
			}
			if err := keyvalue.ValidateContainerName(c.Name); err != nil {
				return d.errf(e.line, "%v", err)
			}
			return nil
		},
		"backend": func(e entry) (err error) {
			if c.Backend, err = d.str(e); err != nil {
				return err
			}
			switch c.Backend {
			case Memory, Filesystem, Redis:
				return nil
			}
			return d.errf(e.line, "unknown backend %q (want memory, filesystem or redis)", c.Backend)
		},
		"dir": func(e entry) (err error) {
			lines["dir"] = e.line
			if c.Dir, err = d.str(e); err != nil {
				return err
			}
			if c.Dir == "" {
				return d.errf(e.line, "dir is empty")
			}
			if !filepath.IsAbs(c.Dir) {
				c.Dir = filepath.Join(baseDir, c.Dir)
			}
			c.Dir = filepath.Clean(c.Dir)
			return nil
		},
		"address": func(e entry) (err error) {
			lines["address"] = e.line
			if c.Address, err = d.str(e); err != nil {
				return err
			}
			if err := checkAddr(c.Address); err != nil {
				return d.errf(e.line, "address = %q: %v", c.Address, err)
			}
			return nil
		},
		"db": func(e entry) error {
			lines["db"] = e.line
			n, err := d.integer(e, 0, 15)
			c.DB = int(n)
			return err
		},
		"password_env": func(e entry) (err error) {
			lines["password_env"] = e.line
			c.PasswordEnv, err = d.str(e)
			return err
		},
	})
	if err != nil {
		return c, err
	}
	if c.Name == "" {
		return c, d.errf(s.line, "[[keyvalue.container]] needs a name")
	}
	if c.Backend == "" {
		return c, d.errf(s.line, "container %q needs a backend (memory, filesystem or redis)", c.Name)
	}
	allowed := map[string][]string{Memory: nil, Filesystem: {"dir"}, Redis: {"address", "db", "password_env"}}[c.Backend]
	for key, line := range lines {
		if !slices.Contains(allowed, key) {
			return c, d.errf(line, "%s does not apply to the %s backend of container %q", key, c.Backend, c.Name)
		}
	}
	switch {
	case c.Backend == Filesystem && c.Dir == "":
		return c, d.errf(s.line, "container %q: the filesystem backend needs dir", c.Name)
	case c.Backend == Redis && c.Address == "":
		return c, d.errf(s.line, "container %q: the redis backend needs address", c.Name)
	}
	return c, nil
}

func (d *decoder) checkDuplicates(cs []Container) error {
	seen := map[string]int{}
	for _, c := range cs {
		if prev, ok := seen[c.Name]; ok {
			return d.errf(c.Line, "container %q defined twice (first at line %d)", c.Name, prev)
		}
		seen[c.Name] = c.Line
	}
	return nil
}

// checkAddr checks a host:port address with a numeric port.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want host:port, such as 127.0.0.1:3000")
	}
	if host == "" {
		return errors.New("empty host (listening on all interfaces must be explicit: 0.0.0.0)")
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return errors.New("port must be a number from 0 to 65535")
	}
	return nil
}

// ServerConfig returns the httpserver.Config for the [http] table.
func (c *Config) ServerConfig() httpserver.Config {
	return httpserver.Config{
		Addr:           c.HTTP.Listen,
		MaxBodyBytes:   c.HTTP.MaxBodyBytes,
		ReadTimeout:    c.HTTP.ReadTimeout,
		WriteTimeout:   c.HTTP.WriteTimeout,
		HandlerTimeout: c.HTTP.HandlerTimeout,
	}
}

// OpenStore builds the key-value store the guest sees: a keyvalue.Mux over
// one backend per distinct memory / directory / Redis database. It does not
// contact Redis (an unreachable Redis is reported to the guest as a
// connection-error on use, never fatal to the runner). Close the Mux to
// release the backends.
func (c *Config) OpenStore(ctx context.Context) (*keyvalue.Mux, error) {
	routes := map[string]keyvalue.Store{}
	shared := map[string]keyvalue.Store{}
	var owned []keyvalue.Store
	fail := func(err error) (*keyvalue.Mux, error) {
		for _, s := range owned {
			s.Close()
		}
		return nil, err
	}
	for _, ct := range c.Containers {
		var id string
		switch ct.Backend {
		case Memory:
			id = "memory"
		case Filesystem:
			id = "dir:" + ct.Dir
		case Redis:
			id = fmt.Sprintf("redis:%s/%d", ct.Address, ct.DB)
		default:
			return fail(fmt.Errorf("container %q: unknown backend %q", ct.Name, ct.Backend))
		}
		s, ok := shared[id]
		if !ok {
			switch ct.Backend {
			case Memory:
				s = keyvalue.NewMemory(c.Limits)
			case Filesystem:
				fs, err := keyvalue.NewFilesystem(ct.Dir, c.Limits)
				if err != nil {
					return fail(fmt.Errorf("container %q: %w", ct.Name, err))
				}
				s = fs
			case Redis:
				opts := keyvalue.RedisOptions{Addr: ct.Address, DB: ct.DB}
				if ct.PasswordEnv != "" {
					pw, ok := os.LookupEnv(ct.PasswordEnv)
					if !ok {
						return fail(fmt.Errorf("container %q: environment variable %s (password_env) is not set", ct.Name, ct.PasswordEnv))
					}
					opts.Password = pw
				}
				s = keyvalue.NewRedis(opts, c.Limits)
			}
			shared[id] = s
			owned = append(owned, s)
		}
		routes[ct.Name] = s
	}
	m, err := keyvalue.NewMux(c.Limits, routes, owned...)
	if err != nil {
		return fail(err)
	}
	return m, nil
}
