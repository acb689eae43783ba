import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

const FILES: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/picture.js': 'picture.js',
  '/app.css': 'app.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** The page's files (static/), read once at start and served with a strict content policy. */
export class StaticFiles {
  private readonly bytes = new Map<string, Buffer>();

  constructor() {
    for (const file of Object.values(FILES))
      this.bytes.set(file, readFileSync(new URL(`./static/${file}`, import.meta.url)));
  }

  /** Serves `path` when it is one of the page's files; false when it is not. */
  serve(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    const file = FILES[path];
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    res.writeHead(200, {
      'content-type': TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; media-src 'self' blob:; img-src 'self' data: blob:",
    });
    res.end(req.method === 'HEAD' ? undefined : this.bytes.get(file));
    return true;
  }
}
