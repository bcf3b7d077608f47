// Package bindings checks the demo's generated bindings: the host packages
// below it (httpserverdemohost, keyvaluedemohost, wasikeyvaluedemohost) and
// the guest packages in demo/guests/*/bindings. All of them are produced by
// the go:generate lines in their gen.go files and checked in;
// TestGeneratedUpToDate regenerates them in memory and fails when they
// differ ("stale generated files; run make generate").
package bindings
