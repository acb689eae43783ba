#!/usr/bin/env node
// clipbot ships as TypeScript: register tsx's loader, then import the entry point. The import must be
// dynamic, since a static one would be resolved before register() runs.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
