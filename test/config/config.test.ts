import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrorCode, describeConfig, loadConfig } from '../../src/config/index.ts';

describe('loadConfig', () => {
  it('with an empty environment, gives the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      log: { level: 'info', pretty: false },
      media: { ffmpegPath: undefined, ffprobePath: undefined },
    });
  });

  it('reads log settings and binary paths, treating empty strings as unset', () => {
    const config = loadConfig({
      LOG_LEVEL: 'debug',
      LOG_PRETTY: 'yes',
      FFMPEG_PATH: '/opt/ffmpeg',
      FFPROBE_PATH: '',
    });
    expect(config).toEqual({
      log: { level: 'debug', pretty: true },
      media: { ffmpegPath: '/opt/ffmpeg', ffprobePath: undefined },
    });
  });

  it('when a variable is invalid, then start-up fails naming it', () => {
    const error = (() => {
      try {
        loadConfig({ LOG_LEVEL: 'loud', LOG_PRETTY: 'maybe' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: ConfigErrorCode.Invalid });
    expect((error as Error).message).toMatch(/LOG_LEVEL[\s\S]*LOG_PRETTY/);
  });

  it('describes every variable it reads', () => {
    const names = describeConfig().map((entry) => entry.name);
    expect(names).toEqual(['LOG_LEVEL', 'LOG_PRETTY', 'FFMPEG_PATH', 'FFPROBE_PATH']);
    expect(describeConfig().every((entry) => entry.description.length > 0)).toBe(true);
  });
});
