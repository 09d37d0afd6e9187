#!/usr/bin/env bash
# build-image.sh — prepare the checkout and build qgate's container image in one go.
#
# The Dockerfile never downloads: it copies dist/, gates/, report-templates/, package.json and
# node_modules/ (pruned to production dependencies) from a prepared checkout. This script
# prepares that checkout (npm ci when node_modules is missing, npm run build),
# stages a small build context (production dependencies only, no source maps), and builds.
#
# Usage: scripts/build-image.sh [options] [-- extra arguments for `podman build`/`docker build`]
#   --base IMAGE   base image (default: node:24-bookworm-slim, or $QGATE_BASE)
#   --tag NAME     image name (default: qgate:dev, or $QGATE_TAG)
#   --tool NAME    podman or docker (default: podman when on PATH, else docker)
#   --offline      no registry and no network: adds --pull=never --network=none
#                  (the base must already be in local storage, with git and ca-certificates)
#   --fresh        build from a clean clone of HEAD in a temporary folder (npm ci there);
#                  the working tree, its node_modules and dist are left alone
#   --ci           run npm ci (default: only when node_modules is missing; when `npm ls` finds it
#                  out of date the script stops rather than reinstall a tree others may be using)
#   --no-install   never run npm ci, nor check node_modules
#   --no-stage     build straight from the checkout: what a plain `docker build .` does;
#                  slower, as the context then carries the dev dependencies (~200 MB)
#   -h, --help     this help
# Environment: QGATE_SOURCE_URL (else CI_PROJECT_URL) fills the image's source label.
#
# Example, with a local stand-in base and no network (see docs/formats.md, "Container"):
#   . /tmp/qgate-lab/env.sh
#   scripts/build-image.sh --offline --base localhost/node:24-bookworm-slim --tag localhost/qgate:dev
set -euo pipefail

base=${QGATE_BASE:-node:24-bookworm-slim}
tag=${QGATE_TAG:-qgate:dev}
tool=${QGATE_BUILD_TOOL:-}
offline=0 fresh=0 install=auto stage=1
extra=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
die() { echo "build-image: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --base) [ $# -ge 2 ] || die "--base needs an image"; base=$2; shift 2 ;;
    --tag) [ $# -ge 2 ] || die "--tag needs a name"; tag=$2; shift 2 ;;
    --tool) [ $# -ge 2 ] || die "--tool needs podman or docker"; tool=$2; shift 2 ;;
    --offline) offline=1; shift ;;
    --fresh) fresh=1; shift ;;
    --ci) install=always; shift ;;
    --no-install) install=never; shift ;;
    --no-stage) stage=0; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

if [ -z "$tool" ]; then
  if command -v podman >/dev/null; then tool=podman; elif command -v docker >/dev/null; then tool=docker
  else die "neither podman nor docker is on PATH"; fi
fi
command -v "$tool" >/dev/null || die "$tool is not on PATH"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qgate-image.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
started=$(date +%s)
step() { printf '== %s\n' "$*"; }

src=$repo
if [ "$fresh" = 1 ]; then
  step "clean clone of HEAD"
  git clone -q --no-hardlinks "$repo" "$tmp/checkout"
  src=$tmp/checkout
  [ "$install" = never ] && die "--fresh has no node_modules: it needs npm ci"
  install=always
fi
cd "$src"

if [ "$install" = auto ] && [ -d node_modules ] && ! npm ls --all >/dev/null 2>&1; then
  die "node_modules does not match package.json (see \`npm ls --all\`): run with --ci to reinstall it, or --fresh to build from a clean clone"
fi
if [ "$install" = always ] || { [ "$install" = auto ] && [ ! -d node_modules ]; }; then
  step "npm ci"
  npm ci --prefer-offline --no-audit --no-fund
fi
step "npm run build"
npm run build --silent

version=$(node -p 'require("./package.json").version')
revision=$(git rev-parse HEAD 2>/dev/null || true)
source_url=${QGATE_SOURCE_URL:-${CI_PROJECT_URL:-}}

context=$src
if [ "$stage" = 1 ]; then
  # Only what the Dockerfile keeps: the context is ~15 MB instead of ~230 MB (a build from the
  # checkout re-reads all of node_modules, even when cached). The production packages are the
  # ones `npm ls --omit=dev` lists; a package nested in one already listed comes with it.
  # No package-lock.json: that tells the Dockerfile there is nothing to prune.
  step "stage the build context (production dependencies only)"
  context=$tmp/context
  mkdir -p "$context"
  npm ls --omit=dev --all --parseable | tail -n +2 | sed "s|^$PWD/||" | LC_ALL=C sort \
    | awk 'kept && index($0, kept "/") == 1 { next } { print; kept = $0 }' > "$tmp/packages"
  tar -cf - Dockerfile .dockerignore package.json gates report-templates dist \
    -T "$tmp/packages" | tar -C "$context" -xf -
  find "$context/dist" -name '*.map' -delete
fi

step "$tool build -t $tag (base $base)"
args=(build -t "$tag" --build-arg "BASE=$base" --build-arg "VERSION=$version"
  --build-arg "REVISION=$revision" --build-arg "SOURCE_URL=$source_url")
[ "$offline" = 1 ] && args+=(--pull=never --network=none)
"$tool" "${args[@]}" "${extra[@]}" -f "$context/Dockerfile" "$context"

size=$("$tool" image inspect --format '{{.Size}}' "$tag")
step "built $tag: qgate $version, $((size / 1000000)) MB, in $(($(date +%s) - started)) s"
