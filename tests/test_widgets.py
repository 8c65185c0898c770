"""The explorer kit, driven from Python, and the numbers of notebook 00's explorer."""

import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.lessons.nb00_start_here import gd_explorer  # noqa: E402
from course_lib.objectives import Quadratic  # noqa: E402
from course_lib.widgets import Explorer, dropdown, float_slider, int_slider  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    return gd_explorer.gd_explorer()


def test_setting_a_control_updates_result_summary_and_output():
    e = gd_explorer.gd_explorer()
    before = (e.result["thetas"].copy(), e.summary_text, e.output.outputs)
    assert "diverged" not in before[1]
    e.controls["lr"].value = 0.25
    assert e.result["lr"] == 0.25 and e.result["diverged"]
    assert e.result["thetas"].shape != before[0].shape or not np.allclose(e.result["thetas"],
                                                                           before[0])
    assert e.summary_text != before[1] and "diverged" in e.summary_text
    assert e.output.outputs != before[2]
    (output,) = e.output.outputs
    assert output["output_type"] == "display_data" and output["data"]["image/png"]
    assert "diverged" in e.summary_box.value


def test_set_triggers_exactly_one_recompute(explorer):
    calls = []
    compute = explorer.compute
    explorer.compute = lambda **kw: calls.append(kw) or compute(**kw)
    try:
        explorer.set(kappa=20)
        assert len(calls) == 1 and calls[0]["kappa"] == 20
        explorer.set(kappa=20)                   # unchanged: nothing to do
        assert len(calls) == 1
        explorer.set(lr=0.1, kappa=5)            # two changes, two updates
        assert len(calls) == 3
    finally:
        explorer.compute = compute
    assert explorer.settings() == {"lr": 0.1, "kappa": 5}
    with pytest.raises(ValueError, match="unknown control"):
        explorer.set(momentum=0.9)


def test_widget_repr_is_deterministic_and_timing_has_its_fields(explorer):
    assert repr(explorer.widget) == repr(gd_explorer.gd_explorer().widget)
    assert "0x" not in repr(explorer.widget) and "model_id" not in repr(explorer.widget)
    timing = explorer.time_update(repeats=2)
    assert set(timing) == {"compute_ms", "draw_ms", "total_ms", "worst_ms", "full_ms",
                           "full_cold_ms"}
    assert timing["worst_ms"] >= timing["total_ms"]


def test_blitted_update_matches_a_full_render(explorer):
    explorer.set(lr=0.19, kappa=10)
    assert explorer._draw_png(explorer.result) == explorer._draw_png(explorer.result, full=True)


def test_static_companion_figure_has_both_panels_labelled():
    fig = gd_explorer.companion_figure()
    left, right = fig.axes[:2]
    assert (left.get_xlabel(), left.get_ylabel()) == ("θ₁", "θ₂")
    assert (right.get_xlabel(), right.get_ylabel()) == ("step k", "J(θ) − J*")
    assert "ε = 0.150" in left.get_title() and "κ = 10" in left.get_title()
    fig.canvas.draw()


def test_a_failing_compute_shows_its_error_instead_of_raising():
    def compute(x):
        if x > 1:
            raise ValueError("x too large")
        return {"x": x}

    e = Explorer(compute, lambda r, fig: fig.add_subplot().plot([0, r["x"]]),
                 {"x": float_slider(0.5, 0, 2, 0.1, "x")}, title="t",
                 summary=lambda r: f"x = {r['x']}")
    assert e.summary_text == "x = 0.5" and e.controls["x"].readout_format == ".1f"
    e.controls["x"].value = 1.5
    assert "x too large" in e.error and e.output.outputs[0]["name"] == "stderr"
    assert int_slider(3, 1, 9, 1, "n").value == 3
    assert dropdown(["a", "b"], "b", "choice").value == "b"
    assert float_slider(0.01, 1e-4, 1.0, 0.1, "ε", log=True).value == pytest.approx(0.01)


@pytest.mark.parametrize("kappa", [2, 10, 50])
def test_best_constant_rate_is_measured_exactly(kappa):
    q = Quadratic.with_condition(kappa)
    r = gd_explorer.compute_gd(q.best_gd_lr, kappa)
    assert r["best_lr"] == pytest.approx(2 / (kappa + 1))
    assert r["rate"] == pytest.approx((kappa - 1) / (kappa + 1), abs=1e-6)
    assert r["best_rate"] == pytest.approx((kappa - 1) / (kappa + 1))
    assert not r["diverged"]


def test_rate_near_the_stability_limit_matches_the_theory():
    r = gd_explorer.compute_gd(0.19, 10)
    assert r["theory_rate"] == pytest.approx(0.9)            # max(|1 − 0.19|, |1 − 1.9|)
    assert r["rate"] == pytest.approx(r["theory_rate"], abs=1e-2)
    assert not r["diverged"] and r["distances"][-1] < 1e-2 * r["distances"][0]
    assert r["largest_stable_lr"] == pytest.approx(0.2)
    assert (r["lam_min"], r["lam_max"], r["kappa"]) == (1.0, 10.0, 10.0)


def test_above_the_limit_gradient_descent_diverges():
    r = gd_explorer.compute_gd(0.21, 10)
    assert r["diverged"] and r["rate"] > 1
    assert r["rate"] == pytest.approx(r["theory_rate"], abs=1e-2)   # 1.1
    r = gd_explorer.compute_gd(0.25, 10)
    assert r["stop_reason"] == "diverged" and np.all(np.isfinite(r["thetas"]))
    assert "diverged" in gd_explorer.summary_gd(r)


def test_importing_course_lib_loads_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, course_lib, course_lib.objectives, course_lib.optim; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') "
            "if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.strip() == "[]"
