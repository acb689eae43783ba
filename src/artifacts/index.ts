export type { ArtifactStore } from './artifact-store.ts';
export { RedisArtifactStore } from './redis-artifact-store.ts';
