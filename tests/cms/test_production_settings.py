"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "cms.settings.production", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_check_deploy_passes_with_environment_values(tmp_path):
    result = run_check({
        "DJANGO_SECRET_KEY": "k3y-" + "x9Q!z" * 12,
        "DATABASE_URL": "postgres://loa:mat-khau@db.invalid:5432/loa",
        "LOA_ALLOWED_HOSTS": "loa.sotttt.example.vn",
        "LOA_S3_BUCKET": "loa-media",
        "LOA_S3_ENDPOINT_URL": "https://s3.example.vn",
        "LOA_VAR_DIR": str(tmp_path),
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = run_check({"DATABASE_URL": "postgres://loa@db.invalid/loa",
                        "LOA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
