"""The shipped LULUCF factor file and demo data are what their deterministic scripts make now."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "scripts"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SCRIPTS / "build_lulucf_factors.py").exists(), reason="scripts/ is not shipped in the wheel")
def test_factor_file_is_the_build_of_the_reference():
    module = _script("build_lulucf_factors")
    if not (module.DEFAULT_REFERENCE / "lulucf.csv").exists():
        pytest.skip("the reference collection is a developer's copy, not shipped")
    assert module.main(["--check"]) == 0  # else: python scripts/build_lulucf_factors.py


@pytest.mark.skipif(not (SCRIPTS / "make_demo_lulucf.py").exists(), reason="scripts/ is not shipped in the wheel")
def test_demo_data_is_what_the_generator_makes_now():
    module = _script("make_demo_lulucf")
    rows = module.activity_rows()  # checks that the city is its counties' sum but for the one deliberate mismatch
    assert module.ACTIVITY.read_text(encoding="utf-8") == module.render(rows, module.COLUMNS)
