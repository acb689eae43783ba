import type { FakeState } from './state.ts';
import type { ShareFileInput } from './types.ts';

/**
 * A user uploads a file into a conversation from their Slack client: the file (owned by the user,
 * complete at once) and the user's message that shares it. Returns the file id.
 */
export function shareUserFile(state: FakeState, input: ShareFileInput): string {
  const team = state.team(input.teamId);
  const channel = state.channels.get(input.channel);
  if (!channel || channel.teamId !== team.id)
    throw new Error(`fake-slack: team ${team.id} has no channel ${input.channel}`);
  if (channel.members && !channel.members.has(input.user))
    throw new Error(`fake-slack: ${input.user} is not in ${input.channel}`);
  const id = state.ids.next('F');
  const bytes = Buffer.from(input.bytes);
  const ts = state.ids.ts();
  state.files.set(id, {
    id,
    teamId: team.id,
    name: input.name,
    length: bytes.length,
    bytes,
    completed: true,
    createdAt: Date.now(),
    shares: [{ channelId: channel.id, ts }],
    userId: input.user,
    ...(input.mimetype === undefined ? {} : { mimetype: input.mimetype }),
  });
  state.record({
    ts,
    teamId: team.id,
    channelId: channel.id,
    userId: input.user,
    text: '',
    blocks: [],
    files: [id],
  });
  return id;
}

/** The user deletes their file: its messages keep a tombstone, files.info answers `file_deleted`. */
export function deleteUserFile(state: FakeState, fileId: string): void {
  const file = state.files.get(fileId);
  if (!file || file.userId === undefined) throw new Error(`fake-slack: no user file ${fileId}`);
  file.deleted = true;
  for (const place of file.shares) {
    const message = state.liveMessage(place.channelId, place.ts);
    const files = message?.files?.filter((id) => id !== fileId);
    if (message && files) state.record({ ...message, files });
  }
}
