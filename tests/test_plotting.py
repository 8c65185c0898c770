"""course_lib.plotting: labelled axes, the course palette, contours with and without loss_grid."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_lib import minimize, plotting  # noqa: E402
from course_lib.objectives import FunctionObjective, Quadratic  # noqa: E402
from course_lib.optim import SGD  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _axes():
    with plotting.style():
        return Figure().add_subplot()


def test_palette_is_okabe_ito_and_the_style_uses_it():
    assert plotting.PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]
    assert len(set(plotting.PALETTE)) == 8
    outside = matplotlib.rcParams["font.size"]
    with plotting.style():
        ax = Figure().add_subplot()
        lines = [ax.plot([0, 1], [i, i])[0] for i in range(3)]
        assert matplotlib.rcParams["font.size"] >= 13
        assert matplotlib.rcParams["lines.linewidth"] >= 2.2
    assert [to_hex(line.get_color()).upper() for line in lines] == plotting.PALETTE[:3]
    assert matplotlib.rcParams["font.size"] == outside      # style() restores on exit


def test_contour_of_a_quadratic_is_labelled_and_marks_the_minimum():
    q = Quadratic.with_condition(10, angle=np.pi / 6)
    ax = plotting.contour(q, ax=_axes())
    assert ax.get_xlabel() == "θ₁" and ax.get_ylabel() == "θ₂"
    stars = [line for line in ax.lines if line.get_label() == "minimum"]
    assert len(stars) == 1 and stars[0].get_marker() == "*"
    assert np.allclose(stars[0].get_xydata(), [[0.0, 0.0]])
    assert ax.get_xlim() == (-3.0, 3.0)


def test_contour_without_loss_grid_matches_the_loss_and_is_cached():
    f = FunctionObjective(lambda t: (t[0] - 1) ** 2 + 3 * t[1] ** 2,
                          lambda t: np.array([2 * (t[0] - 1), 6 * t[1]]), dim=2)
    assert not hasattr(f, "loss_grid")
    X, Y, Z = plotting.loss_grid(f, (-2, 2, -1, 1), n=15)
    assert Z.shape == (15, 15)
    assert Z[4, 7] == pytest.approx(f.loss([X[4, 7], Y[4, 7]]))
    assert plotting.loss_grid(f, (-2, 2, -1, 1), n=15)[2] is Z      # cached
    ax = plotting.contour(f, ax=_axes(), box=(-2, 2, -1, 1), n=15)
    assert not [line for line in ax.lines if line.get_label() == "minimum"]  # none known
    assert ax.get_xlabel() == "θ₁"


def test_contour_rejects_a_3d_objective():
    with pytest.raises(ValueError, match="2-D"):
        plotting.contour(Quadratic((1.0, 2.0, 3.0)), ax=_axes())


def test_learning_curve_log_scale_and_excess_loss():
    losses = np.array([4.0, 2.0, 1.0, 0.5, 0.0])
    ax = plotting.learning_curve(_axes(), losses, labels="run", min_value=0.0)
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step k" and ax.get_ylabel() == "J(θ) − J*"
    y = ax.lines[0].get_ydata()
    assert np.isnan(y[-1]) and y[0] == 4.0        # J − J* = 0 is left out on a log scale
    ax = plotting.learning_curve(_axes(), [losses + 1, losses + 2], log=False, min_value=1.0)
    assert ax.get_yscale() == "linear" and len(ax.lines) == 2
    assert ax.lines[0].get_ydata()[-1] == 0.0
    assert plotting.learning_curve(_axes(), losses).get_ylabel() == "J(θ)"


def test_path_and_curve_draws_paths_and_curves_with_labels():
    q = Quadratic.with_condition(5, angle=np.pi / 6)
    traces = {f"ε = {lr}": minimize(q, SGD(lr=lr), [-2.5, 2.0], 20) for lr in (0.1, 0.3)}
    fig = plotting.path_and_curve(q, traces, title="two rates")
    left, right = fig.axes[:2]
    assert left.get_xlabel() == "θ₁" and right.get_ylabel() == "J(θ) − J*"
    labels = [line.get_label() for line in left.lines]
    assert "ε = 0.1" in labels and "ε = 0.3" in labels and "minimum" in labels
    colors = [to_hex(line.get_color()).upper() for line in right.lines]
    assert colors == plotting.PALETTE[:2]
    assert right.get_legend() is not None and fig.get_suptitle() == "two rates"
    fig.canvas.draw()


def test_contour_of_an_unbounded_saddle_uses_the_lowest_value_in_the_box():
    from course_lib.objectives import Saddle

    ax = plotting.contour(Saddle())          # min_value = −∞ must not give NaN levels
    assert ax.get_xlabel() and ax.get_ylabel()


def test_decade_range_snaps_to_blocks_of_decades():
    assert plotting.decade_range([3e-5, 20.0]) == (1e-8, 1e4)
    assert plotting.decade_range([3e-5, 20.0], 6, 3) == (1e-6, 1e3)
    assert plotting.decade_range([np.nan]) == (1e-9, 1e3)
    assert plotting.decade_range([1e-200, 1.0], lowest=-30) == (1e-30, 1.0)


def test_static_figure_draws_the_result_on_a_new_course_style_figure():
    import matplotlib.pyplot as plt

    seen = []

    def draw(result, fig):
        seen.append((result, plt.rcParams["axes.prop_cycle"].by_key()["color"][:3]))
        fig.add_subplot().plot([0, 1], [result, result])

    fig = plotting.static_figure(draw, 2.5, (6.0, 3.0))
    try:
        assert seen == [(2.5, list(plotting.PALETTE[:3]))]     # drawn inside the course style
        assert tuple(fig.get_size_inches()) == (6.0, 3.0)
        assert len(fig.axes) == 1
    finally:
        plt.close(fig)
