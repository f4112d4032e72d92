"""Security tests reuse the e-library's demo-like library, the stations' bulletins and
the delivery tests' products."""

import pytest

from tests.delivery.conftest import products, source_media  # noqa: F401
from tests.elibrary.conftest import library, source_files  # noqa: F401
from tests.stations.conftest import bulletins, encoded_audio, make_station  # noqa: F401


@pytest.fixture(autouse=True)
def _no_pipeline_jobs_on_save(settings):
    """Media made here does not start the pipeline's jobs (tested in tests/media_pipeline)."""
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False
