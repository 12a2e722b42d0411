"""The documentation a user finds their way in: every relative link and picture of the README, CONTRIBUTING.md and
docs/*.md leads somewhere (a file, a folder, a heading); the README stays a front page (at most 200 lines, linking
the docs pages) whose two commands work as written and whose test command is the one CI runs; each user page
opens by saying what it is for, and none speaks of how procure is built or checked.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
PAGES = [README, REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
FOR_MAINTAINERS = {"architecture.md", "reference.md"}  # architecture is for maintainers; reference is generated
USER_PAGES = [p for p in sorted((REPO / "docs").glob("*.md")) if p.name not in FOR_MAINTAINERS]

LINK = re.compile(r"!?\[[^\]]*\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def prose_lines(page: Path) -> list[str]:
    """The page's lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def links(page: Path) -> list[str]:
    """The targets of the page's links and pictures, leaving out what is shown as code."""
    return [target for line in prose_lines(page) for target in LINK.findall(re.sub(r"`[^`]*`", "", line))]


def anchors(page: Path) -> set[str]:
    """The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces as hyphens."""
    found = set()
    for line in prose_lines(page):
        heading = re.match(r"#{1,6}\s+(.*)", line)
        if heading:
            text = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower())
            found.add(text.replace(" ", "-"))
    return found


def fenced_commands(page: Path) -> list[str]:
    """The lines of the page's ```sh blocks."""
    return [line for block in re.findall(r"```sh\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
            for line in block.splitlines()]


def test_the_link_checker_finds_links_anchors_and_commands():
    assert "docs/build.md" in links(README) and "docs/web-quotes.png" in links(README)
    assert "what-procure-build-writes" in anchors(REPO / "docs" / "build.md")
    assert any(line.endswith("-m pytest") for line in fenced_commands(README))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_and_picture_exists(page):
    broken = []
    for target in links(page):
        if SCHEME.match(target):
            continue
        path, _, fragment = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(target)
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            broken.append(f"{target} (no such heading)")
    assert broken == [], f"{page.relative_to(REPO)} links to what does not exist"


def test_the_readme_is_a_front_page_linking_the_docs():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    linked = {target.partition("#")[0] for target in links(README) if target.startswith("docs/")}
    pages = {target for target in linked if target.endswith(".md")}
    assert len(pages) >= 4 and all((REPO / target).is_file() for target in pages)
    assert "procure serve --demo" in text


def test_the_readme_test_command_is_the_one_ci_runs():
    readme = [line for line in fenced_commands(README) if line.endswith(" -m pytest")]
    assert len(readme) == 1, "the README shows one command that runs the tests"
    ci = [part.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          for part in line.split(" && ")]
    missing = [part for part in readme[0].split(" && ") if part not in ci]
    assert missing == [], ".ci/run does not run these parts of the README's test command"
    assert readme[0] in fenced_commands(REPO / "CONTRIBUTING.md"), "CONTRIBUTING.md shows another test command"


def test_the_readme_build_command_builds_the_example_as_written(tmp_path):
    command = next(line for line in fenced_commands(README) if " build examples/" in line)
    build = command.split(" && ")[-1].split()
    assert build[0] == ".venv/bin/procure"
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    completed = subprocess.run([sys.executable, "-m", "procure", *build[1:]], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "Q-2026-0001.html", "Q-2026-0001.pdf", "Q-2026-0001.txt", "Q-2026-0001.xlsx"]


@pytest.mark.parametrize("page", USER_PAGES, ids=lambda p: p.name)
def test_each_user_page_opens_with_what_it_is_for(page):
    blocks = [b.strip() for b in page.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    assert blocks[0].startswith("# ") and "\n" not in blocks[0], "a page starts with its title"
    assert blocks[1][0].isalpha() or blocks[1].startswith(("**", "`")), "then a paragraph saying what it is for"


@pytest.mark.parametrize("page", USER_PAGES, ids=lambda p: p.name)
def test_no_user_page_speaks_of_how_procure_is_built_or_checked(page):
    text = page.read_text(encoding="utf-8")
    found = [word for word in ("pytest", "benchmarks/", ".ci/", "tests/", "mypy", "ruff") if word in text]
    assert found == [], f"{page.name} speaks of the project's own checks: move it to CONTRIBUTING.md"
