import { describe, expect, it } from 'vitest';
import { discordTime, discordView } from '../../src/adapters/discord/discord-reply-view.ts';
import { buttonsFor, type Reply, type ShownReply } from '../../src/core/index.ts';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const shown = (reply: Reply, isPrivate = false): ShownReply => ({
  ...reply,
  buttons: buttonsFor(reply, '1300000000000000001'),
  private: isPrivate,
});

describe('how a reply looks on Discord', () => {
  it('shows a queued reply with its position and a relative timestamp, and a Cancel button', () => {
    const view = discordView(shown({ kind: 'queued', jobId: 'j', position: 3, etaMs: 90_000 }), NOW);
    expect(view.content).toBe(`⏳ Queued: position 3, about <t:${NOW / 1000 + 90}:R>.`);
    expect(view.components).toEqual([
      {
        type: 1,
        components: [{ type: 2, style: 4, label: 'Cancel', custom_id: 'video:cancel:1300000000000000001' }],
      },
    ]);
    expect(view.file).toBeUndefined();
  });

  it('says so when no worker runs, instead of a time it cannot keep', () => {
    const view = discordView(
      shown({ kind: 'queued', jobId: 'j', position: 1, etaMs: 0, noWorker: true }),
      NOW,
    );
    expect(view.content).toMatch(/video generation is down right now/);
    expect(view.content).not.toMatch(/<t:/);
  });

  it('shows progress as a bar with the step and tier', () => {
    const view = discordView(
      shown({ kind: 'running', jobId: 'j', step: 6, totalSteps: 12, tier: 'medium', etaMs: 2_000 }),
      NOW,
    );
    expect(view.content).toBe(`🎬 Rendering at medium ▰▰▰▰▰▰▱▱▱▱▱▱ step 6/12, done <t:${NOW / 1000 + 2}:R>.`);
  });

  it('attaches the clip under its prompt, seed, tier and time, with the fallback said', () => {
    const bytes = new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112]);
    const view = discordView(
      shown({
        kind: 'done',
        jobId: 'j',
        prompt: 'a red ball',
        clip: {
          bytes,
          fileName: 'clip.mp4',
          seed: 7,
          tier: 'low',
          elapsedMs: 4_900,
          fallback: { from: 'medium', reason: 'memory was short' },
        },
      }),
      NOW,
    );
    expect(view.content).toBe(
      '**a red ball**\nseed 7 · low · made in 4.9 s\nMade at low instead of medium: memory was short.',
    );
    expect(view.file?.name).toBe('clip.mp4');
    expect(Buffer.compare(view.file?.data ?? Buffer.alloc(0), Buffer.from(bytes))).toBe(0);
    expect(view.components[0]?.components.map((c) => ('label' in c ? c.label : ''))).toEqual([
      'Reroll',
      'Delete',
    ]);
  });

  it("shows a refusal's time to try again as a timestamp in the reader's own time zone", () => {
    const retryAt = NOW + 14 * 60_000;
    const view = discordView(
      shown({
        kind: 'refused',
        reason: 'user-rate-limit',
        message: 'You have used your 10 clips for this hour. Try again at 12:14 UTC.',
        retryAt,
      }),
      NOW,
    );
    expect(view.content).toBe(
      `🚫 You have used your 10 clips for this hour. Try again ${discordTime(retryAt, 't')} (${discordTime(retryAt)}).`,
    );
    expect(view.components).toEqual([]);
  });

  it('never goes over the 2,000 characters of a message', () => {
    const view = discordView(shown({ kind: 'failed', jobId: 'j', message: 'x'.repeat(3_000) }), NOW);
    expect(view.content.length).toBe(2_000);
  });
});
