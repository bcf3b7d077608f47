//go:build noredis

package keyvalue

import (
	"context"
	"errors"
	"log/slog"
)

// errNoRedis is the cause of every error of the stub Redis backend.
var errNoRedis = errors.New("this program was built with the noredis tag: the Redis backend is not linked")

// Redis stands in for the Redis backend in programs built with the noredis
// tag (the unikernel's /init, which has no way out of its VM), so they do
// not link go-redis. Every operation fails with ErrUnavailable, whose cause
// names the build tag.
type Redis struct{}

// NewRedis returns the stub backend; opts and limits are ignored.
func NewRedis(opts RedisOptions, limits Limits) *Redis { return &Redis{} }

// Ping fails: there is no Redis client.
func (r *Redis) Ping(ctx context.Context) error {
	return newError("ping", "", "", ErrUnavailable, errNoRedis)
}

// Open fails: there is no Redis client.
func (r *Redis) Open(_ context.Context, name string) (Container, error) {
	return nil, newError("open", name, "", ErrUnavailable, errNoRedis)
}

// Close does nothing.
func (r *Redis) Close() error { return nil }

// SetRedisLog does nothing: there is no go-redis logger to route.
func SetRedisLog(l *slog.Logger) {}
