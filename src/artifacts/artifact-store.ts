/** Where finished MP4s wait for delivery (and serve the clip cache), addressed by a key. */
export interface ArtifactStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when the key is unknown or expired. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}
