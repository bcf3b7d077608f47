# JavaScript guests built by third-party component tooling (tools/jco):
# componentize-js and jco, pinned in tools/jco/package-lock.json.
# Included by the root Makefile; .ci/run runs `make test-slow`.
#
#   make test-slow        runs runtimetest/jsguest (JSGUEST=1); builds the
#                         fixtures first only if they are missing
#   make jsguests         rebuilds missing or stale fixtures (needs node, npm)
#   make jsguests-check   fails if a fixture is missing or stale
GO ?= go

JSGUEST_FIXTURES := testdata/jsguests/kitchen-sink/kitchen-sink.core.wasm.gz \
	testdata/jsguests/http-server-demo/http-server-demo.core.wasm.gz

.PHONY: test-slow test-jsguest jsguests jsguests-check

# test-slow gathers the slow suites; this fragment adds the JS guests.
test-slow: test-jsguest

test-jsguest: $(JSGUEST_FIXTURES)
	JSGUEST=1 $(GO) test -count=1 -timeout 30m ./runtimetest/jsguest/

$(JSGUEST_FIXTURES):
	sh tools/jco/build.sh

jsguests:
	sh tools/jco/build.sh

jsguests-check:
	sh tools/jco/build.sh --check
