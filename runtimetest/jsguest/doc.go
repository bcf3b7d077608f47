// Package jsguest runs guests built by third-party component tooling
// through our generated host bindings: JavaScript guests compiled by
// @bytecodealliance/componentize-js (SpiderMonkey) and unpacked by
// @bytecodealliance/jco (tools/jco/build.sh, pinned in
// tools/jco/package-lock.json). Their core modules are prebuilt fixtures in
// testdata/jsguests/*/ (gzipped, about 15 MB each raw).
//
//   - TestKitchenSinkJS instantiates the kitchen-sink JS guest through the
//     generated bindings in golden/kitchen-sink and checks every echo-*
//     and roundtrip-* export with edge values (host→guest and
//     host→guest→host→guest→host), the counter resource and the blob
//     exercises, with the host's handle table checked after every call.
//     The cases componentize-js itself gets wrong are listed in
//     knownGuestBugs (see testdata/jsguests/README.md).
//   - TestDemoScenarioJS serves the http-server-demo JS guest with
//     demo/host and runs the demo's acceptance steps 1-9 over loopback HTTP
//     (memory and filesystem backends), plus step 10's 2,000 concurrent
//     round trips on memory.
//   - TestFixturesUpToDate checks that each fixture was built from the
//     current app.js, WIT and package-lock.json (inputs.sha256).
//
// Compiling a 12-15 MB guest takes 10-35 s in wazero's compiler, so the
// tests skip unless JSGUEST=1 (make test-slow sets it; see
// tools/jco/jco.mk). Compiled code is cached in
// $TMPDIR/wit-bindgen-go-host-jsguest-cache, so reruns take about 20 s.
// JSGUEST_INTERPRETER=1 adds wazero's interpreter to TestKitchenSinkJS: it
// compiles the guest in about 3 s but runs the suite in about 160 s.
package jsguest
