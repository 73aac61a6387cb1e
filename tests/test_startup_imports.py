"""Each command imports only what it uses (every call is its own process): checked in sys.modules, not timed."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = {"reportlab", "xlsxwriter", "python_calamine", "tqdm", "openpyxl", "sqlalchemy", "streamlit"}
ENGINE = {"pandas", "numpy", "pydantic", "pyarrow"}
TABLES = {"pandas", "pyarrow"}  # the batch's frames: a single household goes from its options straight to arrays
# `python -m calculator …` exactly as a script calls it; at exit, the top-level packages it loaded go to stderr (a
# quote ends through os._exit, skipping Python's exit handlers: the probe reports there too).
PROBE = ("import atexit, os, runpy, sys\n"
         "def report():\n"
         "    print('MODULES', *sorted({m.split('.')[0] for m in sys.modules}), file=sys.stderr, flush=True)\n"
         "atexit.register(report)\n"
         "end = os._exit\n"
         "os._exit = lambda status: (report(), end(status))\n"
         "sys.argv = ['calculator', *sys.argv[1:]]\n"
         "runpy.run_module('calculator', run_name='__main__', alter_sys=True)\n")


def loaded_packages(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return done, set(line.split()[1:])


@pytest.mark.parametrize("args, shown", [
    (("--original-area", "45", "--unit-area", "58", "--format", "json"), '"net_payable": "29544.00"'),
    (("--original-area", "62.5", "--unit-area", "75", "--appraised-price", "6000", "--move-in", "2026-06-01", "--defer", "--low-income",
      "--lang", "en"), "Installment 1"),
    (("--original-area", "62.5", "--cash", "--appraised-price", "6000"), "货币补偿"),
    (("--original-area", "-3", "--unit-area", "58"), ""),  # refused: the checks run without pandas too
])
def test_quote_loads_numpy_and_pydantic_but_no_table_or_document_library(args, shown):
    done, packages = loaded_packages("quote", *args)
    assert done.returncode == (2 if not shown else 0), done.stderr
    assert shown in done.stdout
    assert {"numpy", "pydantic"} <= packages  # the probe sees what the command loaded
    assert not packages & (DOCUMENTS | TABLES), packages & (DOCUMENTS | TABLES)


@pytest.mark.parametrize("args", [("--help",), ("quote", "--help"), ("notice", "--help"), ("batch", "--help")])
def test_help_loads_no_library(args):
    done, packages = loaded_packages(*args)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
    assert not packages & (DOCUMENTS | ENGINE), packages & (DOCUMENTS | ENGINE)


def test_import_calculator_loads_no_library():
    done = subprocess.run([sys.executable, "-c", "import sys, calculator, calculator.batch, calculator.statements; "
                           "print(*sorted({m.split('.')[0] for m in sys.modules}))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
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


@pytest.mark.parametrize("package", ["calculator", "calculator.batch", "calculator.statements"])
def test_a_lazy_name_stays_what_it_names_after_every_submodule_is_imported(package):
    """A submodule named like one of the package's exports would replace it on import (the import system sets the
    package attribute): no export may share its module's name."""
    import importlib
    import pkgutil

    pkg = importlib.import_module(package)
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name != "__main__":  # that one runs the CLI
            importlib.import_module(f"{package}.{info.name}")
    for name in pkg.__all__:
        assert not isinstance(getattr(pkg, name), type(pkg)), f"{package}.{name} is a module"
