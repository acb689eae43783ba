// The model process's entry: a child started with fork() gets none of the parent's loader flags
// (OnnxModelProcess clears execArgv), so it registers tsx's, as bin/clipbot.mjs does, then runs the
// process's code.
import { register } from 'tsx/esm/api';

register();
await import('./model-process.ts');
