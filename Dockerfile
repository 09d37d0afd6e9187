# qgate's container image: Node 24, git, the `qgate` command on PATH, running as a non-root user.
#
# The build needs no network: it copies a checkout where `npm ci && npm run build` has run
# (scripts/build-image.sh does both, then builds). Only dist/, gates/, report-templates/,
# package.json and the production part of node_modules/ reach the image.
#
# BASE is the official image in a real pipeline; any image with the same layout (Debian,
# node + npm in /usr/local, user node 1000:1000) works, e.g. a local stand-in:
#   podman build --pull=never --network=none --build-arg BASE=localhost/node:24-bookworm-slim .
ARG BASE=node:24-bookworm-slim

# Stage 1: the installed package in /opt/qgate. From a checkout (package-lock.json present), the
# dev dependencies are pruned offline from the copied node_modules: on a complete tree npm prune
# only deletes. scripts/build-image.sh sends production packages only and no lockfile: nothing to
# prune, and npm prune would want the registry for the packages that are not there.
FROM ${BASE} AS package
WORKDIR /opt/qgate
COPY package*.json ./
COPY node_modules ./node_modules
RUN if [ -f package-lock.json ]; then \
      npm prune --omit=dev --offline --ignore-scripts --no-audit --no-fund --cache /tmp/npm-cache \
      && rm -rf package-lock.json /tmp/npm-cache \
      && find node_modules -mindepth 1 -type d -empty -delete; \
    fi \
 && rm -rf node_modules/.bin
COPY gates ./gates
COPY report-templates ./report-templates
COPY dist ./dist
# tsc does not mark the bin executable; /usr/local/bin/qgate links to it.
RUN chmod 0755 dist/cli/main.js

# Stage 2: the image. Everything in /opt/qgate stays root-owned and read-only to the user.
FROM ${BASE}
ARG BASE
ARG VERSION=dev
ARG REVISION=""
ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="qgate" \
      org.opencontainers.image.description="Quality gate for GitLab merge requests: coverage on new code, E2E, k6 and mutation evidence in one verdict" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.base.name="${BASE}"

# The official slim image has neither git nor ca-certificates: install them only when missing, so
# this file also builds offline from a base that already has them. The runner's checkout belongs
# to another user than the job's, and git refuses such a repository ("dubious ownership")
# unless it is marked safe.
RUN if ! command -v git >/dev/null || [ ! -s /etc/ssl/certs/ca-certificates.crt ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && git config --system --add safe.directory '*' \
 && ln -s /opt/qgate/dist/cli/main.js /usr/local/bin/qgate

COPY --from=package /opt/qgate /opt/qgate

# Numeric, so Kubernetes' runAsNonRoot can verify it; it is the base's `node` user.
USER 1000:1000
# GitLab runs the job in its checkout; this is where a local `docker run -v "$PWD":/workspace` lands.
WORKDIR /workspace
# No qgate ENTRYPOINT: GitLab's Docker executor runs the job's script through `sh`, and the base's
# docker-entrypoint.sh runs any command given. Without a command, the image prints qgate's help.
CMD ["qgate", "--help"]
