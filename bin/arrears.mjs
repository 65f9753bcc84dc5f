#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size: bulk work (import, snapshot) allocates many short-lived objects; a larger nursery
// cut garbage-collection time by a third to two thirds in bench/foundation.bench.ts.
// Runs the TypeScript CLI through tsx so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
