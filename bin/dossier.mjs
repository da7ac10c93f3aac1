#!/usr/bin/env node
// The `dossier` CLI: runs the TypeScript server sources directly through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../server/src/cli.ts');
