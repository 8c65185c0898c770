"""Notebook 08: every number its text states, against the theory where there is one."""

import math

import numpy as np
import pytest

from course_lib.lessons.nb08_meta_algorithms import (
    averaging_explorer,
    bn_inference,
    bn_training,
    chain,
    coordinate,
    polyak,
    pretrain,
    skip,
)


def test_chain_matches_the_closed_form():
    r = chain.compute_chain()
    for row in r["rows"]:
        l, delta = row["depth"], row["delta"]
        assert row["first_order"] == pytest.approx(-delta)
        assert row["actual"] == pytest.approx((1 - delta / l) ** l - 1, rel=1e-12, abs=1e-14)
        assert row["second_order"] == pytest.approx(math.comb(l, 2) * (delta / l) ** 2)
        if l == 1:
            assert row["actual"] == pytest.approx(-delta)
    ten = {row["delta"]: row for row in r["rows"] if row["depth"] == 10}
    assert 1 + ten[1.0]["actual"] == pytest.approx(0.349, abs=5e-4)
    assert ten[1.0]["actual"] == pytest.approx(-0.651, abs=5e-4)
    assert ten[-1.0]["actual"] == pytest.approx(1.594, abs=5e-4)
    assert ten[1.0]["second_order"] == pytest.approx(0.45)
    assert r["limit"][1.0] == pytest.approx(math.exp(-1) - 1)
    assert r["limit"][-1.0] == pytest.approx(math.e - 1)


@pytest.fixture(scope="module")
def bn_runs():
    return bn_training.compute_bn_training()


def test_batch_norm_training(bn_runs):
    runs = bn_runs["runs"]
    for factor in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(runs[(factor, True)]["spread"], 1.0, rtol=1e-3)  # γ = 1
    plain_half, bn_half = runs[(0.5, False)], runs[(0.5, True)]
    assert 5e-4 < plain_half["spread"].mean() < 8e-4
    np.testing.assert_allclose(plain_half["final"], 2.302, atol=1e-3)
    assert bn_half["final"].min() == pytest.approx(0.135, abs=5e-4)
    assert bn_half["final"].max() == pytest.approx(0.192, abs=5e-4)
    plain, bn = runs[(1.0, False)], runs[(1.0, True)]
    assert bn["final"].mean() == pytest.approx(0.129, abs=5e-4)
    assert plain["final"].mean() == pytest.approx(0.327, abs=5e-4)
    assert np.all(bn["final"] < plain["final"])                      # same seeds
    k40 = list(bn_runs["checkpoints"]).index(40)
    assert bn["curves"][:, k40].mean() == pytest.approx(0.66, abs=0.005)
    assert plain["curves"][:, k40].mean() == pytest.approx(1.19, abs=0.005)
    two_plain, two_bn = runs[(2.0, False)], runs[(2.0, True)]
    assert two_plain["final"].mean() == pytest.approx(0.234, abs=5e-4)
    assert two_bn["final"].mean() == pytest.approx(0.215, abs=5e-4)


def test_batch_norm_inference_modes(bn_runs):
    r = bn_inference.compute_bn_inference(bn_runs)
    assert r["running"] == pytest.approx(0.930, abs=5e-4)
    assert r["population"] == pytest.approx(0.930, abs=5e-4)
    assert r["train_batch"] == pytest.approx(0.919, abs=5e-4)
    assert r["distinct_one"] == 1                                      # one answer for all
    assert r["train_one"] == pytest.approx(0.100, abs=5e-4)
    assert r["never"] == pytest.approx(0.894, abs=5e-4)
    assert r["running"] - r["never"] == pytest.approx(0.036, abs=0.002)
    assert r["running_gap"] == pytest.approx(0.042, abs=5e-4)
    assert r["batch_effect"] == pytest.approx(0.899, abs=5e-4)


def test_coordinate_descent_good_and_bad_cases():
    r = coordinate.compute_coordinate()
    good = r["good"]
    assert good[("separable", "single coordinates")]["sweeps"] == 1
    assert good[("coupled pairs", "blocks = the pairs")]["sweeps"] == 1
    assert good[("coupled pairs", "single coordinates")]["sweeps"] == 695
    assert good[("coupled pairs", "single coordinates")]["gradients"] == 4170
    for row in r["bad"]:                       # stalls exactly as the closed form says
        assert row["reached"] and row["sweeps"] == row["predicted"]
    assert [row["sweeps"] for row in r["bad"]] == [11, 72, 683]


def test_pair_blocks_are_the_books_hard_case():
    q = coordinate.coupled_pairs(0.01)
    x = np.array([0.3, -0.7, 0, 0, 0, 0])
    f = 0.3 ** 2 + 0.7 ** 2
    assert q.loss(x) == pytest.approx((0.3 + 0.7) ** 2 + 0.01 * f)


