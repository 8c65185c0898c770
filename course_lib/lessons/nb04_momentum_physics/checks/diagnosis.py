"""Exercise 5 of notebook 04, diagnose: what went wrong in each of four runs of momentum?

The answer is a dict, run letter → one of ``CAUSES``. The visible check compares it with the
causes the runs were built with; for a wrong one it says why the chosen cause does not fit
that curve and which feature of the curve to look at. The hidden test derives the causes
again *by running*: for each run, from a nearby start and with fresh noise drawn at grading
time, it tries the cure of every cause and takes the one that makes the run converge.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, never_raises, not_done, passed

ANSWER = "diagnosis"
CAUSES = ("lr too large", "lr too small", "alpha too large", "noisy gradients")
LETTERS = ("A", "B", "C", "D")
TRUTH = {"A": "alpha too large", "B": "noisy gradients", "C": "lr too large",
         "D": "lr too small"}
# other ways to write a cause, after lower-casing and collapsing spaces
ALIASES = {"ε too large": "lr too large", "eps too large": "lr too large",
           "epsilon too large": "lr too large", "learning rate too large": "lr too large",
           "ε too small": "lr too small", "eps too small": "lr too small",
           "epsilon too small": "lr too small", "learning rate too small": "lr too small",
           "α too large": "alpha too large", "momentum too large": "alpha too large",
           "noise": "noisy gradients", "noisy gradient": "noisy gradients",
           "gradient noise": "noisy gradients"}
# what a cause would look like (said when a learner names it for a run it does not fit)
LOOKS = {
    "lr too large": "a rate past the stability limit makes the loss grow without bound",
    "lr too small": "a rate that is too small makes the loss fall smoothly and slowly, "
                    "never going up",
    "alpha too large": "too much momentum makes the loss swing up and down for a long time "
                       "while its peaks shrink slowly",
    "noisy gradients": "noisy gradients make the loss drop at first, then jitter around a "
                       "level it no longer leaves",
}
# the feature of each run's curve to look at, and where the notebook explains it
FEATURE = {
    "A": "run A's loss goes up and down regularly, and its peaks shrink by only about 1 % "
         "per step: what sets how fast a heavy ball's swing dies out (section 4, |z| = √α)?",
    "B": "run B's loss stops falling after about 30 steps and jitters around a few tenths "
         "for the rest of the run: what sets a level like that (section 7)?",
    "C": "run C's loss grows by a factor of 10¹² and the run is stopped: some direction is "
         "unstable; what decides stability (section 4: ελ < 2(1 + α))?",
    "D": "run D's loss never goes up and falls at the same slow pace to the end, like "
         "gradient descent with a tiny rate: what sets that pace (eq. 8.17, ε/(1 − α))?",
}


def _runs():
    """The lesson's ``diagnose`` module, imported when a run is needed: it draws, and checks
    must import without plotting (tests/test_layout.py)."""
    return importlib.import_module(__package__.rsplit(".", 1)[0] + ".diagnose")


def normalize(value) -> str | None:
    """A cause as written by a learner → one of ``CAUSES``, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.lower().replace("_", " ").split())
    text = ALIASES.get(text, text)
    return text if text in CAUSES else None


def read_answer(answer):
    """({letter: cause}, None) for a usable answer, else (None, the CheckResult to show)."""
    letters = list(LETTERS)
    example = "{" + ", ".join(f"{k!r}: ..." for k in letters) + "}"
    if answer is None or answer is Ellipsis:
        return None, not_done(f"{ANSWER}: not done yet. Set {ANSWER} = {example} with one "
                              f"of {list(CAUSES)} for each run.")
    if not isinstance(answer, Mapping):
        return None, error(f"{ANSWER} should be a dict like {example}, got {describe(answer)}.")
    keys = {str(k).strip().upper(): v for k, v in answer.items()}
    missing = [k for k in letters if k not in keys]
    extra = [k for k in keys if k not in letters]
    if missing or extra:
        parts = ([f"missing runs {missing}"] if missing else []) + (
            [f"unknown runs {extra}"] if extra else [])
        return None, error(f"{ANSWER} should have the keys {letters}: {'; '.join(parts)}.")
    causes = {}
    for letter in letters:
        cause = normalize(keys[letter])
        if cause is None:
            return None, error(f"{ANSWER}[{letter!r}] = {describe(keys[letter])} is not one of "
                               f"the causes {list(CAUSES)}.")
        causes[letter] = cause
    return causes, None


@never_raises
def check_diagnosis(diagnosis):
    """Compare the diagnosed causes with the ones the runs were built with."""
    causes, problem = read_answer(diagnosis)
    if problem is not None:
        return problem
    wrong = [letter for letter in TRUTH if causes[letter] != TRUTH[letter]]
    if not wrong:
        return passed(f"{ANSWER}: all four runs diagnosed. "
                      + " ".join(f"{k}: {v}." for k, v in TRUTH.items()))
    lines = [f"{ANSWER}: {len(TRUTH) - len(wrong)} of {len(TRUTH)} runs right; look again at "
             f"{', '.join(wrong)}."]
    for letter in wrong:
        lines.append(f"  run {letter}: you said {causes[letter]!r}, but {LOOKS[causes[letter]]}."
                     f" Look again: {FEATURE[letter]}")
    return failed("\n".join(lines), wrong=wrong)


def cause_by_running(letter: str, rng: np.random.Generator) -> str | None:
    """The cause of run ``letter`` found by experiment: from a nearby start, with fresh noise,
    the one cure among ``REPAIRS`` that makes the run converge (None if not exactly one)."""
    diagnose = _runs()
    settings = diagnose.RUNS[letter]
    theta0, seed = diagnose.nearby_start(rng), int(rng.integers(2 ** 31))
    works = [cause for cause, (_, repair) in diagnose.REPAIRS.items()
             if diagnose.cured(diagnose.run_broken(repair(settings), theta0, seed))]
    return works[0] if len(works) == 1 else None


@hidden_check
@never_raises
def check_diagnosis_by_running(diagnosis, seed: int | None = None):
    """Hidden test: every run's cause re-derived by trying each cure on a nearby run."""
    seed = current_seed() if seed is None else int(seed)
    what = "each run's cause found by trying the cures on a nearby run"
    causes, problem = read_answer(diagnosis)
    if problem is not None:
        return hidden_result(problem, what, seed)
    rng = np.random.default_rng(seed)
    found = {letter: cause_by_running(letter, rng) for letter in LETTERS}
    wrong = [k for k in found if causes[k] != found[k]]
    if not wrong:
        return hidden_result(passed(f"{ANSWER}: every cure you named makes its run converge."),
                             what, seed)
    lines = [f"{ANSWER}: the cure of the cause you named does not repair run(s) "
             f"{', '.join(wrong)}:"]
    for k in wrong:
        name, _ = _runs().REPAIRS[causes[k]]
        lines.append(f"  run {k}: with {name} (the cure of {causes[k]!r}) it still does not "
                     "converge.")
    return hidden_result(failed("\n".join(lines), wrong=wrong), what, seed)
