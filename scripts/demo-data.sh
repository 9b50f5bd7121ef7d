#!/usr/bin/env bash
# Loads N generated demo subjects (Bogus, Finnish; records in all ten registers) into a running platform, through the
# gateway, in calls of at most 100 000 subjects, and prints the load rate of each call.
#   usage: bash scripts/demo-data.sh N [gateway URL, default http://localhost:${GATEWAY_PORT:-8080}]
# The platform must run from its AppHost (scripts/run.sh), which enables the demo-data endpoint; the loader acts as
# the development register admin (scripts/token.sh). To load at start
# instead: dotnet run --project Procexon.AppHost -- --Parameters:demo-subjects=N (loads only into an empty registry).
set -euo pipefail
total=${1:?usage: scripts/demo-data.sh N [gateway URL]}
gateway=${2:-http://localhost:${GATEWAY_PORT:-8080}}
token=$(bash "$(dirname "$0")/token.sh" register-admin "$gateway" | tail -n1)
chunk=100000
left=$total
while [ "$left" -gt 0 ]; do
  n=$(( left < chunk ? left : chunk ))
  curl --fail-with-body -sS -X POST "$gateway/api/subjects/demo-data" -H 'Content-Type: application/json' -H "Authorization: Bearer $token" -d "{\"subjects\": $n}"
  echo
  left=$(( left - n ))
done
