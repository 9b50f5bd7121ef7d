#!/usr/bin/env bash
# Installs what the platform needs and a fresh Debian machine lacks: Debian's PostgreSQL and RabbitMQ servers, the
# mail server for Development and the tests (aiosmtpd), chromium for the browser tests, and Node.js for the website
# company's processor (src/Processors/WebsiteCompany), whose npm packages it installs from the committed lockfile.
# The .NET SDK (pinned in global.json) is expected on the machine. Safe to run again: it installs only what is missing.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
# scripts/servers/smtp.sh: mail to subjects (codes, notices) goes over SMTP to it and is kept as files.
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
# The login pages' browser test drives Debian's chromium; Playwright never downloads a browser of its own.
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The website company's processor is a Node.js program (node 20 or later, npm for its locked packages).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} from Debian's packages"
  as_root=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root, or install sudo, to install ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -qq
  # The packages' own services are not needed (the platform runs its own instances on other ports); in
  # containers their start is refused by policy-rc.d, which is fine.
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET SDK is missing; install the version in global.json (10.0.x)" >&2
  exit 1
fi
sdk=$(cd "$(dirname "$0")/.." && dotnet --version 2>/dev/null || true)
case "$sdk" in
  10.*) ;;
  *) echo "setup: .NET SDK 10 is needed (global.json); found '${sdk:-none}'" >&2; exit 1 ;;
esac
echo "setup: PostgreSQL $(ls -d /usr/lib/postgresql/*/ | xargs -n1 basename | sort -V | tail -n1), RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?'), aiosmtpd $(dpkg-query -W -f='${Version}' python3-aiosmtpd 2>/dev/null || echo '?'), .NET SDK $sdk"

# The processor's packages exactly as locked; only when the lockfile changed since the last install.
website_company="$(cd "$(dirname "$0")/.." && pwd)/src/Processors/WebsiteCompany"
if [ ! -f "$website_company/node_modules/.package-lock.json" ] || [ "$website_company/package-lock.json" -nt "$website_company/node_modules/.package-lock.json" ]; then
  echo "setup: installing the website company's npm packages (npm ci)"
  (cd "$website_company" && npm ci --no-audit --no-fund --loglevel=error)
fi
