import { readFileSync } from 'node:fs';
import type { VideoModel } from '../../src/model/index.ts';
import { analyseClip } from './frame-analyser.ts';

export interface EvalPrompt {
  prompt: string;
  colour: string;
  motion: 'left' | 'right' | 'up' | 'down' | null;
}

export interface EvalSet {
  palette: Record<string, number[]>;
  prompts: EvalPrompt[];
}

export interface Adherence {
  colourRate: number;
  motionRate: number;
  misses: string[];
}

export function readEvalSet(path: string): EvalSet {
  return JSON.parse(readFileSync(path, 'utf8')) as EvalSet;
}

/** Renders every held-out prompt at `tier` (seed 1000 + its index) and scores colour and motion. */
export async function adherence(model: VideoModel, evalSet: EvalSet, tier: string): Promise<Adherence> {
  let colourRight = 0;
  let motionRight = 0;
  let motionAsked = 0;
  const misses: string[] = [];
  for (const [i, item] of evalSet.prompts.entries()) {
    const clip = await model.generate({ prompt: item.prompt, seed: 1000 + i, tier });
    const seen = analyseClip(clip.frames, evalSet.palette);
    const colourOk = seen.colour === item.colour;
    const motionOk = item.motion === null || seen.direction === item.motion;
    colourRight += colourOk ? 1 : 0;
    if (item.motion) {
      motionAsked++;
      motionRight += motionOk ? 1 : 0;
    }
    if (!colourOk || !motionOk) misses.push(`"${item.prompt}": saw ${seen.colour} ${seen.direction}`);
  }
  return { colourRate: colourRight / evalSet.prompts.length, motionRate: motionRight / motionAsked, misses };
}
