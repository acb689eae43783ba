export { authenticate, rejectUnauthenticated } from './dashboard-auth.ts';
export { MIN_DASHBOARD_TOKEN_LENGTH } from './dashboard-token.ts';
export { type Dashboard, type DashboardOptions, startDashboard } from './start-dashboard.ts';
