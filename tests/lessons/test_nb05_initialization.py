"""Notebook 05: every number its text states, against the theory where there is one."""

import numpy as np
import pytest

from course_lib.lessons.nb05_initialization import (
    biases,
    init_explorer,
    orthogonal_depth,
    schemes,
    sparse_init,
    spread,
    symmetry,
)
from course_lib.lessons.nb05_initialization.task import digits_task


@pytest.fixture(scope="module")
def spread_runs():
    return spread.compute_spread()


def run(spread_runs, activation, word):
    (label,) = [lab for (act, lab) in spread_runs["runs"] if act == activation and word in lab]
    return spread_runs["runs"][(activation, label)]


def test_digits_are_standardized():
    task = digits_task()
    X = task["X_train"]
    varying = X.std(axis=0) > 0
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0)[varying], 1.0, rtol=1e-12)


@pytest.mark.parametrize("activation, word, theory, rel", [
    ("tanh", "0.5", 0.5, 0.02),                       # linear regime: factor s
    ("relu", "0.5", 0.5 / np.sqrt(2), 0.08),          # s/√2 behind a ReLU
    ("relu", "Glorot", 1 / np.sqrt(2), 0.05),         # m = n: variance 1/m, s = 1
    ("relu", "He", 1.0, 0.08),
    ("relu", "s = 2", np.sqrt(2), 0.08),
])
def test_per_layer_factor_matches_the_theory(spread_runs, activation, word, theory, rel):
    r = run(spread_runs, activation, word)
    assert r["theory"] == pytest.approx(theory, rel=1e-12)
    assert r["factor"] == pytest.approx(theory, rel=rel)
    if activation == "relu":        # finite width: a little below, never above (2–7 %)
        assert 0.92 * theory <= r["factor"] <= 0.99 * theory


def test_the_spread_numbers_the_text_quotes(spread_runs):
    small_t, small_r = run(spread_runs, "tanh", "0.5"), run(spread_runs, "relu", "0.5")
    assert small_t["factor"] == pytest.approx(0.505, abs=0.0005)
    assert small_r["factor"] == pytest.approx(0.330, abs=0.0005)
    assert 2e-5 < small_t["z_std"][-1] < 4e-5 and 5e-8 < small_r["z_std"][-1] < 1.5e-7
    assert 3e-6 < small_t["grad_std"][0] < 5e-6
    assert small_t["grad_std"][-1] / small_t["grad_std"][0] > 1e4      # four orders
    big_t, big_r = run(spread_runs, "tanh", "s = 2"), run(spread_runs, "relu", "s = 2")
    assert big_t["stuck"][-1] == pytest.approx(0.15, abs=0.005)        # 15 % saturated
    assert big_t["grad_std"][0] == pytest.approx(1.2, abs=0.05)
    assert big_t["grad_std"][-1] == pytest.approx(0.14, abs=0.01)
    assert big_r["factor"] == pytest.approx(1.32, abs=0.005)
    assert big_r["z_std"][-1] == pytest.approx(95, abs=1)
    glorot_t, glorot_r = run(spread_runs, "tanh", "Glorot"), run(spread_runs, "relu", "Glorot")
    assert glorot_t["factor"] == pytest.approx(0.909, abs=0.0005)
    assert glorot_t["stuck"][-1] == 0
    assert glorot_r["factor"] == pytest.approx(0.689, abs=0.0005)
    assert 100 <= glorot_r["grad_std"][-1] / glorot_r["grad_std"][0] < 130   # "a hundred times"
    he_r = run(spread_runs, "relu", "He")
    assert he_r["factor"] == pytest.approx(0.932, abs=0.0005)
    assert he_r["grad_std"][0] == pytest.approx(0.099, abs=0.0005)
    assert he_r["grad_std"][-1] == pytest.approx(0.119, abs=0.0005)
    report = spread.report_spread(spread_runs)
    assert "0.505   0.500" in report and "1.318   1.414" in report


def test_the_histograms_are_shares():
    r = spread.layer_statistics(5, "tanh", "glorot", 1.0, 0)
    np.testing.assert_allclose(r["hist"].sum(axis=1), 1.0)


