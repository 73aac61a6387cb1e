"""Entry point for `python -m calculator`."""
import sys

from .cli import main

sys.exit(main(as_program=True))
