package keyvalue

import (
	"context"
	"errors"
	"sort"
	"sync"
)

// Mux is the Store a guest sees: it opens only the containers it was given,
// each on its own backend, and enforces Limits before any backend is called.
type Mux struct {
	limits Limits
	routes map[string]Store
	owned  []Store

	mu     sync.RWMutex
	closed bool
}

// NewMux returns a Mux serving each container name in routes from its
// backend. Backends listed in owned are closed by Mux.Close (pass each
// distinct backend once).
func NewMux(limits Limits, routes map[string]Store, owned ...Store) (*Mux, error) {
	m := &Mux{limits: limits.withDefaults(), routes: make(map[string]Store, len(routes)), owned: owned}
	for name, s := range routes {
		if err := ValidateContainerName(name); err != nil {
			return nil, err
		}
		if s == nil {
			return nil, errors.New("keyvalue: nil backend for container " + name)
		}
		m.routes[name] = s
	}
	return m, nil
}

// Containers returns the configured container names, sorted.
func (m *Mux) Containers() []string {
	names := make([]string, 0, len(m.routes))
	for n := range m.routes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Open opens a configured container; any other name fails with
// ErrContainerNotAllowed.
func (m *Mux) Open(ctx context.Context, name string) (Container, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, newError("open", name, "", ErrClosed, nil)
	}
	s, ok := m.routes[name]
	if !ok {
		return nil, newError("open", name, "", ErrContainerNotAllowed, errors.New("not named in the config"))
	}
	c, err := s.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	return &limited{c: c, limits: m.limits}, nil
}

// Close closes the owned backends.
func (m *Mux) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	var errs []error
	for _, s := range m.owned {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// limited enforces the Mux's limits in front of a backend container.
type limited struct {
	c      Container
	limits Limits
}

func (l *limited) Name() string { return l.c.Name() }

func (l *limited) Get(ctx context.Context, key string) ([]byte, error) {
	if err := l.limits.checkKey("get", l.c.Name(), key); err != nil {
		return nil, err
	}
	return l.c.Get(ctx, key)
}

func (l *limited) Set(ctx context.Context, key string, value []byte) error {
	if err := l.limits.checkSet(l.c.Name(), key, value); err != nil {
		return err
	}
	return l.c.Set(ctx, key, value)
}

func (l *limited) Keys(ctx context.Context) ([]string, error) { return l.c.Keys(ctx) }

func (l *limited) Delete(ctx context.Context, key string) error {
	if err := l.limits.checkKey("delete", l.c.Name(), key); err != nil {
		return err
	}
	return l.c.Delete(ctx, key)
}