def test_polyak_average_is_much_closer():
    r = polyak.compute_polyak()
    finals = r["finals"]
    assert np.all(finals["polyak"] < 0.2 * finals["iterate"])        # every seed
    assert finals["iterate"].mean() == pytest.approx(0.066, abs=5e-4)
    assert finals["polyak"].mean() == pytest.approx(0.0039, abs=5e-5)
    assert finals["ema"].mean() == pytest.approx(0.012, abs=5e-4)
    assert finals["iterate"].mean() / finals["polyak"].mean() == pytest.approx(17, abs=0.5)
    assert r["cloud"].mean() == pytest.approx(0.06, abs=0.002)
    assert np.all(finals["ema"] < finals["iterate"])


def test_network_moving_average_depends_on_the_noise():
    rows = polyak.compute_network_ema()["rows"]
    calm = [row for row in rows if row["lr"] == 0.1]
    noisy = [row for row in rows if row["lr"] == 0.3]
    assert all(row["train_ema"] > row["train_raw"] for row in calm)
    assert min(r["train_ema"] for r in calm) == pytest.approx(0.079, abs=5e-4)
    assert max(r["train_ema"] for r in calm) == pytest.approx(0.089, abs=5e-4)
    assert min(r["train_raw"] for r in calm) == pytest.approx(0.066, abs=5e-4)
    assert max(r["train_raw"] for r in calm) == pytest.approx(0.076, abs=5e-4)
    assert all(row["val_ema"] < row["val_raw"] for row in noisy)
    assert all(row["acc_ema"] > row["acc_raw"] for row in noisy)
    assert min(r["val_ema"] for r in noisy) == pytest.approx(0.135, abs=5e-4)
    assert max(r["val_ema"] for r in noisy) == pytest.approx(0.153, abs=5e-4)
    assert min(r["val_raw"] for r in noisy) == pytest.approx(0.157, abs=5e-4)
    assert max(r["val_raw"] for r in noisy) == pytest.approx(0.186, abs=5e-4)
    assert min(r["acc_ema"] for r in noisy) == pytest.approx(0.950, abs=5e-4)
    assert max(r["acc_ema"] for r in noisy) == pytest.approx(0.964, abs=5e-4)
    assert min(r["acc_raw"] for r in noisy) == pytest.approx(0.928, abs=5e-4)
    assert max(r["acc_raw"] for r in noisy) == pytest.approx(0.944, abs=5e-4)


def test_pretraining_against_scratch():
    r = pretrain.compute_pretraining()
    mean = {name: (np.mean([x["train"] for x in rows]), np.mean([x["val"] for x in rows]))
            for name, rows in r["runs"].items()}
    assert mean["from scratch"][0] == pytest.approx(0.009, abs=5e-4)
    assert mean["greedy"][0] == pytest.approx(0.237, abs=5e-4)
    assert mean["greedy + fine-tuning"][0] == pytest.approx(0.050, abs=5e-4)
    assert mean["from scratch"][1] == pytest.approx(0.946, abs=5e-4)
    assert mean["greedy"][1] == pytest.approx(0.908, abs=5e-4)
    assert mean["greedy + fine-tuning"][1] == pytest.approx(0.937, abs=5e-4)
    for scratch, tuned in zip(r["runs"]["from scratch"], r["runs"]["greedy + fine-tuning"],
                              strict=True):
        assert scratch["train"] < tuned["train"]                      # on every seed
    assert r["total"] == 500


def test_skip_connections_carry_the_gradient():
    r = skip.compute_skip()
    plain, res = r["runs"][False], r["runs"][True]
    n_plain, n_res = plain["norms"].mean(axis=0), res["norms"].mean(axis=0)
    assert n_res[0] == pytest.approx(6.4, abs=0.05) and n_plain[0] == pytest.approx(0.217,
                                                                                    abs=5e-4)
    assert n_res[0] / n_plain[0] == pytest.approx(30, abs=1)
    assert np.all(n_res > n_plain)
    assert res["final"].min() == pytest.approx(0.011, abs=5e-4)
    assert res["final"].max() == pytest.approx(0.014, abs=5e-4)
    assert plain["final"].min() == pytest.approx(0.598, abs=5e-4)
    assert plain["final"].max() == pytest.approx(0.722, abs=5e-4)


def test_explorer_answers_its_controls():
    import matplotlib

    matplotlib.use("Agg")
    explorer = averaging_explorer.averaging_explorer()
    assert "Polyak average 0.3974" in explorer.summary_text
    explorer.set(lr=10 ** -1.3, start=100)
    assert "Polyak average 0.0219" in explorer.summary_text
    explorer.set(lr=0.3)
    assert explorer.error is None
