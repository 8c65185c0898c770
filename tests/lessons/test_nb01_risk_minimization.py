"""Notebook 01 (section 8.1): every number the notebook prints or its prose states, asserted.

Each demonstration is computed once per module; each test checks one claim against the
theory (the gap law, σ/√m, unbiasedness) and against the printed text.
"""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.lessons.nb01_risk_minimization import (  # noqa: E402
    fresh_data,
    gradient_noise,
    ordering,
    risk_explorer,
    risk_gap,
    stopping,
    surrogates,
)
from course_lib.lessons.nb01_risk_minimization.risk_curves import (  # noqa: E402
    compute_risk_curves,
)
from course_lib.strategies.early_stopping import stopping_point  # noqa: E402


@pytest.fixture(scope="module")
def gap():
    return risk_gap.compute_risk_gap()


@pytest.fixture(scope="module")
def separable():
    return surrogates.compute_separable(m=40, seed=0, steps=3000)


@pytest.fixture(scope="module")
def digit_runs():
    return surrogates.compute_digits(pair=(3, 8), steps=4000)


@pytest.fixture(scope="module")
def scan():
    return surrogates.compute_pair_scan(steps=2000)


@pytest.fixture(scope="module")
def early():
    return stopping.compute_early_stopping(patience=10, seed=0)


@pytest.fixture(scope="module")
def errors():
    return gradient_noise.compute_standard_errors(sizes=(1, 10, 100, 1000))


@pytest.fixture(scope="module")
def redundancy():
    return gradient_noise.compute_redundancy(copies=(1, 10, 100))


@pytest.fixture(scope="module")
def orders():
    return ordering.compute_ordering(batch_size=20, epochs=5)


@pytest.fixture(scope="module")
def fresh():
    return fresh_data.compute_fresh_data()


# --- §1 empirical against true risk --------------------------------------------------------------
def test_overfit_example():
    r = risk_gap.compute_overfit_example(m=20, degree=15)
    assert r["train"] == pytest.approx(0.0099, abs=5e-5) and r["train"] < r["bayes"]
    assert r["true"] == pytest.approx(195.7, abs=0.05)
    assert r["true"] / r["bayes"] > 4000                          # "more than four thousand"
    text = risk_gap.report_overfit_example(r)
    assert "training risk J = 0.0099, true risk J* = 195.7 (Bayes risk 0.0450)" in text


def test_risks_close_in_from_both_sides(gap):
    for row in gap["rows"]:
        assert np.all(np.diff(row["train"]) > -2e-3)              # J rises with m (medians)
        assert np.all(np.diff(row["true"]) < 0)                   # J* falls
        assert np.all(row["train"][-3:] < row["best"] + 1e-3)
        assert np.all(row["true"] > row["best"])
    degree3 = gap["rows"][0]
    assert degree3["best"] == pytest.approx(0.2229, abs=5e-5)     # "meet at 0.223"
    assert degree3["true"][-1] == pytest.approx(0.223, abs=5e-4)
    for row in gap["rows"][1:]:
        assert row["best"] == pytest.approx(gap["bayes"], abs=1e-4)


def test_gap_follows_the_law(gap):
    keep = gap["sizes"] >= risk_gap.LAW_FROM
    ratios = np.concatenate([row["ratio"][keep] for row in gap["rows"]])
    assert ratios.min() == pytest.approx(0.88, abs=0.005)          # "between 0.88 and 1.33"
    assert ratios.max() == pytest.approx(1.33, abs=0.005)
    for row in gap["rows"][1:]:                                   # "within 3 % of 1 from m = 500"
        np.testing.assert_allclose(row["ratio"][gap["sizes"] >= 500], 1.0, atol=0.03)
    # the law itself: the gap halves when m doubles (slope −1 on the log-log plot)
    row = gap["rows"][1]
    slope = np.polyfit(np.log(gap["sizes"][keep]), np.log(row["gap"][keep]), 1)[0]
    assert slope == pytest.approx(-1.0, abs=0.1)


def test_risk_gap_report(gap):
    text = risk_gap.report_risk_gap(gap)
    assert "    20     0.1680      0.2805     0.0205      0.4377     0.0072    3.39e+04" in text
    assert "d =  9 (p = 10, J*best = 0.0450): 1.07 0.98 1.00 0.97" in text
    assert "d = 15 (p = 16, J*best = 0.0450): 1.33 1.01 0.99 0.99" in text


# --- §2 surrogate losses ----------------------------------------------------------------------
def test_margin_loss_table():
    r = surrogates.compute_margin_losses()
    text = surrogates.report_margin_losses(r)
    assert "logistic (NLL) L   1.313   0.693   0.474   0.313   0.127   0.018" in text
    assert "       squared L   4.000   1.000   0.250   0.000   1.000   9.000" in text
    assert "-0.000" not in text
    assert r["slopes"]["logistic"][-1] == pytest.approx(-1 / (1 + np.exp(4.0)))   # −0.018
    assert not np.any(r["slopes"]["hinge"][3:]) and not np.any(r["slopes"]["zero_one"])


