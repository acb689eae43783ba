import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { MediaError, MediaErrorCode } from './media-error.ts';

/** The two binaries src/media runs, with the option that points at each. */
export type MediaBinary = 'ffmpeg' | 'ffprobe';

const optionName: Record<MediaBinary, string> = { ffmpeg: 'ffmpegPath', ffprobe: 'ffprobePath' };
const notFoundCode: Record<MediaBinary, MediaErrorCode> = {
  ffmpeg: MediaErrorCode.FfmpegNotFound,
  ffprobe: MediaErrorCode.FfprobeNotFound,
};

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds ffmpeg or ffprobe: the configured path when given (a bare name is looked up on PATH),
 * else the binary's own name on PATH. Fails with a MediaError that says what to install or set.
 */
export async function findBinary(
  name: MediaBinary,
  configured?: string,
  // PATH is the OS's lookup for programs (what spawn would use), not clipbot configuration.
  searchPath: string = process.env.PATH ?? '',
): Promise<string> {
  const wanted = configured ?? name;
  const hint = `Install it (Debian/Ubuntu: \`apt-get install ffmpeg\`, which brings ffmpeg and ffprobe) or set the ${optionName[name]} option to the binary.`;
  if (wanted.includes('/')) {
    const path = isAbsolute(wanted) ? wanted : resolve(wanted);
    if (await isExecutable(path)) return path;
    throw new MediaError(
      notFoundCode[name],
      `${name} not found at ${path} (from the ${optionName[name]} option): no executable file there. ${hint}`,
    );
  }
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, wanted);
    if (await isExecutable(candidate)) return candidate;
  }
  throw new MediaError(notFoundCode[name], `${wanted} not found on PATH. ${hint}`);
}
