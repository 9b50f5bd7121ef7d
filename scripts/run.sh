#!/usr/bin/env bash
# Command 1: installs what is missing, then runs the whole platform from its AppHost with the Aspire dashboard.
#   usage: run.sh [AppHost settings, e.g. Broker:Nodes=3]
# PostgreSQL and RabbitMQ run as containers where a container engine answers, as Debian's servers otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build Procexon.AppHost --nologo -v quiet -clp:NoSummary
gateway_port=${GATEWAY_PORT:-8080}
cat <<MSG

  Procexon privacy platform
  - gateway:   http://localhost:${gateway_port}   (the public request form: /requests/new)
  - a token:   bash scripts/token.sh privacy-officer   (or customer-service, register-admin, auditor,
               processor:accounting-firm); then curl -H "Authorization: Bearer TOKEN" http://localhost:${gateway_port}/api/registers
  - login:     http://localhost:${gateway_port}/account/login (users named after the roles; passwords on the dashboard's parameters)
  - API reference: http://localhost:${gateway_port}/scalar
  - mail:      what is mailed to subjects (one-time codes, notices) is kept by the local mail server as files in the
               folder printed below; bash scripts/mail.sh prints the newest
  - development mode ${PROCEXON_DEVELOPMENT_MODE:-true}: the demo-data endpoint, for staff roles
    (PROCEXON_DEVELOPMENT_MODE=false runs without it)
  - dashboard: the "Login to the dashboard" URL printed below
  Ctrl+C stops everything.

MSG
# Further arguments go to the AppHost, e.g. `Broker:Nodes=3` (the broker as a three-node cluster) or `Replicas=2`.
exec dotnet run --project Procexon.AppHost --no-build -- "Gateway:Port=${gateway_port}" "DevelopmentMode=${PROCEXON_DEVELOPMENT_MODE:-true}" "$@"
