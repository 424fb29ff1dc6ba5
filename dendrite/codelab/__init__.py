"""``dendrite codelab``: the MNIST codelab's progression (seed 000) and the book's results table (seed 002),
trained in one run with progress shown, written up as a Markdown and a self-contained HTML report.
``progression`` defines the networks, ``runner`` trains them, ``progress`` shows where the run is and
``report`` writes the pages."""
from .progression import BOOK, CODELAB, PROGRESSION, Experiment
from .runner import run

__all__ = ["Experiment", "CODELAB", "BOOK", "PROGRESSION", "run"]
