import type { App, Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';

/** Slack's team, enterprise and user ids (`T0123ABCD`, `E0123ABCD`): safe inside a Redis key. */
const slackIdSchema = z.string().regex(/^[A-Z0-9]{1,64}$/, 'not a Slack id');

/**
 * What must hold of a stored installation before its tokens are handed to Bolt. Objects stay loose:
 * fields a later @slack/oauth adds pass through unchanged.
 */
const installationSchema = z.looseObject({
  team: z.looseObject({ id: slackIdSchema, name: z.string().optional() }).optional(),
  enterprise: z.looseObject({ id: slackIdSchema, name: z.string().optional() }).optional(),
  user: z.looseObject({
    id: z.string(),
    token: z.string().optional(),
    refreshToken: z.string().optional(),
    expiresAt: z.number().optional(),
    scopes: z.array(z.string()).optional(),
  }),
  bot: z
    .looseObject({
      token: z.string().min(1),
      refreshToken: z.string().optional(),
      expiresAt: z.number().optional(),
      scopes: z.array(z.string()),
      id: z.string(),
      userId: z.string(),
    })
    .optional(),
  isEnterpriseInstall: z.boolean().optional(),
  authVersion: z.enum(['v1', 'v2']).optional(),
});

/** Which installation a key holds: a workspace's, or an organisation's (an org-wide install). */
type Owner = { teamId: string } | { enterpriseId: string };

/** The owner an installation is stored under: its organisation when installed org-wide. */
function ownerOf(installation: z.infer<typeof installationSchema>): Owner | undefined {
  if (installation.isEnterpriseInstall) {
    return installation.enterprise ? { enterpriseId: installation.enterprise.id } : undefined;
  }
  return installation.team ? { teamId: installation.team.id } : undefined;
}

/** The owner Bolt asks about: the organisation for an org-wide install, else the workspace. */
function ownerAsked(query: Partial<InstallationQuery<boolean>>): Owner | undefined {
  const teamId = slackIdSchema.safeParse(query.teamId);
  const enterpriseId = slackIdSchema.safeParse(query.enterpriseId);
  if (query.isEnterpriseInstall || !teamId.success) {
    return enterpriseId.success ? { enterpriseId: enterpriseId.data } : undefined;
  }
  return { teamId: teamId.data };
}

/**
 * Slack installations in Redis, one JSON string per workspace (`<prefix>:slack:installation:<team
 * id>`) or per organisation installed org-wide (`<prefix>:slack:installation:E:<enterprise id>`),
 * so that one clipbot serves many workspaces through Bolt's OAuth installer. A set
 * (`<prefix>:slack:installations`) names them all, for {@link RedisInstallationStore.count}.
 *
 * Tokens never reach a log line: lines carry team and enterprise ids only. A stored value that is
 * not an installation, or is another owner's, is logged (its problems by field, never its content)
 * and treated as not installed.
 */
export class RedisInstallationStore implements InstallationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {}

  /** Saves an installation from Bolt's OAuth callback (or a token refresh), replacing the last one. */
  async storeInstallation(installation: Installation): Promise<void> {
    const parsed = installationSchema.safeParse(installation);
    const owner = parsed.success ? ownerOf(parsed.data) : undefined;
    if (!owner) throw new Error('a Slack installation without a valid team or enterprise id was not stored');
    await execAll(
      this.redis
        .multi()
        .set(this.key(owner), JSON.stringify(installation))
        .sadd(this.indexKey(), this.member(owner)),
    );
    this.logger.info({ ...owner, scopes: installation.bot?.scopes }, 'slack installation stored');
  }

  /** Bolt's lookup for each incoming event: throws when the workspace has no usable installation. */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const found = await this.find(query);
    if (!found) throw new Error(`no Slack installation for ${ownerText(ownerAsked(query))}`);
    return found;
  }

  /** The installation asked about, or undefined when there is none (or none that validates). */
  async find(query: Partial<InstallationQuery<boolean>>): Promise<Installation | undefined> {
    const owner = ownerAsked(query);
    if (!owner) return undefined;
    const raw = await this.redis.get(this.key(owner));
    if (raw === null) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // JSON.parse's message quotes the text it choked on, which may hold a token: not logged.
      this.logger.warn({ ...owner }, 'stored slack installation is not JSON; treated as not installed');
      return undefined;
    }
    const parsed = installationSchema.safeParse(value);
    if (!parsed.success) {
      // Paths and codes only: a zod message or input could repeat a stored value.
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`,
      );
      this.logger.warn(
        { ...owner, problems },
        'stored slack installation is invalid; treated as not installed',
      );
      return undefined;
    }
    const storedFor = ownerOf(parsed.data);
    if (!storedFor || this.key(storedFor) !== this.key(owner)) {
      this.logger.warn(
        { ...owner },
        'stored slack installation belongs to another owner; treated as not installed',
      );
      return undefined;
    }
    return parsed.data as Installation;
  }

  /** Removes the installation asked about, tokens and all; nothing when there is none. */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const owner = ownerAsked(query);
    if (!owner) {
      this.logger.warn('slack installation not deleted: the query names no valid team or enterprise id');
      return;
    }
    const [removed] = await execAll(
      this.redis.multi().del(this.key(owner)).srem(this.indexKey(), this.member(owner)),
    );
    this.logger.info({ ...owner, removed: removed === 1 }, 'slack installation deleted');
  }

  /** How many installations are stored (workspaces plus org-wide installs): for /healthz. */
  async count(): Promise<number> {
    return this.redis.scard(this.indexKey());
  }

  private key(owner: Owner): string {
    return `${this.keyPrefix}:slack:installation:${this.member(owner)}`;
  }

  private member(owner: Owner): string {
    return 'teamId' in owner ? owner.teamId : `E:${owner.enterpriseId}`;
  }

  private indexKey(): string {
    return `${this.keyPrefix}:slack:installations`;
  }
}

/** Runs a MULTI and returns its replies; throws the first command's error (exec only reports them). */
async function execAll(multi: ChainableCommander): Promise<unknown[]> {
  const replies = (await multi.exec()) ?? [];
  const failed = replies.find(([error]) => error)?.[0];
  if (failed) throw failed;
  return replies.map(([, reply]) => reply);
}

function ownerText(owner: Owner | undefined): string {
  if (!owner) return 'a query without a valid team or enterprise id';
  return 'teamId' in owner ? `team ${owner.teamId}` : `enterprise ${owner.enterpriseId}`;
}

/**
 * Deletes a workspace's installation when Slack says its tokens are gone: `app_uninstalled`, and
 * `tokens_revoked` naming a bot token. Bolt 5.1 does not do this itself: it only skips `authorize`
 * for these two events (the tokens are already dead) and hands them to listeners with the team and
 * enterprise ids in `context`. Revoked user tokens alone change nothing: clipbot asks for none.
 * The manifest subscribes to both events. A failure is logged, not thrown: Bolt has acknowledged the
 * event already, so Slack will not send it again.
 */
export function listenForUninstalls(app: App, store: RedisInstallationStore, logger: Logger): void {
  const remove = async (
    reason: string,
    context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean },
  ) => {
    const query = {
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall ?? false,
    } as InstallationQuery<boolean>;
    logger.info({ teamId: context.teamId, enterpriseId: context.enterpriseId, reason }, 'slack tokens gone');
    try {
      await store.deleteInstallation(query);
    } catch (error) {
      logger.error(
        { teamId: context.teamId, enterpriseId: context.enterpriseId, reason, err: error },
        'slack installation could not be deleted',
      );
    }
  };
  app.event('app_uninstalled', async ({ context }) => remove('app_uninstalled', context));
  app.event('tokens_revoked', async ({ event, context }) => {
    if ((event.tokens.bot ?? []).length > 0) await remove('tokens_revoked', context);
  });
}
