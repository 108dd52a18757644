// Trunk post-build hook: minifies wasm-bindgen's JavaScript loader in a release build.
// Trunk's own `minify` leaves that file as wasm-bindgen wrote it (53 KB, 9 KB gzipped);
// terser makes it 24 KB, 7 KB gzipped, which the 400 KB page budget needs. A debug
// build keeps the readable file. Run by Trunk (Trunk.toml [[hooks]]) before csp.mjs,
// which hashes index.html's inline loader (unchanged here: it only names the file).
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
  const { code } = await minify(readFileSync(file, 'utf8'), { module: true, compress: true, mangle: true });
  writeFileSync(file, code);
}
