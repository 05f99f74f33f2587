"""Fault injection for issue 12: kill adds and builds at random moments, damage each index file in turn,
and count lost documents and crashes (the target for both is zero).

    python benchmarks/fault_injection.py [--adds 10] [--pairs 3] [--builds 4] [--seed 1] [--skip-damage]

Part 1 runs the real CLI (``python -m assistant add|build|ask``) on the real corpus with BM25 alone
(ASSISTANT_EMBEDDING points at a missing folder) so each add takes seconds:
  * kill -9 during ``add`` at a random moment, then start again: a document is LOST when its add
    printed success but it is not in the manifest, or when the folder cannot be loaded;
  * two ``add`` processes at once (no kill): both documents must be there;
  * kill -9 during ``build --force``: the next ``ask`` must answer (exit 0), and the next build must
    leave no ``.building-*`` folder.
Part 2 uses a real dense index (the embedding model, Chroma) over the plan's first 24 paragraphs and,
for every file of the generation in turn (plus CURRENT and a deleted generation), writes random bytes
over it and opens the index in a fresh process: a CRASH is any exit other than 0 (a segfault is -11),
or an index still not verified afterwards.
Results go to benchmarks/results/fault_injection.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

REGULATION = """示范{name}农村供水管理办法
第一条　为了规范{name}农村供水工程运行管理，制定本办法。
第二条　供水单位应当每{n}个月检测一次出厂水水质，检测记录保存不少于三年。
第三条　县水利局负责本办法的组织实施。
"""


def cli(args: list[str], env: dict, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def manifest_titles(added: Path) -> set[str]:
    """What the next start sees: load_added rolls back an interrupted add first."""
    code = ("import json,sys; from assistant.config import Settings; from assistant.documents import load_added\n"
            "docs, clauses, _ = load_added(Settings.from_env()); print(json.dumps([d.title for d in docs]))")
    env = os.environ | {"ASSISTANT_ADDED_DIR": str(added)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-1000:])
    return set(json.loads(out.stdout))


def part_adds(root: Path, adds: int, pairs: int, builds: int, rng: random.Random) -> dict:
    env = os.environ | {"ASSISTANT_ADDED_DIR": str(root / "added"), "ASSISTANT_INDEX_DIR": str(root / "index"),
                        "ASSISTANT_EMBEDDING": str(root / "no-model"), "PYTHONPATH": str(REPO)}
    env.pop("ASSISTANT_CHROMA_HOST", None)
    files = root / "files"
    files.mkdir(parents=True)
    started = time.perf_counter()
    assert cli(["build"], env).wait() == 0
    # measure one add to pick kill moments spread over its whole duration
    counter = iter(range(10_000))

    def new_file() -> tuple[str, Path]:
        n = next(counter)
        name = f"第{n}号县"
        path = files / f"doc{n}.txt"
        path.write_text(REGULATION.format(name=name, n=n % 11 + 1), encoding="utf-8")
        return f"示范{name}农村供水管理办法", path

    title, path = new_file()
    t0 = time.perf_counter()
    proc = cli(["add", str(path)], env)
    proc.communicate()
    add_seconds = time.perf_counter() - t0
    succeeded = {title} if proc.returncode == 0 else set()
    lost_reports, load_errors, killed, completed = [], 0, 0, 1
    for _ in range(adds):
        title, path = new_file()
        proc = cli(["add", str(path)], env)
        time.sleep(rng.uniform(0.05, add_seconds * 1.1))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        out, _ = proc.communicate()
        if proc.returncode == 0 and "已添加" in out:
            succeeded.add(title)
            completed += 1
        try:
            present = manifest_titles(root / "added")
        except RuntimeError as exc:
            load_errors += 1
            print("  load error after kill:", exc)
            continue
        lost_reports += sorted(succeeded - present)
    concurrent_lost = []
    for _ in range(pairs):
        batch = [new_file() for _ in range(2)]
        procs = [cli(["add", str(p)], env) for _, p in batch]
        codes = [p.wait() for p in procs]
        present = manifest_titles(root / "added")
        concurrent_lost += [t for (t, _), c in zip(batch, codes) if c == 0 and t not in present]
        concurrent_lost += [t for (t, _), c in zip(batch, codes) if c != 0]  # a refused add would also be a loss
    build_crashes, leftovers = 0, 0
    t0 = time.perf_counter()
    assert cli(["build", "--force"], env).wait() == 0
    build_seconds = time.perf_counter() - t0
    for _ in range(builds):
        proc = cli(["build", "--force"], env)
        time.sleep(rng.uniform(0.5, build_seconds))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        ask = cli(["ask", "农村黑臭水体整治由哪个部门牵头？"], env)
        out, err = ask.communicate()
        if ask.returncode != 0 or "州生态环境局" not in out:
            build_crashes += 1
            print("  ask after killed build failed:", ask.returncode, err[-500:])
        assert cli(["build"], env).wait() == 0
        leftovers += len(list((root / "index").glob(".building-*")))
    return {"add_seconds": round(add_seconds, 1), "kill_during_add": adds, "killed_mid_add": killed,
            "adds_completed": completed, "lost_after_kill": len(lost_reports), "load_errors_after_kill": load_errors,
            "concurrent_pairs": pairs, "lost_concurrent": len(concurrent_lost), "build_seconds": round(build_seconds, 1),
            "kill_during_build": builds, "ask_failures_after_killed_build": build_crashes,
            "building_leftovers_after_next_build": leftovers, "seconds": round(time.perf_counter() - started, 1)}


CHILD = """
import sys
from pathlib import Path
from assistant.config import Settings
from assistant.corpus import Corpus, load_corpus
from assistant.retrieve import open_index
from assistant.index import check_index
full = load_corpus(Settings()); corpus = Corpus(full.plan()[:24], [], full.facts)
settings = Settings.from_env(index_dir=Path(sys.argv[1]), chroma_host=None)
notices = []
index = open_index(settings, corpus, notice=notices.append)
hit = index.search("规划范围", k=1)[0].clause.clause_id
fresh = check_index(settings, corpus, index.manifest.model_id).fresh
print("RESULT", bool(notices), hit, fresh, "|".join(notices)[:300])
"""


def part_damage(root: Path, rng: random.Random) -> dict:
    from assistant.config import Settings
    from assistant.corpus import Corpus, load_corpus
    from assistant.index import build_index, live_generation

    full = load_corpus(Settings())
    corpus = Corpus(full.plan()[:24], [], full.facts)
    pristine = root / "pristine"
    build_index(Settings.from_env(index_dir=pristine, chroma_host=None), corpus)
    gen = live_generation(pristine)
    targets = [str(p.relative_to(pristine)) for p in sorted(gen.rglob("*")) if p.is_file()] + ["CURRENT", "<generation>"]
    rows = []
    for target in targets:
        for how in ("bytes", "delete"):
            if target == "<generation>" and how == "bytes":
                continue
            work = root / f"case-{len(rows)}"
            shutil.copytree(pristine, work, ignore=shutil.ignore_patterns(".lock"))
            path = work / target if target != "<generation>" else work / gen.name
            if how == "delete":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            else:
                data = bytearray(path.read_bytes())
                n = max(1, min(4096, len(data) // 2))
                start = rng.randrange(0, max(1, len(data) - n))
                data[start:start + n] = rng.randbytes(n)
                path.write_bytes(bytes(data))
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, str(work)], cwd=REPO, capture_output=True, text=True,
                                 env=os.environ | {"PYTHONPATH": str(REPO)}, timeout=1800)
            line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT")), "")
            parts = line.split(" ", 4)
            row = {"file": target, "damage": how, "exit": out.returncode, "message_shown": parts[1:2] == ["True"],
                   "verified_after": parts[3:4] == ["True"], "seconds": round(time.perf_counter() - t0, 1),
                   "crash": out.returncode != 0 or parts[3:4] != ["True"]}
            if row["crash"]:
                row["stderr"] = out.stderr[-800:]
            rows.append(row)
            print(f"  {target:70s} {how:6s} exit={out.returncode} message={row['message_shown']} "
                  f"verified={row['verified_after']} {row['seconds']}s", flush=True)
            shutil.rmtree(work, ignore_errors=True)
    return {"cases": len(rows), "crashes": sum(r["crash"] for r in rows),
            "silent": sum(1 for r in rows if not r["message_shown"] and r["file"] != "manifest.json"), "rows": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=10)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--builds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-adds", action="store_true")
    parser.add_argument("--skip-damage", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="fault-") as folder:
        root = Path(folder)
        if not args.skip_adds:
            print("part 1: kills during add and build, concurrent adds (CLI, BM25 only)", flush=True)
            report["adds"] = part_adds(root / "adds", args.adds, args.pairs, args.builds, rng)
            print(json.dumps(report["adds"], ensure_ascii=False, indent=1), flush=True)
        if not args.skip_damage:
            print("part 2: damage each index file in turn (dense index of 24 plan paragraphs)", flush=True)
            (root / "damage").mkdir()
            report["damage"] = part_damage(root / "damage", rng)
            print(f"damage cases {report['damage']['cases']}, crashes {report['damage']['crashes']}", flush=True)
    out = REPO / "benchmarks" / "results" / "fault_injection.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    lost = report.get("adds", {}).get("lost_after_kill", 0) + report.get("adds", {}).get("lost_concurrent", 0)
    crashes = report.get("damage", {}).get("crashes", 0) + report.get("adds", {}).get("ask_failures_after_killed_build", 0)
    print(f"LOST DOCUMENTS {lost}  CRASHES {crashes}  (written to {out})")
    return 0 if lost == 0 and crashes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
