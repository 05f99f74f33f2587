#!/usr/bin/env bash
# Install the planning assistant from this bundle on a machine with NO network (内网).
#
#   bash install-offline.sh [TARGET_DIR]      (default: the folder this script is in)
#
# Needs CPython 3.11 with its venv module (Debian/Ubuntu: python3.11-venv) on the machine kind named
# in MANIFEST.json (platform). Set PYTHON=/path/to/python3.11 to choose the interpreter.
# Steps: 1 check the interpreter and platform, 2 verify every file's sha256 (nothing is installed if a
# file is missing or corrupt), 3 unpack the project, 4 create TARGET/.venv and install the wheels with
# pip --no-index (never an index, never a build from source), 5 build the search index with progress,
# 6 print the one command that starts the app. Re-running it repairs or upgrades an installation;
# officials' added files (corpus/added/) and the index are kept.
set -euo pipefail

BUNDLE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="${1:-$BUNDLE}"
mkdir -p "$TARGET"
TARGET="$(cd "$TARGET" && pwd)"
STARTED=$SECONDS

say() { printf '[%4ds] %s\n' "$((SECONDS - STARTED))" "$*"; }
die() { printf 'install-offline.sh: %s\n' "$*" >&2; exit 1; }

# pip must see the bundle and nothing else: no configuration file, no index, no proxy, no prompt.
for var in $(compgen -e); do
  case "$var" in PIP_*) unset "$var" ;; esac
done
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONNOUSERSITE=1

# ---------------------------------------------------------------- 1. interpreter and platform
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then PY="$(command -v "$candidate")"; break; fi
  done
fi
[ -n "$PY" ] || die "no Python found; install CPython 3.11 (with venv) or set PYTHON=/path/to/python3.11"
[ -f "$BUNDLE/MANIFEST.json" ] || die "MANIFEST.json is missing from $BUNDLE: the bundle is incomplete"

say "checking $PY against the bundle's platform"
"$PY" - "$BUNDLE/MANIFEST.json" <<'PYCHECK' || exit 1
import json, platform, sys
want = json.load(open(sys.argv[1], encoding="utf-8"))["platform"]
have_machine = platform.machine().lower().replace("amd64", "x86_64")
problems = []
if f"{sys.version_info.major}.{sys.version_info.minor}" != want["python"] or sys.implementation.name != want["implementation"]:
    problems.append(f"Python {want['python']} ({want['implementation']}) is needed, this is "
                    f"{sys.version_info.major}.{sys.version_info.minor} ({sys.implementation.name}) at {sys.executable}")
if platform.system() != want["system"] or have_machine != want["machine"].lower():
    problems.append(f"this bundle serves {want['system']} {want['machine']}, this machine is "
                    f"{platform.system()} {platform.machine()}")
libc, version = platform.libc_ver()
if want.get("glibc_min") and want["system"] == "Linux":
    need = tuple(int(x) for x in want["glibc_min"].split("."))
    have = tuple(int(x) for x in version.split(".")[:2]) if libc == "glibc" and version else None
    if have is None or have < need:
        problems.append(f"glibc {want['glibc_min']} or newer is needed, this machine has {libc or '?'} {version or '?'}")
try:
    import ensurepip, venv  # noqa: F401
except ImportError:
    problems.append("the Python venv module is missing (Debian/Ubuntu: install python3.11-venv)")
if problems:
    print("install-offline.sh: this bundle cannot be installed here:\n  - " + "\n  - ".join(problems)
          + "\nBuild a bundle on a machine of the target's kind (bash scripts/bundle.sh), or see the README's "
          "section on other platforms.", file=sys.stderr)
    sys.exit(1)
PYCHECK

