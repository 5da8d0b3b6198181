/**
 * Worker thread body: loads APIOps folders (loadApiopsFolder) off the gateway's event loop and
 * posts each result back. Under load, the loader's many small file reads would otherwise each
 * wait for a turn of a busy event loop. The thread stays up between reloads, so its modules are
 * loaded and compiled once. Messages: in `{ id, dir, serviceName, reuse }`; out
 * `{ id, ok: true, config, generatedKeys, notices }` or `{ id, ok: false, kind, file, reason, message }`.
 */
import { parentPort } from 'node:worker_threads';
import { ConfigFolderError, loadApiopsFolder, type GeneratedKeys } from '../management/apiops/load-apiops-folder.js';

interface Request {
  id: number;
  dir: string;
  serviceName: string;
  reuse: GeneratedKeys[];
}

parentPort!.on('message', (request: Request) => {
  const notices: string[] = [];
  loadApiopsFolder(request.dir, (line) => notices.push(line), {
    serviceName: request.serviceName,
    reuseGeneratedKeys: new Map(request.reuse.map((k) => [k.subscription, k])),
  }).then(
    (loaded) => parentPort!.postMessage({ id: request.id, ok: true, config: loaded.config, generatedKeys: loaded.generatedKeys, notices }),
    (err: unknown) =>
      parentPort!.postMessage(
        err instanceof ConfigFolderError
          ? { id: request.id, ok: false, kind: 'folder', file: err.file, reason: err.reason, message: err.message }
          : { id: request.id, ok: false, kind: 'other', message: err instanceof Error ? err.message : String(err) },
      ),
  );
});
