/**
 * Arm `nginx`: Debian's nginx (installed with apt-get when missing) as a reverse proxy with a
 * keep-alive upstream, run in the foreground (`daemon off;`) from a generated nginx.conf in the
 * arm's temp folder, with its own pid, error log and temp paths, on a free loopback port.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort } from '../harness/free-port.js';
import { launchProcess } from '../harness/process-launcher.js';
import { backendPath } from '../harness/sizes.js';
import { ensureCommand, findCommand } from '../harness/system-packages.js';
import type { Arm } from '../harness/types.js';
import { waitForPort } from '../harness/wait-for-port.js';

/** Worker processes; 1 to match one Gatehouse process (see bench/README.md). */
export const NGINX_WORKERS = 1;

/** The generated configuration (exported so the README's description can be checked against it). */
export function nginxConfig(dir: string, port: number, backendUrl: string): string {
  const upstream = new URL(backendUrl).host;
  const runAsRoot = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${runAsRoot}daemon off;
worker_processes ${NGINX_WORKERS};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  upstream backend {
    server ${upstream};
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffer_size 16k;
      proxy_buffers 8 16k;
    }
  }
}
`;
}

export const nginxArm: Arm = {
  id: 'nginx',
  label: 'nginx',
  description: `Debian nginx, ${NGINX_WORKERS} worker, proxy_pass to an upstream with keepalive 128, HTTP/1.1 upstream, access log off.`,
  available: () => findCommand('nginx') !== null,
  async start(ctx) {
    const nginx = await ensureCommand('nginx', 'nginx-light', ctx.install, ctx.log);
    const port = await freeLoopbackPort();
    mkdirSync(ctx.workDir, { recursive: true });
    const confPath = join(ctx.workDir, 'nginx.conf');
    writeFileSync(confPath, nginxConfig(ctx.workDir, port, ctx.backendUrl));
    const proc = await launchProcess(nginx, ['-p', ctx.workDir, '-c', confPath, '-e', join(ctx.workDir, 'error.log')], { name: 'nginx' });
    try {
      await waitForPort(port, 15_000, proc.exited);
    } catch (err) {
      await proc.stop();
      throw new Error(`nginx did not start: ${(err as Error).message}\n${proc.stderrTail()}`);
    }
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      pathFor: backendPath,
      headers: {},
      expects: { inboundHeader: false, outboundHeader: false, keyRequired: false },
      stop: proc.stop,
    };
  },
};
