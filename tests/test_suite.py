"""The suite's runner and table: one row per run, replayable, seed-stacking exact, counts,
progress only when asked, a learner's step function in one line, and known outcomes."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.optim import AdaGrad, Adam, Momentum, Nesterov
from course_lib.prototypes import (
    DEFAULT_SEEDS,
    LR_GRID,
    OptimizerSpec,
    ResultTable,
    SeedStack,
    default_contenders,
    from_step,
    prototype,
    run_one,
    run_suite,
    spec,
)
from course_lib.prototypes.suite import _run_stacked
from course_lib.run import minimize

SMALL = {name: prototype(name) for name in ("bowl", "bowl · additive", "drifting")}


def contenders(*names):
    c = default_contenders()
    return {n: c[n] for n in names}


@pytest.fixture(scope="module")
def table():
    return run_suite(contenders("SGD", "Adam", "SGD-HD", "vSGD"), SMALL, seeds=(0, 1, 2))


def test_one_row_per_optimizer_setting_problem_and_seed(table):
    grids = {"SGD": len(LR_GRID), "Adam": len(LR_GRID), "SGD-HD": len(LR_GRID), "vSGD": 1}
    assert len(table) == sum(grids.values()) * len(SMALL) * 3
    keys = {(r["optimizer"], r["setting"], r["problem"], r["seed"]) for r in table}
    assert len(keys) == len(table)
    assert table.optimizers == ["SGD", "Adam", "SGD-HD", "vSGD"]
    assert table.problems == list(SMALL)
    first = table[0]
    assert set(first) == {"optimizer", "setting", "setting_index", "lr", "hyper", "problem",
                          "seed", "final_loss", "excess", "passed", "diverged", "nfev",
                          "ngev", "nhev", "evaluations", "steps"}
    assert first["setting"] == "ε = 0.001" and first["hyper"] == {"lr": 0.001}


def test_the_same_seeds_give_the_same_table(table):
    again = run_suite(contenders("SGD", "Adam", "SGD-HD", "vSGD"), SMALL, seeds=(0, 1, 2))
    assert again.records == table.records
    other = run_suite(contenders("SGD"), {"b": prototype("bowl · additive")}, seeds=(5,))
    assert [r["final_loss"] for r in other] != [r["final_loss"] for r in
                                               table.where(optimizer="SGD",
                                                           problem="bowl · additive", seed=0)]


@pytest.mark.parametrize("name", ["bowl · sparse", "drifting", "coupled", "bowl · Cauchy",
                                  "scale sweep"])
def test_a_stacked_row_is_the_run_of_its_seed_alone(name):
    p = prototype(name)
    for optimizer in (Adam(lr=0.1), Nesterov(lr=0.01), AdaGrad(lr=0.5)):
        rows = _run_stacked(optimizer, p, (3, 7), 60)
        for row, seed in zip(rows, (3, 7), strict=True):
            alone = run_one(optimizer, p, seed, 60)
            assert np.array_equal(row["theta"], alone["theta"], equal_nan=True)
            assert row["passed"] == alone["passed"] and row["final_loss"] == alone["final_loss"]


def test_run_one_replays_minimize_on_a_noise_free_problem():
    p = prototype("rotated")
    row = run_one(Momentum(lr=0.01), p, seed=2, steps=50, record=True)
    trace = minimize(p, Momentum(lr=0.01), p.theta0(2), 50)
    assert np.allclose(row["thetas"], trace.thetas) and np.allclose(row["losses"], trace.losses)
    assert row["ngev"] == 50 and row["evaluations"] == 50


def test_seed_stack_blocks_and_counts(table):
    p = prototype("bowl · additive")
    stack = SeedStack(p, (0, 1))
    g = stack.grad(np.array([1.0, 2.0]))
    assert np.array_equal(g, [p.with_seed(0).grad([1.0])[0], p.with_seed(1).grad([2.0])[0]])
    assert stack.t == 1 and stack.hessian(np.zeros(2)).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    sgd = table.where(optimizer="SGD")
    assert set(sgd.column("ngev")) == {200, 400} and set(sgd.column("nhev")) == {0}
    vsgd = table.where(optimizer="vSGD", problem="bowl")     # exact diagonal Hessian per step
    assert set(vsgd.column("nhev")) == {200}


def test_nothing_prints_unless_progress_is_asked(capsys):
    run_suite(contenders("Adam"), {"bowl": prototype("bowl")}, seeds=(0,))
    assert capsys.readouterr() == ("", "")
    run_suite(contenders("Adam"), {"bowl": prototype("bowl")}, seeds=(0,), progress=True)
    assert "suite: 8/8 runs (100 %), done bowl" in capsys.readouterr().err
    seen = []
    run_suite(contenders("Adam"), SMALL, seeds=(0,), progress=lambda *a: seen.append(a))
    assert seen == [(8, 24, "bowl"), (16, 24, "bowl · additive"), (24, 24, "drifting")]


def momentum_step(theta, v, g, lr, alpha):
    v = alpha * v - lr * g
    return theta + v, v


def test_a_learners_step_function_joins_the_suite_in_one_line():
    mine = spec("my momentum", lambda lr: from_step(momentum_step, lr=lr, alpha=0.9, v=0.0))
    assert mine.grid == tuple({"lr": lr} for lr in LR_GRID) and not mine.separable
    both = run_suite({"mine": mine, **contenders("momentum")}, {"bowl": prototype("bowl")},
                     seeds=(0, 1))
    a, b = both.where(optimizer="mine"), both.where(optimizer="momentum")
    assert [r["final_loss"] for r in a] == pytest.approx([r["final_loss"] for r in b],
                                                         rel=1e-12, abs=1e-300)
    with pytest.raises(ValueError, match="needs a start"):
        from_step(momentum_step, lr=0.1, alpha=0.9)


def test_bad_arguments():
    with pytest.raises(ValueError, match="must be an OptimizerSpec"):
        run_suite({"x": Adam()}, SMALL)
    with pytest.raises(ValueError, match="seeds must hold"):
        run_suite(contenders("Adam"), SMALL, seeds=())
    with pytest.raises(ValueError, match="grid must hold"):
        spec("x", lambda lr: Adam(lr=lr), grid=())
    assert isinstance(default_contenders()["Adam"], OptimizerSpec)
    assert DEFAULT_SEEDS == (0, 1, 2, 3, 4)


def test_table_summaries(table):
    best = table.best("SGD", "bowl")
    assert best["passes"] and best["pass_share"] == 1.0
    assert 0 < table.robustness("SGD", "bowl") < 1
    assert table.robustness("vSGD", "bowl") in (0.0, 1.0)           # one setting only
    sub = table.where(optimizer="Adam", seed=lambda s: s < 2)
    assert len(sub) == len(LR_GRID) * len(SMALL) * 2 and isinstance(sub, ResultTable)
    text = table.to_text(limit=3)
    assert text.splitlines()[0].split() == ["optimizer", "setting", "problem", "seed",
                                            "final_loss", "passed", "diverged", "evaluations"]
    assert "more rows" in text
    grid = table.matrix_text()
    assert grid.splitlines()[-1] == "  3. drifting" and "✔" in grid
    assert set(table.matrix()) == {(o, p) for o in table.optimizers for p in table.problems}


# --- known outcomes ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def outcomes():
    names = ("scale sweep", "line", "rotated", "abs", "gauss")
    return run_suite(contenders("SGD", "momentum", "AdaGrad", "Adam"),
                     {n: prototype(n) for n in names})


def test_sgd_at_any_fixed_rate_fails_the_scale_sweep_that_adam_passes(outcomes):
    sgd = outcomes.where(optimizer="SGD", problem="scale sweep")
    assert not any(sgd.column("passed"))                   # no rate of the grid passes
    assert outcomes.best("Adam", "scale sweep")["passes"]


def test_outcomes_the_notebook_explains(outcomes):
    # AdaGrad's rates fall like 1/√t: it cannot travel 100 along the line in 100 steps
    assert not any(outcomes.where(optimizer="AdaGrad", problem="line").column("passed"))
    assert outcomes.best("SGD", "line")["passes"]
    # the rotated canyon (κ = 100): 200 steps of gradient descent are too few, momentum's are not
    assert not outcomes.best("SGD", "rotated")["passes"]
    assert outcomes.best("momentum", "rotated")["passes"]
    # the kink: a constant rate cannot both arrive and settle within 0.01
    assert not outcomes.best("SGD", "abs")["passes"] and outcomes.best("AdaGrad", "abs")["passes"]
    # the plateau: gradient-sized steps never leave it, normalized steps cross it
    assert not outcomes.best("SGD", "gauss")["passes"] and outcomes.best("Adam", "gauss")["passes"]