# ---------------------------------------------------------------- 2. checksums, before anything is written
say "verifying sha256 of every file in the bundle"
"$PY" - "$BUNDLE" <<'PYVERIFY' || exit 1
import hashlib, json, sys
from pathlib import Path
root = Path(sys.argv[1])
manifest = json.loads((root / "MANIFEST.json").read_text(encoding="utf-8"))
listed = {f["path"] for f in manifest["files"]}
problems = []
for i, entry in enumerate(manifest["files"], start=1):
    path = root / entry["path"]
    if not path.is_file():
        problems.append(f"missing: {entry['path']}")
        continue
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != entry["sha256"]:
        problems.append(f"corrupt: {entry['path']} (sha256 {digest.hexdigest()[:16]}…, expected {entry['sha256'][:16]}…)")
    if sys.stdout.isatty():
        print(f"\r  {i}/{len(manifest['files'])} files checked", end="", flush=True)
if sys.stdout.isatty():
    print()
for extra in sorted((root / "wheels").glob("*")):
    if f"wheels/{extra.name}" not in listed:
        problems.append(f"not in the manifest: wheels/{extra.name}")
if problems:
    print("install-offline.sh: the bundle is damaged; nothing was installed:\n  - " + "\n  - ".join(problems)
          + "\nCopy the archive again (compare its sha256 with the one it was built with) and re-run.",
          file=sys.stderr)
    sys.exit(1)
print(f"  all {len(manifest['files'])} files intact")
PYVERIFY

read -r NAME VERSION PROFILE SRC_DIR SRC_ARCHIVE < <("$PY" -c '
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
print(m["name"], m["version"], m["profile"], m["source_dir"], m["source_archive"])' "$BUNDLE/MANIFEST.json")
APP="$TARGET/$SRC_DIR"
VENV="$TARGET/.venv"

# ---------------------------------------------------------------- 3. the project's files
say "unpacking $NAME $VERSION into $APP"
# extracted over an existing installation: corpus/added/ and index/ are not in the archive, so they stay
tar -xzf "$BUNDLE/$SRC_ARCHIVE" -C "$TARGET"

# ---------------------------------------------------------------- 4. virtual environment, wheels only
say "creating the virtual environment $VENV"
rm -f "$VENV/INSTALLED"
"$PY" -m venv --clear "$VENV"
VPY="$VENV/bin/python"
say "installing $(grep -c . "$BUNDLE/requirements.lock") wheels from the bundle (pip --no-index)"
"$VPY" -m pip install --no-index --find-links "$BUNDLE/wheels" --only-binary :all: --require-hashes \
  --no-cache-dir --progress-bar off --quiet -r "$BUNDLE/requirements.lock"
say "installing the project (editable, from $APP)"
"$VPY" -m pip install --no-index --no-deps --no-build-isolation --no-cache-dir --quiet -e "$APP"
if [ "$PROFILE" = "full" ]; then
  "$VPY" -m pip check || die "installed packages are inconsistent (pip check above)"
fi

# ---------------------------------------------------------------- 5. the index
ENV_LINE=""
if [ "$PROFILE" != "full" ]; then
  # this bundle has no dense-retrieval stack: BM25 alone, said so in the app and the CLI
  export ASSISTANT_EMBEDDING="${ASSISTANT_EMBEDDING:-none}"
  ENV_LINE='export ASSISTANT_EMBEDDING="${ASSISTANT_EMBEDDING:-none}"  # bundle without dense retrieval'
fi
cat > "$TARGET/run-assistant.sh" <<EOF
#!/usr/bin/env bash
# Start the planning assistant (written by install-offline.sh; bundle profile: $PROFILE).
set -euo pipefail
cd "$APP"
$ENV_LINE
exec "$VPY" -m streamlit run app.py --server.headless true --server.port "\${PORT:-8501}" --browser.gatherUsageStats false
EOF
say "building the search index (a few minutes with dense vectors; progress below)"
(cd "$APP" && "$VPY" -m assistant build)

date -u +%Y-%m-%dT%H:%M:%SZ > "$VENV/INSTALLED"
say "installed $NAME $VERSION ($PROFILE bundle) in $((SECONDS - STARTED)) s"
echo
echo "Start the assistant (then open http://localhost:8501):"
echo
echo "    bash $TARGET/run-assistant.sh"
