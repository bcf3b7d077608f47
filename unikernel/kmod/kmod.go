// Package kmod finds Linux kernel modules (.ko files), reads their
// dependencies from the ELF .modinfo section, orders them so that every
// module comes after the modules it depends on, and (on Linux) loads them
// with finit_module(2).
//
// It exists because Debian's cloud kernel ships virtio as loadable modules
// but a bare initramfs has no modprobe and no modules.dep: the "depends="
// entry that modpost writes into each module's .modinfo is the same
// information depmod would have used.
//
// Only uncompressed modules are supported (the Debian 6.1 cloud kernel ships
// plain .ko files and does not accept compressed ones in finit_module).
package kmod

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Module is one kernel module file.
type Module struct {
	Name     string   // canonical name: '-' replaced by '_'
	Path     string   // file path
	Depends  []string // canonical names of the modules it needs, from .modinfo depends=
	Vermagic string   // .modinfo vermagic=, e.g. "6.1.0-56-cloud-amd64 SMP mod_unload modversions "
}

// Canonical returns the kernel's canonical spelling of a module name.
func Canonical(name string) string {
	name = strings.TrimSuffix(filepath.Base(name), ".ko")
	return strings.ReplaceAll(name, "-", "_")
}

// ReadModinfo returns the key=value entries of the .modinfo section of an
// ELF module. A key may occur more than once (alias=, parm=), so values
// are lists in file order.
func ReadModinfo(r io.ReaderAt) (map[string][]string, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, err
	}
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, errors.New("kmod: no .modinfo section")
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("kmod: .modinfo: %w", err)
	}
	info := map[string][]string{}
	for _, kv := range bytes.Split(data, []byte{0}) {
		k, v, ok := bytes.Cut(kv, []byte{'='})
		if !ok || len(k) == 0 {
			continue // padding between entries
		}
		info[string(k)] = append(info[string(k)], string(v))
	}
	return info, nil
}

// Open reads the module file at path.
func Open(path string) (*Module, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := ReadModinfo(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := &Module{Path: path, Name: Canonical(path)}
	if n := info["name"]; len(n) > 0 && n[0] != "" {
		m.Name = Canonical(n[0])
	}
	if v := info["vermagic"]; len(v) > 0 {
		m.Vermagic = v[0]
	}
	for _, d := range info["depends"] {
		for _, dep := range strings.Split(d, ",") {
			if dep = strings.TrimSpace(dep); dep != "" {
				m.Depends = append(m.Depends, Canonical(dep))
			}
		}
	}
	return m, nil
}

// Index maps canonical module names to modules.
type Index map[string]*Module

// Scan reads every *.ko file under dir (recursively).
func Scan(dir string) (Index, error) {
	idx := Index{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".ko") {
			return nil
		}
		m, err := Open(p)
		if err != nil {
			return err
		}
		if old, dup := idx[m.Name]; dup {
			return fmt.Errorf("kmod: module %s found twice: %s and %s", m.Name, old.Path, p)
		}
		idx[m.Name] = m
		return nil
	})
	return idx, err
}

// Order returns want and everything it depends on, transitively, with each
// module after its dependencies. Modules listed in builtin (names that are
// compiled into the kernel, from modules.builtin) are satisfied without a
// file. The result is deterministic: dependencies are visited in sorted
// order, roots in the order given.
func (idx Index) Order(want []string, builtin map[string]bool) ([]*Module, error) {
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var out []*Module
	var visit func(name string, path []string) error
	visit = func(name string, path []string) error {
		name = Canonical(name)
		switch state[name] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("kmod: dependency cycle: %s -> %s", strings.Join(path, " -> "), name)
		}
		m, ok := idx[name]
		if !ok {
			if builtin[name] {
				state[name] = done
				return nil
			}
			if len(path) == 0 {
				return fmt.Errorf("kmod: module %s not found", name)
			}
			return fmt.Errorf("kmod: module %s (needed by %s) not found", name, path[len(path)-1])
		}
		state[name] = visiting
		deps := append([]string(nil), m.Depends...)
		sort.Strings(deps)
		for _, d := range deps {
			if err := visit(d, append(path, name)); err != nil {
				return err
			}
		}
		state[name] = done
		out = append(out, m)
		return nil
	}
	for _, w := range want {
		if err := visit(w, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReadBuiltin parses a modules.builtin file (one path per line, e.g.
// "kernel/fs/ext4/ext4.ko") into a set of canonical names.
func ReadBuiltin(r io.Reader) (map[string]bool, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			set[Canonical(line)] = true
		}
	}
	return set, nil
}
