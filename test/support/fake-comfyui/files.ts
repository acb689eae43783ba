import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type FolderType = 'input' | 'output' | 'temp';

/**
 * The fake's input, output and temp folders, and folder_paths.py's rules for them: annotated names
 * (`name.png [output]`), `/view`'s checks (400 for `..` or a leading `/`, 403 for a subfolder that
 * leaves the folder, 404 when missing), upload renaming (`name (1).png`) and SaveVideo's counters.
 */
export class Folders {
  readonly input: string;
  readonly output: string;
  readonly temp: string;

  constructor(root: string) {
    this.input = path.join(root, 'input');
    this.output = path.join(root, 'output');
    this.temp = path.join(root, 'temp');
  }

  async create(): Promise<void> {
    for (const dir of [this.input, this.output, this.temp]) await mkdir(dir, { recursive: true });
  }

  dir(type: string | undefined): string | undefined {
    if (type === 'input') return this.input;
    if (type === 'output') return this.output;
    if (type === 'temp') return this.temp;
    return undefined;
  }

  /** folder_paths.annotated_filepath: a ` [output]`-style suffix picks the folder. */
  annotated(name: string): { name: string; dir?: string } {
    for (const type of ['output', 'input', 'temp'] as const) {
      const suffix = `[${type}]`;
      if (name.endsWith(suffix)) return { name: name.slice(0, -(suffix.length + 1)), dir: this.dir(type) };
    }
    return { name };
  }

  /** folder_paths.exists_annotated_filepath, as LoadImage validates its `image`. */
  imageExists(name: string): boolean {
    const { name: file, dir = this.input } = this.annotated(name);
    return existsSync(path.join(dir, file));
  }

  /** Image files at the top of the input folder: LoadImage's combo list. */
  inputImages(): string[] {
    return readdirSync(this.input).filter(
      (f) => /\.(png|jpe?g|webp|gif|bmp)$/i.test(f) && statSync(path.join(this.input, f)).isFile(),
    );
  }

  /** `GET /view`: the file to serve, or the status ComfyUI answers. */
  view(query: URLSearchParams): { file: string; name: string } | { status: 400 | 403 | 404 } {
    const raw = query.get('filename');
    if (raw === null) return { status: 404 };
    const { name, dir: annotatedDir } = this.annotated(raw);
    if (name.startsWith('/') || name.includes('..')) return { status: 400 };
    let dir = annotatedDir ?? this.dir(query.get('type') ?? 'output');
    if (dir === undefined) return { status: 400 };
    const subfolder = query.get('subfolder');
    if (subfolder !== null) {
      const full = path.resolve(dir, subfolder);
      if (!inside(dir, full)) return { status: 403 };
      dir = full;
    }
    const base = path.basename(name);
    const file = path.join(dir, base);
    return existsSync(file) && statSync(file).isFile() ? { file, name: base } : { status: 404 };
  }

  /** `POST /upload/image`: stores the bytes; the answer's name is the one the file got. */
  async upload(
    bytes: Buffer,
    filename: string,
    fields: { type?: string; subfolder?: string; overwrite?: string },
  ): Promise<{ name: string; subfolder: string; type: string } | undefined> {
    const type = fields.type ?? 'input';
    const root = this.dir(type);
    if (root === undefined || filename === '') return undefined;
    const subfolder = fields.subfolder ?? '';
    const folder = path.join(root, path.normalize(subfolder));
    let target = path.resolve(folder, filename);
    if (!inside(root, target)) return undefined;
    await mkdir(folder, { recursive: true });
    let name = filename;
    let duplicate = false;
    if (fields.overwrite !== 'true' && fields.overwrite !== '1') {
      const { name: stem, ext } = path.parse(filename);
      for (let i = 1; existsSync(target); i++) {
        if (sameBytes(target, bytes)) {
          duplicate = true;
          break;
        }
        name = `${stem} (${i})${ext}`;
        target = path.join(folder, name);
      }
    }
    if (!duplicate) await writeFile(target, bytes);
    return { name, subfolder, type };
  }

  /** folder_paths.get_save_image_path: the folder, file stem and next counter for a prefix. */
  savePath(prefix: string): { folder: string; subfolder: string; stem: string; counter: number } {
    const normal = path.normalize(prefix);
    const subfolder = path.dirname(normal) === '.' ? '' : path.dirname(normal);
    const stem = path.basename(normal);
    const folder = path.resolve(this.output, subfolder);
    if (!inside(this.output, folder)) {
      throw new Error('**** ERROR: Saving image outside the output folder is not allowed.');
    }
    let counter = 1;
    if (existsSync(folder)) {
      for (const file of readdirSync(folder)) {
        if (!file.startsWith(`${stem}_`)) continue;
        const digits = Number.parseInt(file.slice(stem.length + 1).split('_')[0] ?? '', 10);
        if (Number.isInteger(digits)) counter = Math.max(counter, digits + 1);
      }
    }
    return { folder, subfolder, stem, counter };
  }
}

function inside(root: string, target: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(target));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function sameBytes(file: string, bytes: Buffer): boolean {
  const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  return hash(readFileSync(file)) === hash(bytes);
}
