package keyvalue

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
)

// Filesystem is the directory backend: one subdirectory per container, one
// file per key. Values survive a restart of the runner.
//
// Nothing a guest sends is ever interpreted as a path:
//   - container names are checked by ValidateContainerName (a plain
//     directory name);
//   - a key of at most ShortKeyBytes bytes is stored in the file "k" +
//     base64url(key) holding the raw value; a longer key in "h" +
//     hex(sha256(key)) holding a 4-byte big-endian key length, the key and the
//     value (the stored key is compared on read);
//   - all access goes through os.Root, so even a symlink planted in the
//     directory cannot lead outside it.
//
// Writes are atomic: the value goes to a ".tmp-*" file in the container
// directory, which is fsynced, renamed over the key's file, and the directory
// is fsynced. Leftover temporary files (from a crash) are removed when the
// container is first opened. One process should own a directory at a time.
type Filesystem struct {
	limits Limits
	dir    string

	mu         sync.Mutex
	root       *os.Root
	containers map[string]*fsContainer
}

// ShortKeyBytes is the longest key the filesystem backend stores under a
// base64url file name (240 characters, within every common file system's
// 255-byte limit).
const ShortKeyBytes = 180

// NewFilesystem returns a backend storing containers under dir, creating it
// if needed.
func NewFilesystem(dir string, limits Limits) (*Filesystem, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keyvalue: filesystem backend: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("keyvalue: filesystem backend: %w", err)
	}
	return &Filesystem{limits: limits.withDefaults(), dir: dir, root: root, containers: map[string]*fsContainer{}}, nil
}

// Dir returns the backend's directory.
func (f *Filesystem) Dir() string { return f.dir }

// Open returns the container name, creating its directory on first use.
func (f *Filesystem) Open(_ context.Context, name string) (Container, error) {
	if err := checkOpen(name); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.root == nil {
		return nil, newError("open", name, "", ErrClosed, nil)
	}
	if c := f.containers[name]; c != nil {
		return c, nil
	}
	if err := f.root.Mkdir(name, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, newError("open", name, "", ErrBackend, err)
	}
	sub, err := f.root.OpenRoot(name)
	if err != nil {
		return nil, newError("open", name, "", ErrBackend, err)
	}
	c := &fsContainer{name: name, limits: f.limits, root: sub}
	if err := c.removeTemps(); err != nil {
		sub.Close()
		return nil, newError("open", name, "", ErrBackend, err)
	}
	f.containers[name] = c
	return c, nil
}

// Close closes the directory handles.
func (f *Filesystem) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.root == nil {
		return nil
	}
	var errs []error
	for _, c := range f.containers {
		errs = append(errs, c.root.Close())
	}
	errs = append(errs, f.root.Close())
	f.root, f.containers = nil, nil
	return errors.Join(errs...)
}

type fsContainer struct {
	name   string
	limits Limits
	root   *os.Root
}

const tempPrefix = ".tmp-"

// fileName returns the file name of key and whether it is hashed.
func fileName(key string) (string, bool) {
	if len(key) <= ShortKeyBytes {
		return "k" + base64.RawURLEncoding.EncodeToString([]byte(key)), false
	}
	sum := sha256.Sum256([]byte(key))
	return "h" + hex.EncodeToString(sum[:]), true
}

func (c *fsContainer) Name() string { return c.name }

func (c *fsContainer) Get(_ context.Context, key string) ([]byte, error) {
	if err := c.limits.checkKey("get", c.name, key); err != nil {
		return nil, err
	}
	name, hashed := fileName(key)
	data, err := c.root.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, newError("get", c.name, key, ErrKeyNotFound, nil)
	}
	if err != nil {
		return nil, newError("get", c.name, key, ErrBackend, err)
	}
	if !hashed {
		return data, nil
	}
	stored, value, err := splitHashed(data)
	if err != nil {
		return nil, newError("get", c.name, key, ErrBackend, err)
	}
	if stored != key {
		return nil, newError("get", c.name, key, ErrKeyNotFound, nil)
	}
	return value, nil
}

