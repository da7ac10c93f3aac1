#!/usr/bin/env bash
# Server tests: node's test runner over every *.test.ts under server/ (or the files in SERVER_TEST_FILES),
# TypeScript through tsx.
cd "$(dirname "$0")/.." || exit 1
files=${SERVER_TEST_FILES:-$(find server scripts -name '*.test.ts' | sort)}
# shellcheck disable=SC2086 # a list of paths without spaces
exec node --import tsx --test --test-reporter=spec --test-concurrency=2 $files "$@"
