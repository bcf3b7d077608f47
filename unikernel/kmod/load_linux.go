package kmod

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Load inserts the module file at path with finit_module(2) and no
// parameters. A module that is already loaded is not an error.
func Load(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	err = unix.FinitModule(int(f.Fd()), "", 0)
	if errors.Is(err, unix.EEXIST) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("finit_module %s: %w", path, err)
	}
	return nil
}

// LoadAll loads mods in order and stops at the first failure.
func LoadAll(mods []*Module) error {
	for _, m := range mods {
		if err := Load(m.Path); err != nil {
			return err
		}
	}
	return nil
}