// splitHashed decodes the content of an "h" file.
func splitHashed(data []byte) (key string, value []byte, err error) {
	if len(data) < 4 {
		return "", nil, errors.New("corrupt entry: short header")
	}
	n := binary.BigEndian.Uint32(data)
	if uint64(n) > uint64(len(data)-4) {
		return "", nil, errors.New("corrupt entry: key length out of range")
	}
	return string(data[4 : 4+n]), data[4+n:], nil
}

func (c *fsContainer) Set(_ context.Context, key string, value []byte) error {
	if err := c.limits.checkSet(c.name, key, value); err != nil {
		return err
	}
	name, hashed := fileName(key)
	var header []byte
	if hashed {
		header = binary.BigEndian.AppendUint32(nil, uint32(len(key)))
		header = append(header, key...)
	}
	if err := c.writeAtomic(name, header, value); err != nil {
		return newError("set", c.name, key, ErrBackend, err)
	}
	return nil
}

// writeAtomic writes header+value to a temporary file, fsyncs it, renames it
// to name and fsyncs the directory.
func (c *fsContainer) writeAtomic(name string, header, value []byte) (err error) {
	tmp := tempPrefix + rand.Text()
	f, err := c.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			c.root.Remove(tmp)
		}
	}()
	if len(header) > 0 {
		if _, err = f.Write(header); err != nil {
			return err
		}
	}
	if _, err = f.Write(value); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = c.root.Rename(tmp, name); err != nil {
		return err
	}
	return c.syncDir()
}

// syncDir fsyncs the container directory so renames and removals persist.
func (c *fsContainer) syncDir() error {
	d, err := c.root.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// entries returns the directory's entry names.
func (c *fsContainer) entries() ([]string, error) {
	d, err := c.root.Open(".")
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}

// removeTemps deletes leftover temporary files.
func (c *fsContainer) removeTemps() error {
	names, err := c.entries()
	if err != nil {
		return err
	}
	for _, n := range names {
		if strings.HasPrefix(n, tempPrefix) {
			if err := c.root.Remove(n); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

func (c *fsContainer) Keys(context.Context) ([]string, error) {
	names, err := c.entries()
	if err != nil {
		return nil, newError("keys", c.name, "", ErrBackend, err)
	}
	keys := make([]string, 0, len(names))
	for _, n := range names {
		switch {
		case strings.HasPrefix(n, "k"):
			k, err := base64.RawURLEncoding.DecodeString(n[1:])
			if err != nil {
				continue // not ours
			}
			keys = append(keys, string(k))
		case strings.HasPrefix(n, "h"):
			k, err := c.readHashedKey(n)
			if errors.Is(err, fs.ErrNotExist) {
				continue // deleted meanwhile
			}
			if err != nil {
				return nil, newError("keys", c.name, "", ErrBackend, err)
			}
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys, nil
}

// readHashedKey reads the key stored at the start of an "h" file.
func (c *fsContainer) readHashedKey(name string) (string, error) {
	f, err := c.root.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var hdr [4]byte
	if _, err := io.ReadFull(f, hdr[:]); err != nil {
		return "", fmt.Errorf("corrupt entry %s: %w", name, err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > 1<<20 {
		return "", fmt.Errorf("corrupt entry %s: key length %d", name, n)
	}
	var b bytes.Buffer
	if _, err := io.CopyN(&b, f, int64(n)); err != nil {
		return "", fmt.Errorf("corrupt entry %s: %w", name, err)
	}
	return b.String(), nil
}

func (c *fsContainer) Delete(_ context.Context, key string) error {
	if err := c.limits.checkKey("delete", c.name, key); err != nil {
		return err
	}
	name, hashed := fileName(key)
	if hashed {
		// Never delete a colliding entry that holds another key.
		if k, err := c.readHashedKey(name); err == nil && k != key {
			return nil
		}
	}
	err := c.root.Remove(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = c.syncDir()
	}
	if err != nil {
		return newError("delete", c.name, key, ErrBackend, err)
	}
	return nil
}
