import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** A process's health: `ok` false answers 503, so an orchestrator sees it without reading the body. */
export type HealthStatus = { ok: boolean } & Record<string, unknown>;

/** /healthz (JSON status) and /metrics (Prometheus text) on one port, on 127.0.0.1. */
export async function startHealthServer(
  port: number,
  registry: Registry,
  status: () => HealthStatus | Promise<HealthStatus>,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      Promise.resolve(status()).then(
        (body) =>
          res
            .writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' })
            .end(JSON.stringify(body)),
        () => res.writeHead(500).end(),
      );
    } else if (req.url === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
