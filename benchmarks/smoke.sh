#!/usr/bin/env bash
# Runs one short iteration of one benchmark and a small memory measurement, so that CI notices when
# the benchmarks stop building or running. It measures nothing worth reading.
# Uses benchmarks/target/benchmarks.jar as `mvn -B verify` leaves it, and builds it when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ]; then
  mvn -B -q -DskipTests -pl benchmarks -am package
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
java -cp "$jar" dev.tierlimit.benchmarks.Profiles smoke "$results"
if ! grep -q '"primaryMetric"' "$results/jmh.json"; then
  echo "benchmark smoke run wrote no result to $results/jmh.json" >&2
  exit 1
fi
echo "benchmark smoke run passed"
