"""Run one media job in this process: claim it, make what is missing in a scratch folder,
record the outcome. Scratch files are removed whatever happens; a killed process leaves
its folder to the next attempt, which removes it first."""

from __future__ import annotations

import logging
import shutil

from loa.leases import new_worker_token

from . import jobs, storage_io
from .exceptions import JobLost, MediaError, TransientError
from .models import MediaJob
from .pipeline import make_missing

logger = logging.getLogger(__name__)


def run_job(job_id: int) -> str:
    worker = new_worker_token()
    job = jobs.claim(job_id, worker)
    if job is None:
        return "not-queued"  # another worker has it, or it was cancelled or finished
    storage_io.remove_workdirs(job.pk)
    workdir = storage_io.job_workdir(job.pk, worker.rsplit(":", 1)[-1])
    workdir.mkdir(parents=True)
    reporter = jobs.Reporter(job.pk, worker)
    try:
        made = make_missing(job, reporter, workdir)
    except JobLost:
        logger.info("media job %s: no longer ours (cancelled or re-queued); stopped", job.pk)
        return "lost"
    except TransientError as exc:
        logger.warning("media job %s: transient error, attempt %s", job.pk, job.attempts)
        jobs.retry_or_fail(job, worker, exc)
        return "retry"
    except MediaError as exc:
        jobs.fail(job, worker, exc)
        return "failed"
    except OSError as exc:  # disk, permissions, storage: the machine, not the file
        jobs.retry_or_fail(job, worker, TransientError(detail=repr(exc)))
        return "retry"
    except Exception as exc:
        # A bug: record a readable failure for the editor, then let the task fail loudly.
        jobs.fail(job, worker, MediaError(detail=repr(exc)))
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    jobs.succeed(job, worker, made)
    return MediaJob.State.SUCCEEDED
