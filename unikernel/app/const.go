package app

import "time"

const shutdownTimeout = 2 * time.Second
