"""``python -m dendrite ...``: the same commands as the ``dendrite`` program (``train``, ``run``, ...)."""
import sys

from .cli import main

sys.exit(main())
