"""course_lib: reference implementations for "Optimization for Training Deep Models".

Every algorithm of chapter 8 of *Deep Learning* (Goodfellow, Bengio & Courville), written to
read like the book's pseudocode. Importing the package loads numpy only: plotting and
widgets (matplotlib, ipywidgets) are imported when you import ``course_lib.plotting`` or
``course_lib.widgets``.
"""

from . import objectives, optim, schedules
from .run import DivergenceWarning, Trace, minimize

__version__ = "0.1.0"
__all__ = ["objectives", "optim", "schedules", "minimize", "Trace", "DivergenceWarning"]