def test_logistic_keeps_improving_after_the_training_error_is_zero(separable):
    log, hinge = separable["runs"]["logistic"], separable["runs"]["hinge"]
    assert log["k0"] == 10 and np.all(log["train_error"][10:] == 0)
    assert log["at_k0"] == pytest.approx(0.0202, abs=5e-5)          # "2.0 %"
    assert log["end"] == pytest.approx(3.64e-4, rel=5e-3)
    assert log["at_k0"] / log["end"] == pytest.approx(55, abs=1)    # "55 times lower"
    assert log["min_margin"][-1] == pytest.approx(3.60, abs=0.005)
    assert log["norm"][-1] == pytest.approx(14.6, abs=0.05)
    assert log["frozen"] is None and np.all(np.diff(log["min_margin"][log["k0"] + 5:]) > 0)
    assert hinge["frozen"] == 144 and hinge["end"] == pytest.approx(8.88e-4, rel=5e-3)
    frozen = hinge["theta"][hinge["frozen"]:]
    assert np.all(frozen == frozen[0])
    assert not separable["zero_one_moved"]
    assert separable["bayes"] < log["end"]


def test_separable_report(separable):
    text = surrogates.report_separable(separable)
    assert " logistic    1   10        2.02e-02    3.64e-04        3.60  14.60  never" in text
    assert ("    hinge  0.3   13        1.50e-02    8.88e-04        1.00   3.49  "
            "from step 144") in text


def test_digits_3_against_8(digit_runs):
    log, hinge = digit_runs["runs"]["logistic"], digit_runs["runs"]["hinge"]
    assert (digit_runs["m"], digit_runs["n_test"]) == (107, 250)
    assert (log["k0"], log["at_k0"], log["end"]) == (34, 8, 3)
    assert np.all(log["train_error"][34:] == 0)
    assert (hinge["frozen"], hinge["end"]) == (150, 5)


def test_the_scan_over_all_pairs(scan):
    assert scan["separated"] == 45
    assert (scan["at_k0"].sum(), scan["end"].sum()) == (114, 59)
    assert (scan["fell"], scan["same"], scan["rose"]) == (23, 18, 4)
    assert "rose on 4 (1-4, 3-4, 4-6, 5-7)" in surrogates.report_pair_scan(scan)


def test_the_batched_scan_is_the_library_run_for_one_pair(scan, digit_runs):
    """The scan's batched loop is gradient descent as course_lib runs it (pair 3-8)."""
    i = scan["pairs"].index((3, 8))
    run = surrogates.compute_digits(pair=(3, 8), steps=2000)["runs"]["logistic"]
    assert scan["k0"][i] == run["k0"] == 34
    assert scan["at_k0"][i] == run["at_k0"] and scan["end"][i] == run["errors"][-1]


# --- §3 early stopping ------------------------------------------------------------------------
def test_early_stopping_numbers(early):
    assert (early["full_best_epoch"], early["best_epoch"], early["stop_epoch"]) == (22, 22, 32)
    assert early["stop_reason"] == "patience"
    assert early["best_val"] == early["full_best"] == pytest.approx(0.1011, abs=5e-5)
    assert early["final_val"] == pytest.approx(0.1354, abs=5e-5)
    assert early["train_at_best"] == pytest.approx(0.0678, abs=5e-5)
    assert early["train_at_stop"] == pytest.approx(0.0361, abs=5e-5)       # "almost halved"
    assert 1.8 < early["train_at_best"] / early["train_at_stop"] < 2.0
    assert early["final_train"] == pytest.approx(0.00509, abs=5e-6)
    assert early["grad_at_best"] / early["grad_at_end"] == pytest.approx(21, abs=0.5)
    # the full curve and the rule agree
    assert stopping_point(early["val"], 10) == (21, 31)


def test_early_stopping_report(early):
    text = stopping.report_early_stopping(early)
    assert "lowest at epoch 22 (0.1011) and ends at 0.1354" in text
    assert "best epoch 22 (validation 0.1011), halted after epoch 32" in text
    assert "0.318 at the returned θ*, 0.0153 at the end" in text


