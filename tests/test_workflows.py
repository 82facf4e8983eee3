"""The GitHub workflows: valid against GitHub's schema, and zizmor finds nothing high."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def test_there_is_a_deploy_and_a_test_workflow() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"deploy.yml", "test.yml"} <= names
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    steps = " ".join(str(s) for job in deploy["jobs"].values() for s in job["steps"])
    assert "make site" in steps and "upload-pages-artifact" in steps and "deploy-pages" in steps
    test = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text())
    assert "make test" in str(test["jobs"]["test"]["steps"])
    assert list(test[True]) == ["pull_request"]  # YAML 1.1 reads the `on:` key as True


def test_workflows_match_the_github_workflow_schema() -> None:
    result = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_no_high_severity_problem() -> None:
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--format", "json", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    findings = json.loads(result.stdout)
    high = [
        f"{f['ident']}: {f['desc']}"
        for f in findings
        if f["determinations"]["severity"] in ("High",)
    ]
    assert high == []
    assert result.returncode in (0, 11, 12, 13), result.stderr  # 1x: findings below High


def test_actions_are_pinned_by_commit_and_credentials_not_persisted() -> None:
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {}, path.name
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    # A tag or a branch can be moved to other code; a full commit id cannot.
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False


def assert_build_gets_the_pages_address(deploy: dict[str, Any]) -> None:
    """The deploy's build step gets the address actions/configure-pages reads (a project
    path or a custom domain), as READINGLIST_SITE_URL, which `readinglist build` uses."""
    build = deploy["jobs"]["build"]
    steps = build["steps"]
    configure = [s for s in steps if s.get("uses", "").startswith("actions/configure-pages@")]
    assert len(configure) == 1 and configure[0]["id"] == "pages"
    site = next(s for s in steps if s.get("run") == "make site")
    assert steps.index(configure[0]) < steps.index(site)
    assert site["env"] == {"READINGLIST_SITE_URL": "${{ steps.pages.outputs.base_url }}"}
    assert build["permissions"] == {"contents": "read", "pages": "read"}


def test_the_deploy_builds_with_the_address_github_pages_serves_it_at() -> None:
    assert_build_gets_the_pages_address(
        yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    )
