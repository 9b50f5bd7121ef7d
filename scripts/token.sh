#!/usr/bin/env bash
# Prints, on its last line, an access token of the running platform (scripts/run.sh) for scripts, benchmarks and
# outside clients: the AppHost's development client of ROLE (dev-ROLE), or of a processor (processor:RECIPIENT).
#   usage: bash scripts/token.sh ROLE [gateway URL, default http://localhost:${GATEWAY_PORT:-8080}]
#   ROLE: privacy-officer | customer-service | register-admin | auditor | processor:accounting-firm
#   e.g.  curl -H "Authorization: Bearer $(bash scripts/token.sh auditor | tail -n1)" http://localhost:8080/api/registers
# The client's secret is the one the AppHost generated on first run (the dashboard's parameters tab shows it too);
# PROCEXON_DATA points at the data folder when it is not the default.
set -euo pipefail
role=${1:?usage: scripts/token.sh ROLE [gateway URL]}
gateway=${2:-http://localhost:${GATEWAY_PORT:-8080}}
case "$role" in
  processor:*) client="dev-processor-${role#processor:}" ;;
  *) client="dev-$role" ;;
esac

# Where the AppHost keeps its generated secrets (Procexon.AppHost/Infrastructure/LocalServers.cs, LocalDataDirectory):
# the repository's .data, or, for root when the service users cannot reach it, /var/tmp/procexon-<hash of that path>.
repo=$(cd "$(dirname "$0")/.." && pwd)
data=${PROCEXON_DATA:-$repo/.data}
secret_file="$data/identity-client-$client-secret.password"
if [ ! -f "$secret_file" ]; then
  hashed="/var/tmp/procexon-$(printf %s "$data" | sha256sum | cut -c1-12)"
  secret_file="$hashed/identity-client-$client-secret.password"
fi
[ -f "$secret_file" ] || { echo "token.sh: no secret for $client (has scripts/run.sh started the platform once?)" >&2; exit 1; }

response=$(curl --fail-with-body -sS -X POST "$gateway/connect/token" \
  --data-urlencode grant_type=client_credentials \
  --data-urlencode "client_id=$client" \
  --data-urlencode "client_secret=$(cat "$secret_file")" \
  --data-urlencode scope=api)
printf '%s' "$response" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