# --- §4 minibatches ---------------------------------------------------------------------------
def test_standard_error_is_sigma_over_root_m(errors):
    np.testing.assert_allclose(errors["measured"] / errors["theory"], 1.0, atol=0.02)
    assert errors["sigma"] == pytest.approx(2.150, abs=5e-4)
    # at θ = 0, ∇J* = −c: ‖c‖² = E[f*²] − (the part degree 9 cannot represent) = ½ − 2·bias
    bias = gradient_noise.TASK.approximation_error(9)
    assert errors["grad_norm"] == pytest.approx(np.sqrt(0.5 - 2 * bias), abs=1e-12)
    ratio = errors["measured"][1] / errors["measured"][3]
    assert ratio == pytest.approx(9.70, abs=0.005)                        # theory: 10
    assert errors["measured"][0] / errors["grad_norm"] == pytest.approx(3.0, abs=0.05)
    assert "error 9.70 times smaller" in gradient_noise.report_standard_errors(errors)


def test_redundant_data(redundancy):
    rows = redundancy["rows"]
    assert [r["gd_steps"] for r in rows] == [27, 27, 27]
    assert [r["gd_examples"] for r in rows] == [5778, 57780, 577800]
    assert [r["sgd_steps"] for r in rows] == [23, 24, 32]
    assert all(r["grad_gap"] < 1e-12 for r in rows)
    for r in rows:
        assert r["se"] == pytest.approx(r["se_theory"], rel=0.06)
    assert rows[2]["gd_examples"] / rows[2]["sgd_examples"] > 500        # "more than 500"


# --- §5 ordering ------------------------------------------------------------------------------
def test_ordered_batches(orders):
    e = orders["errors"]
    assert e["as given"] == pytest.approx(1.700, abs=5e-4)
    assert e["shuffled"] == pytest.approx(0.421, abs=5e-4)
    assert orders["theory"] == pytest.approx(0.420, abs=5e-4)
    assert e["as given"] / e["shuffled"] == pytest.approx(4.0, abs=0.1)
    stored = orders["runs"]["as given"]["epoch_error"]
    assert stored.min() == pytest.approx(0.17, abs=0.005) and stored.max() == pytest.approx(
        0.51, abs=0.005)
    for order in ("shuffle once", "shuffled"):
        err = orders["runs"][order]["epoch_error"]
        assert err.min() >= 0.005 and err.max() <= 0.055                # "1–5 %"
    assert np.all(orders["runs"]["as given"]["last_batch_labels"] == 1)  # it ends on 8s


# --- §6 fresh data ----------------------------------------------------------------------------
def test_first_pass_is_unbiased_later_passes_are_not(fresh):
    reused, new = fresh["reused"], fresh["fresh"]
    # epoch 1 is the same run in both modes, and unbiased
    assert reused["optimism"][0] == new["optimism"][0] == pytest.approx(-0.0004, abs=5e-5)
    assert abs(reused["optimism"][0]) < 2 * reused["optimism_se"][0]
    # from epoch 2 on the reused examples look better than they are, by ~0.011, > 10 SE
    later = reused["optimism"][1:]
    assert np.all(later < -10 * reused["optimism_se"][1:])
    assert reused["optimism"][1] == pytest.approx(-0.0105, abs=5e-5)
    assert reused["optimism"][2] == pytest.approx(-0.0113, abs=5e-5)
    # the fresh stream stays unbiased (within 3 standard errors at every epoch)
    assert np.all(np.abs(new["optimism"]) < 3 * new["optimism_se"])
    assert 2.0 < reused["bias_z"][1] < reused["bias_z"][2] < 3.5
    assert reused["train_end"] == pytest.approx(0.0386, abs=5e-5) and reused["train_end"] < 0.045
    assert reused["true_end"] == pytest.approx(0.0522, abs=5e-5)
    assert new["true_end"] == pytest.approx(0.0463, abs=5e-5)
    assert fresh["best"] == pytest.approx(0.0450, abs=5e-5)


# --- §7 the explorer ----------------------------------------------------------------------------
def test_explorer_claims():
    small, full = compute_risk_curves(40, 20, 1), compute_risk_curves(40, 20, "all")
    assert small["final_true"] < full["final_true"] / 2           # the budget acts like ES
    assert small["final_train"] > full["final_train"]
    one_pass = compute_risk_curves(1000, 15, 1)
    assert one_pass["epochs"] == 1.0 and one_pass["gap"] < 0.003
    few, many = compute_risk_curves(20, 15, "all"), compute_risk_curves(200, 15, "all")
    assert few["gap"] > 20 * many["gap"]


def test_explorer_default_view_and_summary():
    explorer = risk_explorer.risk_explorer()
    text = explorer.summary_text
    assert "m = 40, degree 20 (21 parameters), minibatch all (gradient descent)" in text
    assert "1000 updates = 1000 epochs" in text
    assert "training risk J = 0.0269, true risk J* = 0.1785" in text
    assert explorer.result["final_true"] == pytest.approx(np.median(explorer.result["each_true"]))
    explorer.set(m=100, degree=8, batch_size=64)
    assert "1000 updates = 500 epochs" in explorer.summary_text        # 64 + 36 per epoch
    assert explorer.result["final_true"] < 0.055
    assert risk_explorer.companion_figure() is not None
