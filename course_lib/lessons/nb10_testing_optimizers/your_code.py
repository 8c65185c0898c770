"""Notebook 10: your code in the suite. Your own optimizer (a step function from an earlier
exercise) as a row of the matrix, and your unit test (exercise 1) as a new column.

``compute_yours``: your optimizer's spec run beside the library's momentum on a few
prototypes, with whether every run agrees; ``compute_your_test``: the suite run on the
tilted well with your ``passes`` as its criterion (only once the check accepts it, so a
broken test never breaks the cell).
"""

from __future__ import annotations

import numpy as np

from ...prototypes import OptimizerSpec, Prototype, default_suite, run_suite
from .checks import check_passes
from .matrix import reduced_contenders

PROBLEMS = ("bowl", "abs", "gauss", "line", "rotated", "scale sweep")


def compute_yours(mine: OptimizerSpec, against: str = "momentum", problems=PROBLEMS,
                  seeds=(0, 1, 2)) -> dict:
    """``mine`` beside the library's ``against`` on ``problems``: passes and agreement."""
    if not isinstance(mine, OptimizerSpec):
        raise ValueError(f"mine must be an OptimizerSpec (prototypes.spec(...)), got {mine!r}")
    contenders = {mine.name: mine, **reduced_contenders((against,))}
    table = run_suite(contenders, default_suite(problems), seeds=seeds)
    a, b = table.where(optimizer=mine.name), table.where(optimizer=against)
    losses = [(x["final_loss"], y["final_loss"]) for x, y in zip(a, b, strict=True)]
    agree = all(np.isclose(x, y, rtol=1e-9, atol=1e-300) or x == y for x, y in losses)
    return {"table": table, "name": mine.name, "against": against, "agree": agree,
            "runs": len(a), "passed": table.passed_problems(mine.name),
            "reference_passed": table.passed_problems(against), "problems": list(problems)}


def report_yours(r: dict) -> str:
    lines = [f"{r['name']}: {r['runs']} runs; passes {len(r['passed'])} of "
             f"{len(r['problems'])} ({', '.join(r['passed'])})"]
    for p in r["problems"]:
        b = r["table"].best(r["name"], p)
        lines.append(f"  {p:<12} best {b['setting']:<12} {b['pass_share']:.0%} of the seeds")
    same = ("the same final loss as the library's" if r["agree"] else
            "NOT the same final losses as the library's")
    lines.append(f"every run gives {same} {r['against']} (ε, α and seeds alike)")
    return "\n".join(lines)


def compute_your_test(passes, seeds=(0, 1, 2, 3, 4)) -> dict:
    """The suite on the tilted well judged by your ``passes`` (if its check passes)."""
    verdict = check_passes(passes)
    if not verdict.passed:
        return {"ok": False, "message": verdict.message}
    mine = Prototype("tilted", name="tilted well", criterion=passes,
                     statement="your passes(theta, loss)")
    reference = Prototype("tilted", name="tilted well")
    table = run_suite(reduced_contenders(), {"yours": mine, "reference": reference},
                      seeds=seeds)
    rows = {o: table.best(o, "yours") for o in table.optimizers}
    agree = (table.where(problem="yours").column("passed")
             == table.where(problem="reference").column("passed"))
    return {"ok": True, "rows": rows, "agree": agree, "runs": len(table) // 2,
            "passed": [o for o, b in rows.items() if b["passes"]]}


def report_your_test(r: dict) -> str:
    if not r["ok"]:
        return "Fix your test first (see its check above):\n" + r["message"]
    lines = [f"the suite on the tilted well, judged by your passes(): {r['runs']} runs"]
    for o, b in r["rows"].items():
        mark = "passes" if b["passes"] else "fails"
        lines.append(f"  {o:<9} {mark:<7} best {b['setting']:<12} {b['pass_share']:.0%} of the "
                     "seeds")
    lines.append("your verdicts agree with the reference test on every run" if r["agree"] else
                 "your verdicts differ from the reference test on some runs")
    return "\n".join(lines)
