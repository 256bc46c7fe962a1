#!/usr/bin/env bash
# Checks that docker-compose.yml parses and resolves (no Docker engine needed): Compose v2 when the
# docker client has it, otherwise Debian's docker-compose. Dummy values satisfy the required
# variables (admin token, secret key, Kafka and database passwords); nothing is started.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LIAISON_ADMIN_TOKEN="${LIAISON_ADMIN_TOKEN:-compose-config-check-token-0000}"
export LIAISON_SECRET_KEY="${LIAISON_SECRET_KEY:-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=}"
for principal in BROKER BOOTSTRAP_ADMIN GATEWAY ROUTER DELIVERY ADMIN; do
  var="KAFKA_PASSWORD_${principal}"
  export "${var}=${!var:-compose-config-check-${principal,,}}"
done
for name in POSTGRES_PASSWORD GATEWAY_DATABASE_PASSWORD ROUTER_DATABASE_PASSWORD DELIVERY_DATABASE_PASSWORD ADMIN_DATABASE_PASSWORD; do
  export "$name=${!name:-compose-config-check-password}"
done
if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config --quiet
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config --quiet
else
  echo "neither 'docker compose' nor 'docker-compose' is installed" >&2
  exit 1
fi
echo "docker-compose.yml: valid"
