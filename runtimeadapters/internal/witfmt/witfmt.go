// Package witfmt holds the formatting hook that lets package wittypes print
// values of any type without importing fmt itself.
//
// wittypes formats common scalar types with strconv. Anything else goes
// through Sprint when it is set: package runtimeadapters (the host side,
// which links fmt anyway) sets it to fmt.Sprint in its init. A guest that
// imports only wittypes leaves it nil and gets a placeholder for such values.
package witfmt

// Sprint, when non-nil, formats v as fmt's %v verb does.
var Sprint func(v any) string
