package keyvalue

import (
	"context"
	"slices"
	"sync"
)

// Memory is the in-memory backend, the runner's default. Values live as long
// as the Memory.
type Memory struct {
	limits Limits

	mu         sync.Mutex
	containers map[string]*memContainer
	closed     bool
}

// NewMemory returns an empty in-memory backend.
func NewMemory(limits Limits) *Memory {
	return &Memory{limits: limits.withDefaults(), containers: map[string]*memContainer{}}
}

// Open returns the container name, creating it empty on first use.
func (m *Memory) Open(_ context.Context, name string) (Container, error) {
	if err := checkOpen(name); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, newError("open", name, "", ErrClosed, nil)
	}
	c := m.containers[name]
	if c == nil {
		c = &memContainer{name: name, limits: m.limits, data: map[string][]byte{}}
		m.containers[name] = c
	}
	return c, nil
}

// Close drops every container.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.containers = nil
	return nil
}

type memContainer struct {
	name   string
	limits Limits

	mu   sync.RWMutex
	data map[string][]byte
}

func (c *memContainer) Name() string { return c.name }

func (c *memContainer) Get(_ context.Context, key string) ([]byte, error) {
	if err := c.limits.checkKey("get", c.name, key); err != nil {
		return nil, err
	}
	c.mu.RLock()
	v, ok := c.data[key]
	c.mu.RUnlock()
	if !ok {
		return nil, newError("get", c.name, key, ErrKeyNotFound, nil)
	}
	return slices.Clone(v), nil
}

func (c *memContainer) Set(_ context.Context, key string, value []byte) error {
	if err := c.limits.checkSet(c.name, key, value); err != nil {
		return err
	}
	v := append(make([]byte, 0, len(value)), value...)
	c.mu.Lock()
	c.data[key] = v
	c.mu.Unlock()
	return nil
}

func (c *memContainer) Keys(context.Context) ([]string, error) {
	c.mu.RLock()
	keys := make([]string, 0, len(c.data))
	for k := range c.data {
		keys = append(keys, k)
	}
	c.mu.RUnlock()
	slices.Sort(keys)
	return keys, nil
}

func (c *memContainer) Delete(_ context.Context, key string) error {
	if err := c.limits.checkKey("delete", c.name, key); err != nil {
		return err
	}
	c.mu.Lock()
	delete(c.data, key)
	c.mu.Unlock()
	return nil
}
