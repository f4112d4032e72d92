import pytest

from tests.elibrary import demo_like


@pytest.fixture(scope="session")
def source_files(tmp_path_factory) -> demo_like.SourceFiles:
    return demo_like.make_source_files(tmp_path_factory.mktemp("elibrary-sources"))


@pytest.fixture
def library(province, source_files) -> demo_like.DemoLibrary:
    """One live product of each kind and a draft bulletin."""
    return demo_like.build(province, source_files)


@pytest.fixture
def demo_library(province, source_files) -> demo_like.DemoLibrary:
    """Twelve live products, like the home page of the demo site."""
    return demo_like.build(province, source_files, per_kind=3)


@pytest.fixture(autouse=True)
def _no_pipeline_jobs_on_save(settings):
    """Media items made here do not start the pipeline's jobs: these tests make any
    renditions they need themselves from real ffmpeg output (the jobs are tested in
    tests/media_pipeline)."""
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False
