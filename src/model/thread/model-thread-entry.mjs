// The model thread's entry: a worker thread starts without the parent's TypeScript loader, so it
// registers tsx's, as bin/clipbot.mjs does, then runs the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./model-thread.ts');
