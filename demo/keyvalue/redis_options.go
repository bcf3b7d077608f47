package keyvalue

import "time"

// RedisOptions configures the Redis backend. Zero durations take short
// defaults so a lost connection is reported to the guest promptly.
type RedisOptions struct {
	Addr         string // host:port
	DB           int
	Password     string
	DialTimeout  time.Duration // default 1s
	ReadTimeout  time.Duration // default 2s
	WriteTimeout time.Duration // default 2s
	PoolSize     int           // default: go-redis's (10 per CPU)
}
