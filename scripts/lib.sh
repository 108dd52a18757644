# Shared set-up for scripts/serve and scripts/test; sourced, not run.
#
# Every ensure_* step checks first and installs only what is missing, so a second run
# takes seconds. The versions are ones known to work on this project's machines:
# trunk 0.21 (0.22 needs a newer rustc), the wasm-bindgen CLI equal to Cargo.lock's,
# wasm-opt 132 from npm (Debian's binaryen 108 cannot read current Rust's wasm).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

TRUNK_SERIES="0.21"

step() { printf '\n==> %s\n' "$*"; }
skip() { printf '    %s\n' "$*"; }
die() {
  printf '\nerror: %s\n' "$*" >&2
  exit 1
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first (https://rustup.rs)."
  command -v rustup >/dev/null || die "rustup is missing: it is needed to add the wasm32 target."
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    skip "wasm32-unknown-unknown target: installed"
  else
    step "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown || die "could not add the wasm32 target with rustup."
  fi
}

ensure_trunk() {
  if trunk --version 2>/dev/null | grep -q "^trunk ${TRUNK_SERIES}\."; then
    skip "$(trunk --version): installed"
  else
    step "Installing trunk ${TRUNK_SERIES} (a few minutes, once)"
    cargo install trunk --version "~${TRUNK_SERIES}" --locked || die "could not install trunk ${TRUNK_SERIES}."
  fi
}

# The CLI's version must equal the wasm-bindgen crate's in Cargo.lock, or the build fails.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version."
  if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $want" ] &&
    command -v wasm-bindgen-test-runner >/dev/null; then
    skip "wasm-bindgen $want: installed"
  else
    step "Installing wasm-bindgen-cli $want (a few minutes, once)"
    # Without --locked: the registry here lacks one version its lockfile names.
    cargo install wasm-bindgen-cli --version "$want" || die "could not install wasm-bindgen-cli $want."
  fi
}

ensure_node_tools() {
  command -v npm >/dev/null || die "npm is missing: install Node.js 20 or later."
  if [ -x node_modules/.bin/wasm-opt ] && [ -d node_modules/playwright-core ] && [ -d node_modules/terser ] &&
    [ node_modules/.package-lock.json -nt package-lock.json ]; then
    skip "node tools (wasm-opt, terser, playwright-core): installed"
  else
    step "Installing node tools from package-lock.json (wasm-opt 132, terser, playwright-core)"
    npm ci --no-audit --no-fund || die "npm ci failed."
  fi
  wasm-opt --version | grep -q "version 132" || die "wasm-opt on PATH is not version 132: $(command -v wasm-opt)"
}

ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    skip "$(chromium --version 2>/dev/null): installed"
    return
  fi
  step "Installing Chromium and chromedriver from Debian"
  [ "$(id -u)" = 0 ] || die "Chromium is missing and this is not root: run 'sudo apt-get install chromium chromium-driver'."
  apt-get update -qq || die "apt-get update failed."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null ||
    die "could not install chromium and chromium-driver."
}

# Trunk builds with --offline (so it never downloads tools); crates must be fetched first.
fetch_crates() {
  step "Fetching crates"
  cargo fetch --locked || die "cargo fetch failed."
}

ensure_build_tools() {
  step "Checking tools"
  ensure_rust
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_tools
  fetch_crates
}

build_page() {
  step "Building the release bundle (trunk build --release)"
  trunk build --release --offline || die "trunk build failed."
}

# Prints each file of the built page with its raw and gzip -9 size, and the total; fails
# if the total is over the issue-4 budget of 400 KB (so a change that bloats the page is
# caught by the tests, not found later). The total is a first load: the code, the style
# sheet, and the switch's 中文 glyphs (fetched where no system font has them); the Chinese
# text's glyphs are fetched only when Chinese is shown, so they are listed, not counted.
page_size() {
  local total=0 raw gz f
  for f in dist/*.wasm dist/*.js dist/*.css dist/fonts/loadlab-sc-switch.woff2; do
    # The Curves and Training views are fetched when first opened, not on the first load.
    case "$f" in dist/loadlab-curves*|dist/curves-ui-loader.js|dist/loadlab-training*|dist/training-ui-loader.js|dist/training.css) continue ;; esac
    raw=$(stat -c %s "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total=$((total + gz))
    printf '    %-44s %8d B raw %8d B gzipped\n' "$(basename "$f")" "$raw" "$gz"
  done
  printf '    total gzipped: %d KB, %d B (budget 400 KB)\n' $((total / 1024)) "$total"
  for f in dist/loadlab-curves* dist/curves-ui-loader.js; do
    printf '    %-44s %8d B raw %8d B gzipped (Curves, fetched when first opened: not in the total)\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
  done
  for f in dist/loadlab-training* dist/training-ui-loader.js dist/training.css; do
    printf '    %-44s %8d B raw %8d B gzipped (Training, fetched when first opened: not in the total)\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
  done
  f=dist/fonts/loadlab-sc.woff2
  printf '    %-44s %8d B (woff2, for Chinese only: not in the total)\n' "$(basename "$f")" "$(stat -c %s "$f")"
  [ "$total" -le $((400 * 1024)) ] || die "the page is $((total / 1024)) KB gzipped, over its 400 KB budget."
}
