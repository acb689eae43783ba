export { type HealthStatus, startHealthServer } from './health-server.ts';
export { isLoopbackHost } from './loopback-host.ts';
export { type AuthResult, authenticate, rejectUnauthenticated, SESSION_COOKIE } from './token-auth.ts';
export { sessionValue, tokensMatch } from './token-match.ts';
