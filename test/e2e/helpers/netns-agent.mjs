// A small HTTP client that runs inside a network namespace (started with `ip netns exec`), so a
// test in the host namespace can make real requests from that namespace's addresses. It reads
// one JSON command per line on stdin and answers one JSON line per command on stdout:
//   {"id":1,"op":"request","url":"http://10.1.0.5:8080/echo/x","method":"GET","headers":{},"body":"…","timeoutMs":2000}
//     → {"id":1,"status":200,"headers":{…},"body":"…"} or {"id":1,"error":"ECONNREFUSED"}
//   {"id":2,"op":"hold","url":"…","headers":{}}  a keep-alive request whose socket stays open
//     → {"id":2,"status":200,"handle":"h1"}
//   {"id":3,"op":"held","handle":"h1","waitMs":1500}  waits up to waitMs for the server to end it
//     → {"id":3,"open":false}
import http from 'node:http';
import { createInterface } from 'node:readline';

const held = new Map();
let handles = 0;

function answer(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function send(command, agent) {
  return new Promise((resolve) => {
    const url = new URL(command.url);
    const body = command.body === undefined ? undefined : Buffer.from(command.body);
    const headers = { ...(command.headers ?? {}) };
    if (body) headers['content-length'] = String(body.length);
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: command.method ?? 'GET', headers, agent },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), socket: req.socket }));
        res.on('error', (err) => resolve({ error: err.code ?? err.message }));
      },
    );
    req.setTimeout(command.timeoutMs ?? 3000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err) => resolve({ error: err.code ?? err.message }));
    req.end(body);
  });
}

async function run(command) {
  if (command.op === 'request') {
    const result = await send(command, false);
    delete result.socket;
    return result;
  }
  if (command.op === 'hold') {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const result = await send({ ...command, headers: { ...(command.headers ?? {}), connection: 'keep-alive' } }, agent);
    if (result.error) return result;
    const handle = `h${++handles}`;
    const entry = { open: true };
    result.socket.once('close', () => (entry.open = false));
    held.set(handle, entry);
    return { status: result.status, handle };
  }
  if (command.op === 'held') {
    const entry = held.get(command.handle);
    if (!entry) return { error: `no handle ${command.handle}` };
    const deadline = Date.now() + (command.waitMs ?? 0);
    while (entry.open && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return { open: entry.open };
  }
  return { error: `unknown op ${command.op}` };
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let command;
  try {
    command = JSON.parse(line);
  } catch {
    return answer({ error: 'bad json' });
  }
  run(command).then(
    (result) => answer({ id: command.id, ...result }),
    (err) => answer({ id: command.id, error: String(err?.message ?? err) }),
  );
});
lines.on('close', () => process.exit(0));
answer({ ready: true });
