#!/usr/bin/env bash
# Command 1: installs what is missing, then runs the whole platform from its AppHost with the Aspire dashboard.
# PostgreSQL and RabbitMQ run as containers where a container engine answers, as Debian's servers otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build Procexon.AppHost --nologo -v quiet -clp:NoSummary
gateway_port=${GATEWAY_PORT:-8080}
cat <<MSG

  Procexon privacy platform
  - gateway:   http://localhost:${gateway_port}   (try: curl http://localhost:${gateway_port}/api/registers)
  - API reference: http://localhost:${gateway_port}/scalar
  - dashboard: the "Login to the dashboard" URL printed below
  Ctrl+C stops everything.

MSG
exec dotnet run --project Procexon.AppHost --no-build -- "Gateway:Port=${gateway_port}"
