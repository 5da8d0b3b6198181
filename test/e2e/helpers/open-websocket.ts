/** Opens a WebSocket through the gateway: the open socket, or the refused handshake's status and body. */
import WebSocket from 'ws';

/** `url` is `ws://…`; resolves with the socket once open, or with the HTTP answer that refused the upgrade. */
export function openWebSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.once('error', reject);
  });
}
