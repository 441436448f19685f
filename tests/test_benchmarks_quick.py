"""The benchmark harness still works: tiny sizes, no timing assertions."""

import json
import subprocess
import sys
from pathlib import Path

from benchmarks import generate

REPO = Path(__file__).resolve().parent.parent
SIZE = generate.Size(modules=6, tasks=40, call_sites=120)


def python_files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*.py"))}


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", module, *args]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_generator_writes_the_requested_size_deterministically(tmp_path: Path) -> None:
    report = generate.generate(tmp_path / "a", SIZE, seed=3, mistake_rate=0.2)
    generate.generate(tmp_path / "b", SIZE, seed=3, mistake_rate=0.2)
    generate.generate(tmp_path / "c", SIZE, seed=4, mistake_rate=0.2)
    files = python_files(tmp_path / "a")
    assert files == python_files(tmp_path / "b")
    assert files != python_files(tmp_path / "c")

    source = "\n".join(files.values())
    assert source.count("\ndef task_") + source.count("\nasync def task_") == SIZE.tasks
    assert source.count(".enqueue(") + source.count(".aenqueue(") == SIZE.call_sites
    assert report.typed_call_sites + report.untyped_call_sites == SIZE.call_sites
    for form in ("@task\n", "@task()", "takes_context=True", "async def task_", "priority="):
        assert form in source, form
    for call in (".aenqueue(", ".using(priority=", "def legacy_flow_", "-> list[str]:"):
        assert call in source, call
    assert report.definition_mistakes > 0 and report.call_site_mistakes > 0
    settings = files["benchproj/settings.py"]
    assert "TASKS = {" in settings and "DummyBackend" in settings


def test_signature_change_is_undone_by_restore(tmp_path: Path) -> None:
    report = generate.generate(tmp_path, SIZE)
    target = tmp_path / report.mutable_file
    original = target.read_text()
    generate.change_signature(tmp_path, report)
    assert "attempt: int = 0" in target.read_text()
    generate.restore_signature(tmp_path, report)
    assert target.read_text() == original


def test_mypy_bench_quick_measures_both_configurations(tmp_path: Path) -> None:
    run_module("benchmarks.mypy_bench", "--quick", "--out", str(tmp_path))
    result = json.loads((tmp_path / "mypy.json").read_text())
    measured = {(s["mode"], s["phase"], s["config"]) for s in result["samples"]}
    for mode, phases in (
        ("mypy", ("cold", "warm", "changed")),
        ("mypy -n 2", ("cold", "warm", "changed")),
        ("dmypy", ("initial", "recheck")),
    ):
        for phase in phases:
            assert {(mode, phase, "baseline"), (mode, phase, "ours")} <= measured
    assert all(s["wall_s"] > 0 and s["peak_rss_mb"] > 0 for s in result["samples"])
    # the generated mistakes include some only typed_tasks' plugin can see
    cold = {s["config"]: s["errors"] for s in result["samples"] if s["phase"] == "cold"}
    assert cold["ours"] > cold["baseline"]
    assert "| mypy, cold" in (tmp_path / "mypy.md").read_text()


def test_runtime_bench_quick_compares_every_payload(tmp_path: Path) -> None:
    run_module("benchmarks.runtime_bench", "--quick", "--out", str(tmp_path))
    result = json.loads((tmp_path / "runtime.json").read_text())
    assert [p["name"] for p in result["payloads"]] == ["small", "medium", "large"]
    sizes = [g["json_bytes"] for g in result["growth"]]
    assert sizes == sorted(sizes) and len(sizes) == 3
    for row in result["payloads"] + result["growth"]:
        assert row["cpu"]["plain_us"]["median"] > 0 and row["cpu"]["typed_us"]["median"] > 0


def test_dense_project_holds_only_definitions_and_calls_and_type_checks_clean(
    tmp_path: Path,
) -> None:
    from benchmarks import dense

    project = dense.generate(tmp_path / "a", modules=3, tasks=7, calls=20, seed=1)
    dense.generate(tmp_path / "b", modules=3, tasks=7, calls=20, seed=1)
    files = python_files(tmp_path / "a")
    assert files == python_files(tmp_path / "b")
    assert (project.tasks, project.calls) == (21, 60)

    modules = [text for name, text in files.items() if "/m_" in name]
    source = "\n".join(modules)
    assert source.count("\ndef t") + source.count("\nasync def t") == project.tasks
    assert source.count(".enqueue(") == project.calls
    for form in ("@task\n", "@task()", "takes_context=True", "@typed_task", ".using(priority="):
        assert form in source, form

    # correct code: the plugin reports nothing on it (a false report would skew every figure)
    process = dense.cold_run(tmp_path / "a", "ours", tmp_path, dense.REPO)
    assert process.exit_code == 0, process.output


def test_dense_summary_reports_each_fastest_run_over_the_baselines_fastest() -> None:
    from benchmarks import dense
    from benchmarks.measure import Process

    def run(cpu_s: float) -> Process:
        return Process(wall_s=cpu_s, cpu_s=cpu_s, peak_rss_mb=100.0, exit_code=0, output="")

    # One disturbed baseline run (3.0) moves the median ratio; the fastest runs are not.
    seconds = {"baseline": [2.0, 3.0, 2.0], "floor": [2.02, 2.0, 2.1]}
    seconds |= {"ours": [2.4, 2.2, 2.3], "compiled": [2.1, 2.2, 2.15]}
    samples = {n: {c: [run(s) for s in seconds[c]] for c in dense.CONFIGS} for n in dense.PROJECTS}
    projects = {n: dense.Project(modules=1, tasks=10, calls=50, lines=1) for n in dense.PROJECTS}
    result = dense.summarize(projects, samples)
    fastest = result["fastest_ratio"]["full"]  # type: ignore[index]
    assert fastest == {"floor": 1.0, "ours": 1.1, "compiled": 1.05}
    assert result["cpu_samples_s"]["full"]["ours"] == [2.4, 2.2, 2.3]  # type: ignore[index]
    assert "* full: floor 1.000, ours 1.100, compiled 1.050" in dense.markdown(result)