@pytest.fixture(scope="module")
def depth_runs():
    return orthogonal_depth.compute_depth_speed()


def test_orthogonal_training_time_does_not_grow_with_depth(depth_runs):
    o, g = depth_runs["runs"]["orthogonal"], depth_runs["runs"]["gaussian"]
    assert depth_runs["depths"] == (2, 5, 10, 20, 30)
    assert np.all((o["median"] >= 10) & (o["median"] <= 14))             # Saxe et al.
    assert o["median"].max() - o["median"].min() <= 4
    assert list(g["median"][:4]) == [10, 21, 41, 140]
    assert np.isnan(g["median"][4])                                       # > 1000 steps
    assert np.all(np.diff(g["median"][:4]) > 0)                           # grows with depth
    np.testing.assert_allclose(o["spread"], 1.0, rtol=1e-9)               # norms kept
    assert 1e4 < g["spread"][1] < 3e4 and g["spread"][3] > 1e16


def test_the_deep_linear_loop_is_the_mlps_gradient():
    from course_lib.gradcheck import check_grad
    from course_lib.objectives import MLP

    X, Y = orthogonal_depth.linear_task()
    net = MLP(X, Y, hidden=(16, 16), activation="linear")
    theta = orthogonal_depth.init_mlp(net, "gaussian", rng=3)
    grads = net.unpack(net.grad(theta))
    np.testing.assert_allclose(np.concatenate([b for _, b in grads]), 0.0, atol=1e-12)  # centred
    assert check_grad(net, theta).ok
    Ws = [W for W, _ in net.unpack(theta)]
    loss, by_hand = orthogonal_depth.loss_and_grads(Ws, X, Y)
    assert loss == pytest.approx(net.loss(theta), rel=1e-12)
    for g, (expected, _) in zip(by_hand, grads, strict=True):
        np.testing.assert_allclose(g, expected, rtol=1e-10, atol=1e-14)
    assert orthogonal_depth.steps_to_learn(3, "gaussian", 3, max_steps=0) is None


def test_sparse_keeps_the_input_scale():
    r = sparse_init.compute_sparse()
    for m, row in r["rows"].items():
        assert row["nonzero"] == [15]
        assert row["sparse_std"] == pytest.approx(np.sqrt(15), rel=0.06)
        assert row["dense_std"] == pytest.approx(np.sqrt(m), rel=0.05)
        assert 0.79 < row["sparse_weight"] < 0.85          # E|N(0, 1)| = 0.798
    stds = [row["sparse_std"] for row in r["rows"].values()]
    assert min(stds) >= 3.85 and max(stds) <= 4.08
    assert r["rows"][16]["glorot_weight"] == pytest.approx(0.18, abs=0.005)
    assert r["rows"][1024]["glorot_weight"] == pytest.approx(0.037, abs=0.001)
    assert r["rows"][16]["dense_std"] == pytest.approx(4.2, abs=0.05)
    assert r["rows"][1024]["dense_std"] == pytest.approx(31.8, abs=0.1)


def test_identical_units_stay_identical():
    r = symmetry.compute_symmetry()
    zeros, const, rand = (r["runs"][s] for s in symmetry.STARTS)
    assert zeros["spreads"].max() == 0.0 and const["spreads"].max() == 0.0      # exactly
    assert zeros["rank"] == 0 and const["rank"] == 1 and rand["rank"] == 16
    assert zeros["losses"][-1] == pytest.approx(2.3025, abs=5e-5)
    entropy = -np.sum((f := np.bincount(digits_task()["y_train"]) / 1078) * np.log(f))
    assert zeros["losses"][-1] == pytest.approx(entropy, abs=1e-3)   # only the output bias
    assert zeros["train_accuracy"] == pytest.approx(0.10, abs=0.005)
    assert const["train_accuracy"] == pytest.approx(0.39, abs=0.005)
    assert rand["train_accuracy"] >= 0.999
    assert rand["val_accuracy"] == pytest.approx(0.93, abs=0.005)
    assert rand["spreads"][-1] > 1.0


