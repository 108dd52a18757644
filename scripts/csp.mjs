// Trunk post-build hook: gives the built index.html a Content-Security-Policy that lets
// the page load only from its own origin and compile WebAssembly. Trunk writes one
// inline module script (the loader); it is allowed by its SHA-256 hash, computed here
// because it names the build's hashed file names. Run by Trunk (Trunk.toml [[hooks]]),
// which sets TRUNK_STAGING_DIR; fails the build if the page is not shaped as expected.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
const html = readFileSync(file, 'utf8');

const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (inline.length === 0) {
  console.error(`csp.mjs: no inline script in ${file}; Trunk's output changed`);
  process.exit(1);
}
const hashes = inline.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);

const policy = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
  "style-src 'self'",
  // Plotters measures chart text with a hidden <span style="font-size: …">; without
  // this its axis labels are misplaced. Style attributes only: no <style> element, no
  // script, no other origin.
  "style-src-attr 'unsafe-inline'",
  // blob: for the Curves view's PNG export, which draws its chart (an SVG made in the
  // page) as an image before it turns it into a PNG.
  "img-src 'self' blob:",
  // The Chinese glyphs the page ships (static/fonts), for machines without a Chinese font.
  "font-src 'self'",
  "connect-src 'self'",
  // The Curves view's worker, from the page's own origin only.
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// Minified (a release build) or not, the charset comes first; the policy goes after it.
const charset = /<meta charset="?utf-8"?\s*\/?>/i;
if (!charset.test(html) || html.includes('Content-Security-Policy')) {
  console.error(`csp.mjs: ${file} lacks <meta charset="utf-8"> or already has a policy`);
  process.exit(1);
}
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
writeFileSync(file, html.replace(charset, (found) => `${found}${meta}`));
