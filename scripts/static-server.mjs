// A small static file server for the built page: `node scripts/static-server.mjs DIR PORT`.
// Also imported by the end-to-end tests, which start it on a free port.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Resolves a URL path inside `root`, or null if it would escape it. */
function fileFor(root, urlPath) {
  const path = decodeURIComponent(urlPath.split('?')[0]);
  const full = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
  return full === root || full.startsWith(root + sep) ? full : null;
}

/** Serves `dir` on 127.0.0.1:`port` (0 picks a free port); resolves to the server. */
export function startServer(dir, port) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const file = fileFor(root, req.url ?? '/');
    try {
      if (!file || !(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = 'dist', port = '8080'] = process.argv.slice(2);
  try {
    const server = await startServer(dir, Number(port));
    console.log(`Loadlab is served at http://127.0.0.1:${server.address().port}/ (Ctrl-C stops it)`);
  } catch (e) {
    console.error(`error: cannot serve ${dir} on port ${port}: ${e.message}`);
    process.exit(1);
  }
}
