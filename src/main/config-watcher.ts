/**
 * Watches a configuration folder for changes (`gatehouse start --watch`). Node 20 has no
 * recursive fs.watch on Linux, so every folder of the tree gets its own inotify watch (a change
 * inside it is reported on the folder), added and dropped as folders come and go; the cost is
 * proportional to the changes, not to the size of the tree. Events are debounced, so an editor's
 * save or a `git pull` touching many files gives one reload. When the system refuses more
 * watches (inotify limits), the watcher falls back to polling a cheap signature of the tree
 * (paths, sizes, modification times), with an interval that stretches with the size of the
 * tree so a large folder never costs more than a small share of a core.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Logger } from '../core/logger.js';

export interface ConfigWatcherOptions {
  /** Quiet time after the last event before `onChange` runs (ms). */
  debounceMs?: number;
  /** `onChange` runs at the latest this long after the first event of a burst (ms). */
  maxDelayMs?: number;
  /** Polling interval when folder watches are unavailable (ms); stretched for large trees. */
  pollMs?: number;
  /** Skip folder watches and poll (what happens when the system refuses watches). */
  forcePolling?: boolean;
}

export interface ConfigWatcher {
  /** 'watch' (one watch per folder) or 'poll'. */
  readonly mode: 'watch' | 'poll';
  /** Resolves once the initial watches (or the first signature) are in place. */
  readonly ready: Promise<void>;
  close(): void;
}

/** Starts watching `root`; `onChange` runs after each debounced burst of changes. */
export function watchConfigFolder(root: string, onChange: () => void, logger: Logger, options: ConfigWatcherOptions = {}): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 150;
  const maxDelayMs = options.maxDelayMs ?? 1000;
  const pollMs = options.pollMs ?? 2000;
  const watchers = new Map<string, FSWatcher>();
  let mode: 'watch' | 'poll' = options.forcePolling ? 'poll' : 'watch';
  let closed = false;
  let quietTimer: NodeJS.Timeout | null = null;
  let maxTimer: NodeJS.Timeout | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  let signature = '';

  const fire = (): void => {
    if (quietTimer) clearTimeout(quietTimer);
    if (maxTimer) clearTimeout(maxTimer);
    quietTimer = maxTimer = null;
    if (!closed) onChange();
  };
  const changed = (): void => {
    if (closed) return;
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = setTimeout(fire, debounceMs);
    // A folder written to continuously (a slow copy) still reloads now and then.
    maxTimer ??= setTimeout(fire, maxDelayMs);
  };

  const unwatchTree = (dir: string): void => {
    for (const [path, watcher] of watchers) {
      if (path === dir || path.startsWith(dir + sep)) {
        watcher.close();
        watchers.delete(path);
      }
    }
  };

  // Watches `dir` and every folder below it; a refusal from the system switches to polling.
  const watchTree = async (dir: string): Promise<void> => {
    if (closed || mode !== 'watch' || watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (event, name) => onEvent(dir, event, name));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return; // gone before we got to it: its parent's event covers it
      switchToPolling(err as Error);
      return;
    }
    watcher.on('error', () => {
      watcher.close();
      if (watchers.get(dir) === watcher) watchers.delete(dir);
      changed();
    });
    watchers.set(dir, watcher);
    for (const child of await subfolders(dir)) await watchTree(join(dir, child));
  };

  const onEvent = (dir: string, event: string, name: string | Buffer | null): void => {
    if (closed) return;
    const entry = name === null ? null : String(name);
    // Editor swap files and .git are never configuration; Kubernetes swaps a mounted volume by
    // replacing its `..data` link, which is.
    if (entry !== null && entry.startsWith('.') && entry !== '..data') return;
    changed();
    // Only a 'rename' adds or removes entries; a new folder needs its own watch.
    if (entry === null || event !== 'rename' || mode !== 'watch') return;
    const path = join(dir, entry);
    void stat(path).then(
      (info) => {
        if (info.isDirectory()) return watchTree(path);
        if (watchers.has(path)) unwatchTree(path);
        return undefined;
      },
      () => {
        if (watchers.has(path)) unwatchTree(path);
      },
    );
  };

  const switchToPolling = (err: Error): void => {
    if (mode === 'poll') return;
    logger.warn(
      { folder: root, error: err.message, watched: watchers.size },
      'cannot watch every folder of the configuration (raise fs.inotify.max_user_watches to avoid this); polling for changes instead',
    );
    mode = 'poll';
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
    void poll(true);
  };

  const poll = async (first: boolean): Promise<void> => {
    if (closed) return;
    const started = performance.now();
    const next = await treeSignature(root);
    if (closed) return;
    if (!first && next !== signature) changed();
    signature = next;
    // Scanning a huge tree is not free: keep it under about a tenth of a core.
    const interval = Math.max(pollMs, 10 * (performance.now() - started));
    pollTimer = setTimeout(() => void poll(false), interval);
    pollTimer.unref();
  };

  const ready = mode === 'watch' ? watchTree(root) : poll(true);
  return {
    get mode() {
      return mode;
    },
    ready,
    close() {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      for (const timer of [quietTimer, maxTimer, pollTimer]) if (timer) clearTimeout(timer);
    },
  };
}

async function subfolders(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    // The loader follows links to folders, so the watcher does too.
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && ((await stat(join(dir, entry.name)).catch(() => undefined))?.isDirectory() ?? false));
    if (isDir) names.push(entry.name);
  }
  return names;
}

/** A digest of every path below `root` with its size and modification time. */
async function treeSignature(root: string): Promise<string> {
  const hash = createHash('sha1');
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      hash.update(`${dir}\0unreadable\n`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') && entry.name !== '..data') continue;
      const path = join(dir, entry.name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) {
        hash.update(`${path}/\n`);
        await visit(path);
      } else {
        hash.update(`${path}\0${info?.size ?? -1}\0${info?.mtimeMs ?? -1}\n`);
      }
    }
  };
  await visit(root);
  return hash.digest('hex');
}
