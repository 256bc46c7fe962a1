#!/usr/bin/env bash
# Checks that docker-compose.yml parses and resolves (no Docker engine needed): Compose v2 when the
# docker client has it, otherwise Debian's docker-compose. A dummy admin token satisfies the required
# variable (and a dummy secret key the other); nothing is started.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LIAISON_ADMIN_TOKEN="${LIAISON_ADMIN_TOKEN:-compose-config-check-token-0000}"
export LIAISON_SECRET_KEY="${LIAISON_SECRET_KEY:-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=}"
if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config --quiet
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config --quiet
else
  echo "neither 'docker compose' nor 'docker-compose' is installed" >&2
  exit 1
fi
echo "docker-compose.yml: valid"
