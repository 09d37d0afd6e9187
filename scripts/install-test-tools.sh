#!/usr/bin/env bash
# Everything the test suite runs besides npm packages, each installed only when missing, so
# `npm test` works on a fresh machine and costs a few `command -v` when all is there:
#   git            the diffs
#   diff-cover     the peer the suite cross-checks diff coverage against
#   xmllint        (libxml2-utils) junit.xml / cobertura.xml against their published XSD and DTD
#   chromium       the HTML reports are opened in a real browser (browsers cannot be downloaded here)
#   fonts-noto-color-emoji   the comment's status icons, as GitLab users' browsers draw them (screenshots)
#   Node 24, gitlab-ci-local, rsync   the CI/CD component runs in a simulated pipeline (install-ci-tools.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v diff-cover >/dev/null 2>&1 || missing+=(diff-cover)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)
if [ "${#missing[@]}" -gt 0 ] || [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "install-test-tools: missing Debian packages: ${missing[*]} $([ -x /usr/bin/chromium ] || echo chromium); install them as root (apt-get install ...)" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  [ "${#missing[@]}" -eq 0 ] || $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # With its recommended packages (fonts), as headless rendering expects.
  [ -x /usr/bin/chromium ] || $sudo apt-get install -y -qq chromium >/dev/null
fi

sh scripts/install-ci-tools.sh
