#!/usr/bin/env bash
# Regenerates the screenshots of the platform's pages: the staff console and the public request form (docs/console/)
# and the login pages (docs/identity/). They are taken by the browser tests (Debian's chromium, axe on
# every page), which write into docs/ instead of a temporary folder when PROCEXON_SCREENSHOTS is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build Procexon.Platform.sln --nologo -v quiet -clp:NoSummary
export PROCEXON_SCREENSHOTS=1
dotnet test tests/Procexon.EndToEnd.Tests --no-build --nologo \
  --filter "FullyQualifiedName~ConsoleBrowserTests|FullyQualifiedName~RequestFormBrowserTests"
dotnet test tests/Procexon.Identity.Tests --no-build --nologo --filter "FullyQualifiedName~LoginPageBrowserTests"
