"""`procure batch`: build every request of some files and folders, and summarise what became of each."""

import os
import sys
from pathlib import Path

import click

from procure.batch.run import BUILT, FAILED, INTERRUPTED, ISSUED, Job, JobResult, run_batch
from procure.cli.common import html_option, json_option, prices_option, print_json, profile_option


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", required=True, metavar="DIR", help="Folder to write every request's files into.")
@prices_option
@profile_option
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: the number of cores).")
@click.option("--force", is_flag=True, help="Overwrite files of the same quote number, and the summary.")
@click.option("--issue", "issue", is_flag=True,
              help="Issue each request into the quote register (numbered and stored) instead of building it.")
@click.option("--register", "register_target", envvar="PROCURE_REGISTER", metavar="TARGET",
              help="The register to issue into (with --issue), whose customer directory completes a request naming "
                   "only a DoDAAC: an SQLite file or a postgresql:// URL (also env PROCURE_REGISTER).")
@click.option("--practice", is_flag=True,
              help="With --issue: issue practice quotes (the only way with an illustrative price list or an example "
                   "profile; they say PRACTICE on every page and can never be accepted).")
@html_option
@json_option
@click.pass_context
def batch(ctx, inputs, output, prices, profile, jobs, force, issue, register_target, practice, with_html, as_json):
    """Build (or issue) many requests, as `build` would.

    Every request (TOML or form) named, or in the folders named.

    One failed request never stops the others. Writes DIR/batch-summary.csv and .xlsx (a row per request);
    exits 1 when any request failed.
    """
    from procure.batch.preflight import prepare
    from procure.batch.summary_files import summary_files
    from procure.files.whole import write_whole

    job = Job(output=output, prices=prices, catalog=ctx.find_root().params.get("catalog_dir"), profile=profile,
              force=force, issue=issue, register=register_target, practice=practice, html=with_html)
    paths, summary = prepare(job, inputs)
    outcomes = _run(job, paths, jobs or os.cpu_count() or 1)
    write_whole(summary, summary_files(outcomes), force=force)
    done = sum(o.status in (BUILT, ISSUED) for o in outcomes)
    if as_json:
        print_json({"requests": [o._asdict() for o in outcomes], "built": done, "failed": len(outcomes) - done,
                    "summary": [str(p) for p in summary]})
    else:
        click.echo(f"{ISSUED if issue else BUILT} {done} of {len(outcomes)} request(s) into {output}; "
                   f"summary: {summary[0]}")
    cancelled = sum(o.problem == INTERRUPTED for o in outcomes)
    if cancelled:
        click.echo(f"interrupted: {cancelled} request(s) not built; {summary[0]} lists them as failed", err=True)
    if done < len(outcomes):
        ctx.exit(1)


def _run(job: Job, paths: list[Path], jobs: int) -> list[JobResult]:
    """Run the batch with a progress bar on a terminal, else a line per request as it is known; failures either way."""
    if not sys.stderr.isatty():
        return run_batch(job, paths, jobs=jobs, done=lambda index, outcome: _echo(outcome, BUILT, ISSUED, FAILED))
    with click.progressbar(length=len(paths), label="Building", file=sys.stderr, show_pos=True) as bar:
        outcomes = run_batch(job, paths, jobs=jobs, done=lambda index, outcome: bar.update(1))
    for outcome in outcomes:
        _echo(outcome, FAILED)
    return outcomes


def _echo(outcome: JobResult, *statuses: str) -> None:
    """Print the line of an outcome of one of `statuses`; those cancelled by Ctrl-C are counted once, at the end."""
    if outcome.status in statuses and outcome.problem != INTERRUPTED:
        click.echo(_line(outcome), err=True)


def _line(outcome: JobResult) -> str:
    """`built inbox/a.toml: PQ-0001 (2 warnings: illustrative-prices ...)`, or `error: <the problem, naming the
    file>`."""
    if outcome.status in (BUILT, ISSUED):
        codes = outcome.warnings.split()
        plural = "s" if len(codes) != 1 else ""
        said = f" ({len(codes)} warning{plural}: {' '.join(codes)})" if codes else " (no warnings)"
        return f"{outcome.status} {outcome.file}: {outcome.number}{said}"
    problem = outcome.problem
    return f"error: {problem}" if problem.startswith(outcome.file) else f"error: {outcome.file}: {problem}"
