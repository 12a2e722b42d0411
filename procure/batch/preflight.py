"""What a batch checks before any work: every problem that would fail every request is said once, up front.

The requests named exist, the summary would not overwrite a file without force, the price list, profile,
catalog and (with --issue) register can be read, and the output folder can be made. The command line and any
other caller run the same checks by calling `prepare`.
"""

from pathlib import Path

from procure.batch.run import Job, find_requests
from procure.batch.summary_files import NAMES
from procure.core.catalog_reader import load_catalog
from procure.core.errors import InputError
from procure.core.prices import read_price_list
from procure.core.profile import profile_for
from procure.files.whole import check_targets


def prepare(job: Job, inputs) -> tuple[list[Path], list[Path]]:
    """The request files of `inputs` and the summary files to write, once every input common to all requests
    has been read; the output folder exists afterwards. Raises the one problem that would fail them all."""
    if job.practice and not job.issue:
        raise InputError("--practice goes with --issue: only issued quotes are practice quotes")
    paths = find_requests(inputs)
    summary = check_targets(job.output, NAMES, force=job.force)
    if job.prices:
        read_price_list(job.prices)
    profile_for(job.profile)
    if job.issue:
        from procure.register import open_register

        open_register(job.register).close()  # an unreachable or newer register: one line, before any work
    load_catalog(job.catalog)
    try:
        Path(job.output).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{job.output}: cannot create the output folder: {e.strerror}") from None
    return paths, summary
