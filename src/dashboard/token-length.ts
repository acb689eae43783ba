/** The shortest dashboard token accepted (config and startDashboard both enforce it). */
export const MIN_DASHBOARD_TOKEN_LENGTH = 24;
