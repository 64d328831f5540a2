#!/usr/bin/env bash
# Restores the NuGet packages the PowerShell module and its test host need into build/nuget
# (inside the repo) and builds them:
#   build/module/Berth/   the module folder (Berth.psd1, Berth.PowerShell.dll, views, help, libberth.so)
#   build/pester/host/    BerthTestHost, the real PowerShell 7 engine in a console program
# Packages: PowerShellStandard.Library 5.1.1 (module, netstandard2.0) and
# System.Management.Automation 7.6.9 (host, net10.0). Skips the build when nothing changed.
set -eu
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
    # Not fatal for `make deps`: the C build and its tests need no .NET; tests/pester/run.sh
    # reports the missing SDK as a failed test.
    echo "module/restore.sh: the .NET SDK (dotnet) is not installed; the PowerShell module is not built" >&2
    exit 0
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

build_if_changed() {   # build_if_changed PROJECT OUTDIR STAMP-FILE SOURCE-DIRS…
    local project=$1 out=$2 stamp=$3; shift 3
    if [ -f "$stamp" ] && [ -z "$(find "$@" -newer "$stamp" -type f 2>/dev/null | head -n 1)" ]; then
        return 0
    fi
    dotnet build "$project" -c Release -o "$out" --nologo -v quiet -clp:ErrorsOnly
    touch "$stamp"
}

build_if_changed module/Berth.PowerShell.csproj build/module/Berth build/module/.built \
    module provider formats
build_if_changed tests/pester/host/BerthTestHost.csproj build/pester/host build/pester/.built \
    tests/pester/host

# The module folder carries the native library, as an installed module would.
# The module folder carries the native library and the container monitor, as an installed
# module would (module/Interop/ModuleInit.cs points the library at the monitor).
for f in libberth.so berth-shim; do
    if [ -f "build/$f" ]; then cp -f "build/$f" "build/module/Berth/$f"; fi
done

# Help: Markdown per cmdlet (module/help/*.md) → MAML, the file Get-Help reads for a binary module.
python3 module/help/mdtomaml.py module/help build/module/Berth/en-US/Berth.PowerShell.dll-Help.xml >/dev/null
