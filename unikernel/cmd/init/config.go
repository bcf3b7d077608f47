package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ConfigPath is where mkimage writes the image's configuration.
const ConfigPath = "/etc/unikernel.json"

// Config is /init's configuration: the JSON file in the image, then
// "uk.<key>=<value>" words of the kernel command line on top (so one image
// can be booted in several ways, e.g. -append "... uk.kv=fs").
type Config struct {
	// Modules are loaded, with their .modinfo dependencies first, from
	// ModuleDir. virtio_pci is the bus driver: nothing depends on it, so it
	// must be listed.
	Modules   []string `json:"modules"`
	ModuleDir string   `json:"module_dir"`
	Iface     string   `json:"iface"`  // uk.iface
	Addr      string   `json:"addr"`   // uk.addr, CIDR
	Listen    string   `json:"listen"` // uk.listen
	Guest     string   `json:"guest"`  // uk.guest
	Engine    string   `json:"engine"` // uk.engine: interpreter | compiler
	// AppConfig is the App's configuration file (the demo's slightfile),
	// used when present (uk.appconfig).
	AppConfig string `json:"app_config"`
	// Instances bounds the guest instance pool (uk.instances; 0: the
	// App's default).
	Instances int      `json:"instances"`
	KV        KVConfig `json:"kv"`
	Debug     bool     `json:"debug"` // uk.debug=1: verbose console
	// Sequential (uk.sequential) starts the App only after the modules and
	// the network are up, instead of overlapping them; for measurements.
	Sequential bool `json:"sequential"`
	// KeepGC (uk.keepgc) keeps the Go GC on while the App starts, instead
	// of deferring it to the first accepted connection; for measurements.
	KeepGC bool `json:"keep_gc"`
}

// KVConfig selects the key-value backend; "fs" mounts Device on Mount.
type KVConfig struct {
	Backend string `json:"backend"` // uk.kv: memory | fs
	Device  string `json:"device"`  // uk.kv.dev
	FSType  string `json:"fstype"`  // uk.kv.fstype
	Mount   string `json:"mount"`
	Dir     string `json:"dir"` // uk.kv.dir
}

// DefaultConfig is used for every field the file does not set.
func DefaultConfig() Config {
	return Config{
		Modules:   []string{"virtio_pci", "virtio_net"},
		ModuleDir: "/lib/modules",
		Iface:     "eth0",
		Addr:      "10.0.2.15/24", // QEMU user networking's guest address
		Listen:    ":80",
		Guest:     "/app/guest.wasm",
		Engine:    "interpreter",
		AppConfig: "/app/slightfile.toml",
		KV:        KVConfig{Backend: "memory", Device: "/dev/vda", FSType: "ext4", Mount: "/data", Dir: "/data/kv"},
	}
}

// LoadConfig reads the JSON file (a missing file means defaults) and
// applies the kernel command line.
func LoadConfig(path, cmdline string) (Config, error) {
	c := DefaultConfig()
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &c); err != nil {
			return c, fmt.Errorf("%s: %w", path, err)
		}
	case !os.IsNotExist(err):
		return c, err
	}
	if err := c.ApplyCmdline(cmdline); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// ApplyCmdline applies the uk.* words of a kernel command line.
func (c *Config) ApplyCmdline(cmdline string) error {
	for _, w := range strings.Fields(cmdline) {
		k, v, ok := strings.Cut(w, "=")
		if !strings.HasPrefix(k, "uk.") {
			continue
		}
		if !ok {
			v = "1"
		}
		switch strings.TrimPrefix(k, "uk.") {
		case "modules":
			c.Modules = strings.Split(v, ",")
		case "iface":
			c.Iface = v
		case "addr":
			c.Addr = v
		case "listen":
			c.Listen = v
		case "guest":
			c.Guest = v
		case "engine":
			c.Engine = v
		case "appconfig":
			c.AppConfig = v
		case "instances":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 1024 {
				return fmt.Errorf("uk.instances=%s: want 0..1024", v)
			}
			c.Instances = n
		case "kv":
			c.KV.Backend = v
		case "kv.dev":
			c.KV.Device = v
		case "kv.fstype":
			c.KV.FSType = v
		case "kv.dir":
			c.KV.Dir = v
		case "debug":
			c.Debug = v == "1" || v == "true"
		case "sequential":
			c.Sequential = v == "1" || v == "true"
		case "keepgc":
			c.KeepGC = v == "1" || v == "true"
		default:
			return fmt.Errorf("unknown kernel command-line option %s", k)
		}
	}
	return nil
}

// Validate checks the enumerations.
func (c *Config) Validate() error {
	switch c.Engine {
	case "interpreter", "compiler":
	default:
		return fmt.Errorf("engine %q: want interpreter or compiler", c.Engine)
	}
	switch c.KV.Backend {
	case "memory", "fs":
	default:
		return fmt.Errorf("kv backend %q: want memory or fs", c.KV.Backend)
	}
	return nil
}