def test_bias_numbers():
    r = biases.compute_biases()
    assert r["entropy"] == pytest.approx(0.3234, abs=5e-5)
    none, marginal = r["runs"]["output bias 0"], r["runs"]["output bias log(p/(1 − p))"]
    assert none[0] == pytest.approx(0.894, abs=0.001)
    assert marginal[0] == pytest.approx(0.457, abs=0.001)
    assert r["entropy"] < marginal[0] < none[0]
    for k in (1, 2):                                     # still about half after 10, 20 steps
        assert 0.45 < marginal[k] / none[k] < 0.65
    assert 0.07 <= min(none[-1], marginal[-1]) and max(none[-1], marginal[-1]) <= 0.08
    assert r["relu"]["zero"][0] == pytest.approx(0.51, abs=0.005)
    assert r["relu"]["relu"][0] == pytest.approx(0.54, abs=0.005)
    assert all(b > z for b, z in zip(r["relu"]["relu"], r["relu"]["zero"], strict=True))
    kept0, kept1 = r["forget"][0.0], r["forget"][1.0]
    assert kept0[2] == pytest.approx(0.5 ** 20) and kept1[2] == pytest.approx(0.0019, abs=5e-5)
    assert kept1[2] / kept0[2] == pytest.approx(2000, rel=0.01)


def test_training_from_each_scheme():
    r = schemes.compute_schemes()
    runs = r["runs"]
    good = [label for label in runs if "Gaussian" not in label]
    finals = [runs[label]["final"].mean() for label in good]
    assert 0.0195 <= min(finals) and max(finals) <= 0.0385
    assert max(finals) / min(finals) < 2.0                        # within a factor of two
    accuracies = [runs[label]["val_accuracy"].mean() for label in good]
    assert 0.935 <= min(accuracies) and max(accuracies) <= 0.955
    k50 = list(r["checkpoints"]).index(50)
    early = {label: runs[label]["curves"][:, k50].mean() for label in good}
    assert min(early, key=early.get).startswith("He")
    small, big = runs["Gaussian, s = 0.3 (too small)"], runs["Gaussian, s = 3 (too large)"]
    np.testing.assert_allclose(small["curves"], np.log(10), atol=1e-3)
    assert big["curves"][:, 0].mean() == pytest.approx(4.6, abs=0.05)
    assert big["final"].mean() > 8 * max(finals)
    assert big["val_accuracy"].mean() == pytest.approx(0.77, abs=0.005)


def test_explorer_answers_its_controls():
    import matplotlib

    matplotlib.use("Agg")
    explorer = init_explorer.init_explorer()
    assert "ratio first/last = 0.153" in explorer.summary_text
    explorer.set(activation="relu", scheme="he", scale=1.0)
    assert "relu, he" in explorer.summary_text
    explorer.set(depth=3)
    assert explorer.result["z_std"].shape == (3,)
    assert explorer.error is None


def test_a_new_depth_or_non_linearity_keeps_the_axes_and_draws_what_new_axes_would():
    import matplotlib

    matplotlib.use("Agg")
    explorer = init_explorer.init_explorer()
    axes = list(explorer.figure.axes)
    for change in ({"depth": 7}, {"activation": "relu"}, {"depth": 30, "activation": "linear"}):
        explorer.set(**change)
        assert explorer.figure.axes == axes        # moved, not rebuilt (ticks are kept)
        depth, bins = explorer.result["depth"], explorer.result["bins"]
        assert axes[0].get_ylim() == axes[1].get_xlim() == (0.5, depth + 0.5)
        assert axes[0].get_xlim() == (bins[0], bins[-1])
        moved = np.array(explorer.figure.canvas.buffer_rgba())
        explorer.figure.clear()                    # new axes, in the same places
        explorer.refresh()
        assert np.array_equal(moved, np.asarray(explorer.figure.canvas.buffer_rgba()))
        axes = list(explorer.figure.axes)


def test_two_layers_have_no_per_layer_factor_and_say_so_without_a_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = init_explorer.compute_layers(depth=2)
    assert np.isnan(r["factor"])
    assert "(a factor per layer needs 3 layers or more)" in init_explorer.summary_layers(r)
    assert "(factor " in init_explorer.summary_layers(init_explorer.compute_layers(depth=3))
