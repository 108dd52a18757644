// Trunk post-build hook: minifies wasm-bindgen's JavaScript loader in a release build.
// Trunk's own `minify` leaves that file as wasm-bindgen wrote it (53 KB, 9 KB gzipped);
// terser makes it 24 KB, 7 KB gzipped, which the 400 KB page budget needs. A debug
// build keeps the readable file. Run by Trunk (Trunk.toml [[hooks]]) before csp.mjs,
// which hashes index.html's inline loader. Trunk's index.html names the file with a
// SHA-384 integrity digest: it is replaced by the minified file's, or the browser
// refuses to run it.
import { createHash } from 'node:crypto';
import { minify } from 'terser';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? 'dist';
if (process.env.TRUNK_PROFILE === 'release') {
  const loaders = readdirSync(dir).filter((f) => /^loadlab-web-[0-9a-f]+\.js$/.test(f));
  if (loaders.length !== 1) {
    console.error(`minify.mjs: expected one loader in ${dir}, found ${loaders.join(', ') || 'none'}`);
    process.exit(1);
  }
  const file = join(dir, loaders[0]);
  const original = readFileSync(file, 'utf8');
  const { code } = await minify(original, { module: true, compress: true, mangle: true });
  const digest = (text) => `sha384-${createHash('sha384').update(text, 'utf8').digest('base64')}`;
  const page = join(dir, 'index.html');
  const html = readFileSync(page, 'utf8');
  if (!html.includes(digest(original))) {
    console.error(`minify.mjs: ${page} does not name ${loaders[0]} by its digest; Trunk's output changed`);
    process.exit(1);
  }
  writeFileSync(file, code);
  writeFileSync(page, html.replaceAll(digest(original), digest(code)));
}
