#!/usr/bin/env bash
# Builds the real servers the test stack runs (FerretDB, MinIO) from their Go modules,
# once: binaries already in the Go bin directory are reused.
set -euo pipefail
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
MINIO_VERSION="${MINIO_VERSION:-latest}"
command -v go >/dev/null || { echo "build-servers: Go is required (https://go.dev/dl/)" >&2; exit 1; }
bindir="$(go env GOBIN)"; [ -n "$bindir" ] || bindir="$(go env GOPATH)/bin"
mkdir -p "$bindir"

if [ ! -x "$bindir/ferretdb" ]; then
  echo "build-servers: building FerretDB $FERRETDB_VERSION (about a minute)…"
  # `go install …/cmd/ferretdb@v1.24.2` builds a binary that panics at start: the module
  # ships an empty build/version/version.txt. Build from a copy with the file filled in.
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  echo "$FERRETDB_VERSION" > "$work/build/version/version.txt"
  (cd "$work" && go build -trimpath -o "$bindir/ferretdb" ./cmd/ferretdb)
fi

if [ ! -x "$bindir/minio" ]; then
  echo "build-servers: building MinIO ($MINIO_VERSION, about two minutes)…"
  go install "github.com/minio/minio@$MINIO_VERSION"
fi
echo "build-servers: ferretdb and minio ready in $bindir"
