"""The pull-request workflow: its shape, its privileges, its scripts (shellcheck), and its check and
summary steps run for real on a pull request made in a scratch repository."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROWS, service, write_csv

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "data-check.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _steps(job: str) -> list[dict]:
    return _workflow()["jobs"][job]["steps"]


def _step(job: str, name: str) -> dict:
    return next(step for step in _steps(job) if step.get("name") == name)


def test_it_runs_on_every_pull_request_with_least_privilege():
    workflow = _workflow()
    assert workflow[True] == {"pull_request": None}  # YAML reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert "permissions" not in jobs["check"]  # the job that runs the pull request's code only reads
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}
    # The job that may write runs nothing from the pull request and is skipped for forks.
    comment_steps = jobs["comment"]["steps"]
    assert not any("uses" in step for step in comment_steps)
    assert not any(re.search(r"\bmake\b|python|flask", step.get("run", "")) for step in comment_steps)
    assert "head.repo.full_name == github.repository" in jobs["comment"]["if"]
    checkout = next(step for step in jobs["check"]["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}


def test_actions_are_pinned_to_full_commits():
    text = WORKFLOW.read_text()
    uses = re.findall(r"uses: (\S+)@(\S+)\s+# (v\d+\.\d+\.\d+)", text)
    assert len(uses) == text.count("uses:") == 2
    for _action, ref, _tag in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), ref


def test_no_expression_is_pasted_into_a_script():
    # `${{ }}` inside `run:` would let a branch name or a pull request's title become shell code.
    for job in _workflow()["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step.get("name")


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="`make test` installs shellcheck (make shellcheck)")
def test_every_script_passes_shellcheck(tmp_path):
    for job in _workflow()["jobs"].values():
        for index, step in enumerate(job["steps"]):
            if "run" in step:
                script = tmp_path / f"step-{index}.sh"
                script.write_text("#!/bin/bash\nset -e\n" + step["run"])
                done = subprocess.run(["shellcheck", "-s", "bash", str(script)], capture_output=True, text=True)
                assert done.returncode == 0, (step["name"], done.stdout)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t.test", *args],
                   check=True, capture_output=True)  # fmt: skip


def _run(script: str, repo: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-c", script], cwd=repo, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_the_check_and_summary_steps_show_the_pull_requests_changes(tmp_path):
    """A scratch repository laid out like this one: main, then a pull request's branch merged on top."""
    repo = tmp_path / "repo"
    for name in ("directory", "data", "translations"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, repo / name)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    for name in ("pyproject.toml", "constraints.txt"):  # older than the installed stamp: make installs nothing
        os.utime(repo / name, (0, 0))
    csv_path = repo / "data" / "agencies.csv"
    write_csv(csv_path, ROWS)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "main")
    _git(repo, "update-ref", "refs/remotes/origin/main", "main")  # what the checkout's fetch gives
    edited = [dict(row) for row in ROWS if row["id"] != "housing-help"]
    edited[0]["phone"], edited[0]["last_verified"] = "020 7946 0009", "2026-11-20"
    write_csv(csv_path, [*edited, service(id="new-line", name="New Line", phone="020 7946 0005")])

    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    env = {"BASE_REF": "main", "CI": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    check = _run(_step("check", "Check the data")["run"], repo, env)
    assert check.returncode == 0, check.stdout + check.stderr
    show = _step("check", "Show the result on the summary page")["run"]
    shown = _run(show, repo, {**env, "CHECK_OUTCOME": "success"})
    assert shown.returncode == 0, shown.stderr
    page = summary.read_text()
    assert page.startswith("### Data check against main: passed")
    assert "Compared with origin/main:" in page
    assert "  added    new-line (New Line)" in page
    assert "  removed  housing-help (Housing Help)" in page
    assert "  changed  clinic-east: phone, last_verified" in page
    assert "new-line (added): in all 9 other languages" in page
    # The same text goes to the comment job as the `summary` output, between unguessable delimiters.
    written = output.read_text()
    delimiter = re.match(r"summary<<(summary-[0-9a-f]{32})\n", written).group(1)
    assert written == f"summary<<{delimiter}\n{page}{delimiter}\n"

    write_csv(csv_path, [*ROWS, service(id="bad", name="Bad", boroughs="gotham")])
    failed = _run(_step("check", "Check the data")["run"], repo, env)
    assert failed.returncode != 0  # the pull request shows a red cross
    _run(show, repo, {**env, "CHECK_OUTCOME": "failure"})
    page = summary.read_text().split("### ")[-1]
    assert page.startswith("Data check against main: failed")
    assert "error: line 8, column boroughs (D): unknown borough 'gotham'" in page
