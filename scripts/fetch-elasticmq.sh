#!/usr/bin/env bash
# ElasticMQ (SQS-compatible, JVM) for test/e2e/change-feed-sqs: its jars from Maven Central into a cache
# directory, once. Needs java and mvn. Prints the directory holding the jars.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lib="${ELASTICMQ_LIB:-${XDG_CACHE_HOME:-$HOME/.cache}/storesync/elasticmq-1.6.11}"
if [ ! -f "$lib/.complete" ]; then
  mkdir -p "$lib"
  mvn -q -f "$here/elasticmq/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$lib" >&2
  touch "$lib/.complete"
fi
echo "$lib"
