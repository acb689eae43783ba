import { describe, expect, it } from 'vitest';
import { slackEscape, slackTime, slackView } from '../../src/adapters/slack/slack-reply-view.ts';
import { buttonsFor, type Reply, type ShownReply } from '../../src/core/index.ts';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const shown = (reply: Reply): ShownReply => ({
  ...reply,
  buttons: buttonsFor(reply, '123.456.abc'),
  private: false,
});

describe('how a reply looks on Slack', () => {
  it('escapes what users typed, so no prompt can mention a channel, a user or a group', () => {
    const view = slackView(
      shown({
        kind: 'done',
        jobId: 'j',
        prompt: '<!channel> <@U123> <!subteam^S1> a & b',
        clip: { bytes: new Uint8Array(8), fileName: 'c.mp4', seed: 7, tier: 'low', elapsedMs: 1_200 },
      }),
      NOW,
    );
    expect(view.text).toContain('*&lt;!channel&gt; &lt;@U123&gt; &lt;!subteam^S1&gt; a &amp; b*');
    expect(view.text).not.toMatch(/<[!@]/);
    expect(slackEscape('<@U1>')).toBe('&lt;@U1&gt;');
  });

  it('shows the queue position with a Slack date token and a Cancel button', () => {
    const view = slackView(shown({ kind: 'queued', jobId: 'j', position: 2, etaMs: 60_000 }), NOW);
    expect(view.text).toBe(
      `:hourglass_flowing_sand: Queued: position 2, done around ${slackTime(NOW + 60_000)}.`,
    );
    expect(slackTime(NOW + 60_000)).toBe(`<!date^${NOW / 1000 + 60}^{time}|12:01 UTC>`);
    expect(view.blocks[1]).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'video:cancel:123.456.abc',
          text: { type: 'plain_text', text: 'Cancel' },
          style: 'danger',
        },
      ],
    });
  });

  it('shows progress as a bar with the step and tier', () => {
    const view = slackView(
      shown({ kind: 'running', jobId: 'j', step: 3, totalSteps: 12, tier: 'medium', etaMs: 1_000 }),
      NOW,
    );
    expect(view.text).toMatch(/^:clapper: Rendering at medium ▰▰▰▱▱▱▱▱▱▱▱▱ step 3\/12/);
  });

  it("shows a refusal's time to try again as a date token", () => {
    const retryAt = NOW + 30 * 60_000;
    const view = slackView(
      shown({
        kind: 'refused',
        reason: 'user-rate-limit',
        message: 'You have used your clips. Try again at 12:30 UTC.',
        retryAt,
      }),
      NOW,
    );
    expect(view.text).toBe(`:no_entry_sign: You have used your clips. Try again at ${slackTime(retryAt)}.`);
    expect(view.blocks).toHaveLength(1);
  });
});
