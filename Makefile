# apidesk — one command runs the app, one command runs every test (each installs what it needs).
#   make run     build and start the apidesk window
#   make test    everything CI runs: formatting, vet, staticcheck, the Fyne-free engine check, all tests with
#                -race (a real gnome-keyring inside a private D-Bus session), the nested e2e module
SHELL := /bin/bash
export PATH := $(shell go env GOROOT)/bin:$(shell go env GOPATH)/bin:$(PATH)
GO ?= go
TAGS ?= migrated_fynedo
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION ?= $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
COMMIT ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
LDFLAGS := -X apidesk/engine/version.Version=$(VERSION) -X apidesk/engine/version.Commit=$(COMMIT)
# Fyne cannot parse the C locale.
ifeq ($(filter-out C C.% POSIX,$(or $(LANG),C)),)
export LANG := C.UTF-8
endif

.PHONY: run test build cli app deps deps-test lint unit e2e ui-check screenshots bench fuzz clean

run: deps app
	./bin/apidesk

build: app cli

app:
	$(GO) build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o bin/apidesk ./cmd/apidesk

cli:
	$(GO) build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o bin/apidesk-cli ./cmd/apidesk-cli

deps:
	@bash scripts/deps.sh build

deps-test:
	@bash scripts/deps.sh test

test: deps-test lint unit e2e ui-check install-test

lint:
	@echo "== gofmt"; out=$$(gofmt -l $$(git ls-files '*.go') $$(git ls-files --others --exclude-standard '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@echo "== engine must not import Fyne or ui"; bad=$$($(GO) list -test -deps ./engine/... | grep -E '^fyne\.io/|^apidesk/ui' || true); \
	  if [ -n "$$bad" ]; then echo "engine depends on: $$bad"; exit 1; fi
	@echo "== go mod tidy"; $(GO) mod tidy -diff && (cd e2e && $(GO) mod tidy -diff)
	@echo "== go vet"; $(GO) vet -tags $(TAGS) ./...
	@echo "== staticcheck"; $(GO) run $(STATICCHECK) -tags $(TAGS) ./...
	@if [ -f e2e/go.mod ]; then echo "== e2e: go vet + staticcheck"; cd e2e && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...; fi

unit:
	@echo "== go test -race (inside a private D-Bus session with a real gnome-keyring)"
	bash scripts/with-keyring.sh $(GO) test -race -tags $(TAGS) -count=1 ./...

e2e:
	@if [ -f e2e/go.mod ]; then echo "== e2e module: go test -race"; cd e2e && bash ../scripts/with-keyring.sh $(GO) test -race -tags $(TAGS) -count=1 ./...; fi

# The real window under Xvfb with Fyne's thread checks on, clicked through with xdotool.
ui-check:
	bash scripts/ui-check.sh

# PNGs of the main screens (light and dark) under docs/, shown by the README.
screenshots: deps-test
	bash scripts/screenshots.sh docs

bench:
	bash bench/run.sh

fuzz:
	$(GO) test ./engine/curl -run '^$$' -fuzz FuzzParse -fuzztime 60s

clean:
	rm -rf bin dist

# ---- packages (packaging/; see the README's Install section)
#   make package        every package this machine can build, into dist/ with SHA256SUMS
#   make install        apidesk, apidesk-cli, desktop entry and icons into ~/.local (PREFIX=/usr/local: for everyone)
#   make uninstall      removes them again (same PREFIX)
#   make install-test   builds the packages, installs the .deb here, starts the installed app under Xvfb,
#                       removes it; checks the .tar.xz install and the Windows packages (needs root or sudo)
.PHONY: package install uninstall install-test deps-package

deps-package:
	@bash scripts/deps.sh package

package: deps-package
	bash packaging/build.sh

install:
	@bash scripts/deps.sh install
	bash packaging/install.sh $(if $(PREFIX),--prefix '$(PREFIX)')

uninstall:
	bash packaging/install.sh --uninstall $(if $(PREFIX),--prefix '$(PREFIX)')

install-test:
	@bash scripts/deps.sh install-test
	bash packaging/build.sh
	bash packaging/install-test.sh
