import { describe, expect, it } from 'vitest';
import { UpdateBudget } from '../../src/adapters/slack/update-budget.ts';

describe("progress edits within Slack's chat.update budget", () => {
  it('allows the budget at once, then one more per refill interval, per workspace', () => {
    let now = 0;
    const budget = new UpdateBudget(40, () => now);
    const taken = Array.from({ length: 45 }, () => budget.take('T1')).filter(Boolean).length;
    expect(taken).toBe(40);
    expect(budget.take('T2')).toBe(true); // another workspace has its own
    now += 1_500; // 40 a minute: one every 1.5 s
    expect(budget.take('T1')).toBe(true);
    expect(budget.take('T1')).toBe(false);
    now += 60_000;
    expect(Array.from({ length: 50 }, () => budget.take('T1')).filter(Boolean).length).toBe(40);
  });
});
