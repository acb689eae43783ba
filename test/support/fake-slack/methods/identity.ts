import { SlackApiError } from '../api-error.ts';
import { type ApiContext, type Method, stringArg, teamOf } from '../method.ts';
import { usernameOf } from '../user-actions.ts';

/** Scopes the fake's bot token reports (`oauth.v2.access`); what the clipbot manifest asks for. */
export const BOT_SCOPES = ['commands', 'chat:write', 'files:write', 'im:write', 'users:read'];

/**
 * auth.test, apps.connections.open, conversations.open, users.info and oauth.v2.access: who the caller
 * is, where Socket Mode connects, DMs, users, and installing the app in a team.
 */
export function identityMethods(context: ApiContext, socketUrl: () => string): Record<string, Method> {
  const { state } = context;
  return {
    'auth.test': {
      auth: 'bot',
      handle(call) {
        const team = teamOf(call);
        return {
          url: `https://${team.domain}.slack.com/`,
          team: team.name,
          user: 'clipbot',
          team_id: team.id,
          user_id: team.botUserId,
          bot_id: team.botId,
          is_enterprise_install: false,
        };
      },
    },
    'apps.connections.open': {
      auth: 'app',
      handle(call) {
        if (call.caller?.kind !== 'app') throw new SlackApiError('not_allowed_token_type');
        return { url: socketUrl() };
      },
    },
    'conversations.open': {
      auth: 'bot',
      handle(call) {
        const team = teamOf(call);
        const existing = stringArg(call.args, 'channel');
        if (existing !== undefined) {
          const channel = state.channels.get(existing);
          if (!channel || channel.teamId !== team.id) throw new SlackApiError('channel_not_found');
          return { channel: { id: channel.id } };
        }
        const users = (stringArg(call.args, 'users') ?? '').split(',').filter(Boolean);
        if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
        if (users.length > 8) throw new SlackApiError('too_many_users');
        if (users.length === 1) {
          const dm = state.dmWith(team, users[0] as string);
          return { no_op: false, already_open: false, channel: { id: dm.id } };
        }
        const id = state.ids.next('G');
        state.channels.set(id, {
          id,
          teamId: team.id,
          kind: 'mpim',
          members: new Set(users),
          botIsMember: true,
        });
        return { no_op: false, already_open: false, channel: { id } };
      },
    },
    'users.info': {
      auth: 'bot',
      handle(call) {
        const team = teamOf(call);
        const id = stringArg(call.args, 'user') ?? '';
        if (!/^[UW][A-Z0-9]+$/.test(id)) throw new SlackApiError('user_not_found');
        const isBot = id === team.botUserId;
        const name = isBot ? 'clipbot' : usernameOf(id);
        return {
          user: {
            id,
            team_id: team.id,
            name,
            real_name: name,
            deleted: false,
            is_admin: team.admins.has(id),
            is_owner: team.owners.has(id),
            is_primary_owner: false,
            is_restricted: false,
            is_ultra_restricted: false,
            is_bot: isBot,
            is_app_user: false,
            tz: 'Europe/London',
            profile: { real_name: name, display_name: name, team: team.id },
          },
        };
      },
    },
    'oauth.v2.access': {
      auth: 'none',
      handle(call) {
        const clientId = stringArg(call.args, 'client_id') ?? call.basic?.user;
        const clientSecret = stringArg(call.args, 'client_secret') ?? call.basic?.password;
        if (clientId === undefined) throw new SlackApiError('invalid_client_id');
        if (context.clientId !== undefined && clientId !== context.clientId) {
          throw new SlackApiError('invalid_client_id');
        }
        if (context.clientSecret !== undefined && clientSecret !== context.clientSecret) {
          throw new SlackApiError('bad_client_secret');
        }
        const code = stringArg(call.args, 'code') ?? '';
        const teamId = state.installCodes.get(code);
        if (teamId === undefined) throw new SlackApiError('invalid_code');
        state.installCodes.delete(code);
        const team = state.team(teamId);
        return {
          app_id: state.appId,
          authed_user: { id: [...team.owners][0] ?? 'U0INSTALLER' },
          scope: BOT_SCOPES.join(','),
          token_type: 'bot',
          access_token: team.botToken,
          bot_user_id: team.botUserId,
          team: { id: team.id, name: team.name },
          enterprise: null,
          is_enterprise_install: false,
        };
      },
    },
  };
}
