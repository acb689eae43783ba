/** The app's answer to Slack's redirect after "Allow". */
export interface InstallResult {
  status: number;
  body: string;
  location?: string;
}

/**
 * A user installs the app in a team as a browser would: opens the app's install page (Bolt's
 * `/slack/install`), takes its "Add to Slack" link (or its 302), clicks "Allow" on Slack's side (the
 * fake issues a one-time code for the team, as Slack does) and lands on the app's redirect URL with
 * `code` and `state` and the state cookie the install page set. Slack's own authorize page is never
 * fetched: the link is only read.
 */
export async function installThroughBrowser(
  installUrl: string,
  issueCode: (clientId: string | null) => string,
  redirectUrl?: string,
): Promise<InstallResult> {
  const page = await fetch(installUrl, { redirect: 'manual' });
  const cookies = page.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
  const html = await page.text();
  const link =
    page.headers.get('location') ??
    /href="([^"]*\/oauth\/v2\/authorize[^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  if (!link)
    throw new Error(`fake-slack: ${installUrl} offers no "Add to Slack" link (status ${page.status})`);
  const authorize = new URL(link);
  const code = issueCode(authorize.searchParams.get('client_id'));
  const target = new URL(
    authorize.searchParams.get('redirect_uri') ??
      redirectUrl ??
      new URL('/slack/oauth_redirect', installUrl).toString(),
  );
  target.searchParams.set('code', code);
  const state = authorize.searchParams.get('state');
  if (state !== null) target.searchParams.set('state', state);
  const landing = await fetch(target, { redirect: 'manual', headers: cookies ? { Cookie: cookies } : {} });
  const location = landing.headers.get('location');
  return { status: landing.status, body: await landing.text(), ...(location === null ? {} : { location }) };
}
