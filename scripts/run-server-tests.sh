#!/usr/bin/env bash
# Server tests: node's test runner over every *.test.ts under server/, TypeScript through tsx.
cd "$(dirname "$0")/.." && exec node --import tsx --test --test-reporter=spec --test-concurrency=2 $(find server scripts -name '*.test.ts' | sort) "$@"
