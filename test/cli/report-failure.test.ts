import { describe, expect, it } from 'vitest';
import { ExitCode, reportFailure, UsageError } from '../../src/cli/index.ts';
import { ConfigError } from '../../src/config/index.ts';
import { MediaError, MediaErrorCode } from '../../src/media/index.ts';
import { PipelineError, PipelineErrorCode } from '../../src/model/index.ts';

describe('reportFailure', () => {
  it('for a usage error, exits 2 with the message, the synopsis and where to find help', () => {
    const report = reportFailure(new UsageError('--seed must be a whole number', 'generate'));
    expect(report.exitCode).toBe(ExitCode.Usage);
    expect(report.text).toBe(
      'error: --seed must be a whole number\nUsage: clipbot generate "<prompt>" [options]\n' +
        "Run 'clipbot generate --help' for more.\n",
    );
  });

  it('for a bad environment, exits 2 with the config message', () => {
    const report = reportFailure(new ConfigError('invalid environment: CLIPBOT_THREADS'));
    expect(report).toEqual({ exitCode: 2, text: 'error: invalid environment: CLIPBOT_THREADS\n' });
  });

  it('for a pipeline or media failure, exits 1 with just the message', () => {
    const tier = new PipelineError(
      PipelineErrorCode.TierUnknown,
      'model m has no tier "x"; its tiers are: low',
    );
    expect(reportFailure(tier)).toEqual({
      exitCode: 1,
      text: 'error: model m has no tier "x"; its tiers are: low\n',
    });
    const media = new MediaError(MediaErrorCode.FfmpegNotFound, 'ffmpeg not found on PATH');
    expect(reportFailure(media)).toEqual({ exitCode: 1, text: 'error: ffmpeg not found on PATH\n' });
  });

  it('with debug, adds the stack trace and the causes below it', () => {
    const error = new Error('cannot write the clip', { cause: new Error('EACCES') });
    const { text } = reportFailure(error, { debug: true });
    expect(text).toMatch(/^error: cannot write the clip\nError: cannot write the clip\n\s+at /);
    expect(text).toMatch(/caused by:\nError: EACCES/);
  });

  it('for a cancelled generation or encode, exits 130 saying so', () => {
    const aborted = new PipelineError(PipelineErrorCode.Aborted, 'generation cancelled');
    expect(reportFailure(aborted)).toEqual({ exitCode: ExitCode.Interrupted, text: 'cancelled\n' });
    const killed = new MediaError(MediaErrorCode.Aborted, 'encode was aborted');
    expect(reportFailure(killed).exitCode).toBe(130);
  });
});
