// Package vmtest boots the unikernel image under QEMU and runs the
// acceptance scenario against it over HTTP. The test only runs when
// UNIKERNEL_VMTEST=1 (make unikernel-test sets it), so `go test ./...`
// stays fast and needs no QEMU.
//
//	UNIKERNEL_VMTEST=1 go test -count=1 -v ./unikernel/vmtest
//
// UNIKERNEL_DIR points at the image (default build/unikernel at the module
// root). UNIKERNEL_VMTEST_FS=1 also runs the fs key-value backend test (two
// boots on one ext4 disk image).
package vmtest
