import type { Requester } from '../../core/index.ts';
import type { SlackClients } from './slack-clients.ts';

const KEEP_MS = 5 * 60_000;

/**
 * Who a Slack user is to clipbot: workspace admins and owners (users.info) may change the workspace's
 * settings and cancel or delete anyone's clip. Answers are kept five minutes per user.
 */
export class SlackPeople {
  private readonly known = new Map<string, { requester: Requester; until: number }>();

  constructor(private readonly clients: SlackClients) {}

  async requester(teamId: string, userId: string, name?: string): Promise<Requester> {
    const key = `${teamId}:${userId}`;
    const kept = this.known.get(key);
    if (kept && kept.until > Date.now()) return kept.requester;
    const client = await this.clients.bot(teamId);
    const { user } = await client.users.info({ user: userId });
    const admin = user?.is_admin === true || user?.is_owner === true;
    const requester: Requester = {
      id: userId,
      displayName: user?.real_name ?? name ?? userId,
      isModerator: admin,
      isAdmin: admin,
    };
    if (this.known.size >= 10_000) this.known.clear();
    this.known.set(key, { requester, until: Date.now() + KEEP_MS });
    return requester;
  }
}
