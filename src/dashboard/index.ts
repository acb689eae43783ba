export { type Dashboard, type DashboardOptions, startDashboard } from './start-dashboard.ts';
export { MIN_DASHBOARD_TOKEN_LENGTH } from './token-length.ts';
