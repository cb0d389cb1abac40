import os
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("ADACCESS_ROOT", Path(__file__).resolve().parents[2]))


@pytest.fixture
def root() -> Path:
    return ROOT
