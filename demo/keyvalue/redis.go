//go:build !noredis

package keyvalue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Redis backend. The value of key k in container c is the Redis
// string "c:k"; container names never contain ':', so the prefix "c:" cannot
// be forged by another container's keys. A lost connection is reported as
// ErrUnavailable (never a panic); go-redis reconnects on the next call once
// Redis is back.
type Redis struct {
	limits Limits
	client *redis.Client
}

// NewRedis returns a Redis backend. It does not connect until first use;
// call Ping to check the address.
func NewRedis(opts RedisOptions, limits Limits) *Redis {
	dur := func(d, def time.Duration) time.Duration {
		if d == 0 {
			return def
		}
		return d
	}
	client := redis.NewClient(&redis.Options{
		Addr:            opts.Addr,
		DB:              opts.DB,
		Password:        opts.Password,
		DialTimeout:     dur(opts.DialTimeout, time.Second),
		ReadTimeout:     dur(opts.ReadTimeout, 2*time.Second),
		WriteTimeout:    dur(opts.WriteTimeout, 2*time.Second),
		PoolSize:        opts.PoolSize,
		MaxRetries:      1,
		DialerRetries:   1,
		DisableIdentity: true,
	})
	return &Redis{limits: limits.withDefaults(), client: client}
}

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.client.Ping(ctx).Err(); err != nil {
		return newError("ping", "", "", redisKind(err), err)
	}
	return nil
}

// Open returns the container name. Redis needs no setup per container.
func (r *Redis) Open(_ context.Context, name string) (Container, error) {
	if err := checkOpen(name); err != nil {
		return nil, err
	}
	return &redisContainer{r: r, name: name, prefix: name + ":"}, nil
}

// Close closes the connection pool.
func (r *Redis) Close() error { return r.client.Close() }

// redisKind classifies a go-redis error: a reply from the server is
// ErrBackend, everything else (dial, I/O, timeouts, closed pool) means Redis
// is unavailable.
func redisKind(err error) error {
	var rerr redis.Error
	if errors.As(err, &rerr) && !errors.Is(err, redis.ErrClosed) {
		if strings.HasPrefix(err.Error(), "LOADING") {
			return ErrUnavailable
		}
		return ErrBackend
	}
	return ErrUnavailable
}

type redisContainer struct {
	r      *Redis
	name   string
	prefix string
}

func (c *redisContainer) Name() string { return c.name }

func (c *redisContainer) Get(ctx context.Context, key string) ([]byte, error) {
	if err := c.r.limits.checkKey("get", c.name, key); err != nil {
		return nil, err
	}
	v, err := c.r.client.Get(ctx, c.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, newError("get", c.name, key, ErrKeyNotFound, nil)
	}
	if err != nil {
		return nil, newError("get", c.name, key, redisKind(err), err)
	}
	return v, nil
}

func (c *redisContainer) Set(ctx context.Context, key string, value []byte) error {
	if err := c.r.limits.checkSet(c.name, key, value); err != nil {
		return err
	}
	if err := c.r.client.Set(ctx, c.prefix+key, value, 0).Err(); err != nil {
		return newError("set", c.name, key, redisKind(err), err)
	}
	return nil
}

// globEscape escapes Redis MATCH pattern metacharacters.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\', '^', '-':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (c *redisContainer) Keys(ctx context.Context) ([]string, error) {
	pattern := globEscape(c.prefix) + "*"
	var keys []string
	var cursor uint64
	for {
		page, next, err := c.r.client.Scan(ctx, cursor, pattern, 1000).Result()
		if err != nil {
			return nil, newError("keys", c.name, "", redisKind(err), err)
		}
		for _, k := range page {
			if strings.HasPrefix(k, c.prefix) {
				keys = append(keys, k[len(c.prefix):])
			}
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	slices.Sort(keys)
	return slices.Compact(keys), nil // SCAN may repeat keys
}

func (c *redisContainer) Delete(ctx context.Context, key string) error {
	if err := c.r.limits.checkKey("delete", c.name, key); err != nil {
		return err
	}
	if err := c.r.client.Del(ctx, c.prefix+key).Err(); err != nil {
		return newError("delete", c.name, key, redisKind(err), err)
	}
	return nil
}

// redisLog adapts slog to go-redis's logger interface.
type redisLog struct{ l *slog.Logger }

func (r redisLog) Printf(ctx context.Context, format string, v ...any) {
	if r.l != nil {
		r.l.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
	}
}

// SetRedisLog routes go-redis's own log lines (dial failures, retries while
// Redis is down) to l at level Debug, or discards them when l is nil. The
// failures themselves reach the guest as ErrUnavailable. It affects the
// whole process.
func SetRedisLog(l *slog.Logger) { redis.SetLogger(redisLog{l}) }
