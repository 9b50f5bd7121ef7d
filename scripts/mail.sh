#!/usr/bin/env bash
# Prints the newest mail the running platform sent to data subjects (one-time codes, notices), as the local mail
# server (scripts/servers/smtp.py, the AppHost's `mail` resource) kept it: one .eml file per message.
#   usage: mail.sh [COUNT]          (default 1; MAIL_DIR overrides where the messages are looked for)
set -euo pipefail
repository=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-1}

# Where the AppHost keeps them: Mail:Directory if given, else mail/ in the local data folder, which as root moves to
# /var/tmp when the repository is not reachable by the servers' system users (the AppHost prints which).
fallback="/var/tmp/procexon-$(printf '%s' "$repository/.data" | sha256sum | cut -c1-12)/mail"
directory=""
for candidate in "${MAIL_DIR:-}" "$repository/.data/mail" "$fallback"; do
  if [ -n "$candidate" ] && [ -d "$candidate" ]; then
    directory=$candidate
    break
  fi
done
if [ -z "$directory" ]; then
  echo "mail.sh: no mail yet (looked in $repository/.data/mail and $fallback; set MAIL_DIR to the folder the AppHost printed)" >&2
  exit 1
fi

python=/usr/bin/python3
[ -x "$python" ] || python=python3
exec "$python" - "$directory" "$count" <<'PY'
import email, email.policy, glob, os, sys

directory, count = sys.argv[1], int(sys.argv[2])
files = sorted(glob.glob(os.path.join(directory, "*.eml")), reverse=True)[:count]
if not files:
    sys.exit(f"mail.sh: no mail in {directory} yet")
for path in files:
    with open(path, "rb") as file:
        message = email.message_from_binary_file(file, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    print(f"== {os.path.basename(path)}")
    for header in ("Date", "From", "To", "Subject", "Procexon-Request-Id"):
        print(f"{header}: {message.get(header, '')}")
    print()
    print(body.get_content().strip() if body else "")
    print()
PY
