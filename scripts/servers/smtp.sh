#!/usr/bin/env bash
# Runs the platform's mail server (smtp.py: Debian's aiosmtpd) in the foreground on one loopback port, keeping every
# message as a file in MAIL_DIR, for the AppHost and the test fixtures alike.
#   usage: smtp.sh MAIL_DIR PORT
set -euo pipefail
# Debian's python3-aiosmtpd is installed for Debian's own interpreter, which a python3 earlier on PATH may not be.
for python in /usr/bin/python3 python3; do
  if "$python" -c 'import aiosmtpd' 2>/dev/null; then
    exec "$python" -u "$(dirname "$0")/smtp.py" "$@"
  fi
done
echo "smtp.sh: aiosmtpd is not installed (apt-get install python3-aiosmtpd); scripts/setup.sh installs it" >&2
exit 127
