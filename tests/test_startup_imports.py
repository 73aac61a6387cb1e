"""Each command imports only what it uses (every call is its own process): checked in sys.modules, not timed."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = {"reportlab", "xlsxwriter", "python_calamine", "tqdm", "openpyxl", "sqlalchemy", "streamlit"}
ENGINE = {"pandas", "numpy", "pydantic", "pyarrow"}
# `python -m calculator …` exactly as a script calls it; at exit, the top-level packages it loaded go to stderr.
PROBE = ("import atexit, runpy, sys\n"
         "atexit.register(lambda: print('MODULES', *sorted({m.split('.')[0] for m in sys.modules}), file=sys.stderr))\n"
         "sys.argv = ['calculator', *sys.argv[1:]]\n"
         "runpy.run_module('calculator', run_name='__main__', alter_sys=True)\n")


def loaded_packages(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return done, set(line.split()[1:])


def test_quote_loads_the_engine_but_no_document_writer():
    done, packages = loaded_packages("quote", "--original-area", "45", "--unit-area", "58", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"net_payable": "29544.00"' in done.stdout
    assert {"pandas", "pydantic"} <= packages  # the probe sees what the command loaded
    assert not packages & DOCUMENTS, packages & DOCUMENTS


@pytest.mark.parametrize("args", [("--help",), ("quote", "--help"), ("notice", "--help"), ("batch", "--help")])
def test_help_loads_no_library(args):
    done, packages = loaded_packages(*args)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
    assert not packages & (DOCUMENTS | ENGINE), packages & (DOCUMENTS | ENGINE)


def test_import_calculator_loads_no_library():
    done = subprocess.run([sys.executable, "-c", "import sys, calculator, calculator.batch, calculator.statements; "
                           "print(*sorted({m.split('.')[0] for m in sys.modules}))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not set(done.stdout.split()) & (DOCUMENTS | ENGINE)


def test_lazy_names_still_resolve():
    import calculator
    import calculator.batch
    import calculator.statements

    for package in (calculator, calculator.batch, calculator.statements):
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)
    with pytest.raises(AttributeError):
        calculator.no_such_name  # noqa: B018
