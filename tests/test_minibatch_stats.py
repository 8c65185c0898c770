"""course_lib.minibatch_stats: the σ/√m law, duplicated data, ordered against shuffled streams."""

import numpy as np
import pytest

from course_lib.data import digits
from course_lib.minibatch_stats import (
    duplicate,
    gradient_spread,
    minibatch_means,
    per_example_gradients,
    run_on_batches,
    standard_error,
    standard_error_vs_batch_size,
    stream_batches,
)
from course_lib.objectives import LogisticRegression, add_bias
from course_lib.optim import SGD, Momentum
from course_lib.run import minimize


@pytest.fixture(scope="module")
def digits_rows():
    split = digits(classes=(3, 8))
    f = LogisticRegression(add_bias(split.X_train), split.y_train)
    theta = np.random.default_rng(0).standard_normal(f.dim) * 0.1
    return f, theta, per_example_gradients(f, theta)


def test_per_example_gradients_average_to_the_full_gradient(digits_rows):
    f, theta, rows = digits_rows
    assert rows.shape == (f.n_examples, f.dim)
    np.testing.assert_allclose(rows.mean(axis=0), f.grad(theta), atol=1e-12)


def test_standard_error_falls_as_one_over_root_m(digits_rows):
    """100 times more examples, 10 times smaller error (with replacement: exactly σ/√m)."""
    _, _, rows = digits_rows
    r = standard_error_vs_batch_size(rows, [1, 10, 100, 1000], n_batches=600, seed=0)
    np.testing.assert_allclose(r["measured"] / r["theory"], 1.0, atol=0.05)
    assert r["measured"][1] / r["measured"][3] == pytest.approx(10.0, rel=0.08)
    assert r["sigma"] == pytest.approx(gradient_spread(rows))


def test_without_replacement_the_finite_population_factor_applies(digits_rows):
    _, _, rows = digits_rows
    n = len(rows)
    r = standard_error_vs_batch_size(rows, [10, n // 2, n], n_batches=2000, seed=1,
                                     replace=False)
    np.testing.assert_allclose(r["measured"][:2] / r["theory"][:2], 1.0, atol=0.05)
    assert r["measured"][2] < 1e-12 and r["theory"][2] == 0.0     # the whole set: exact
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_means(rows, n + 1, 3, replace=False)


def test_duplicated_data_gives_the_same_gradients(digits_rows):
    f, theta, rows = digits_rows
    X, y = duplicate(f.X, f.y, 10)
    g10 = LogisticRegression(X, y)
    assert g10.n_examples == 10 * f.n_examples
    np.testing.assert_allclose(g10.grad(theta), f.grad(theta), atol=1e-12)
    rows10 = per_example_gradients(g10, theta, np.arange(0, g10.n_examples, 7))
    np.testing.assert_allclose(rows10, rows[np.arange(0, g10.n_examples, 7) % f.n_examples])
    assert gradient_spread(np.tile(rows, (10, 1))) == pytest.approx(gradient_spread(rows))


def test_stream_orders():
    assert [b.tolist() for b in stream_batches(5, 2, "as given", epochs=2)] == [
        [0, 1], [2, 3], [4], [0, 1], [2, 3], [4]]
    once = stream_batches(6, 3, "shuffle once", epochs=2, rng=0)
    assert np.array_equal(np.concatenate(once[:2]), np.concatenate(once[2:]))
    fresh = stream_batches(50, 10, "shuffled", epochs=2, rng=0)
    assert sorted(np.concatenate(fresh[:5])) == list(range(50))
    assert not np.array_equal(np.concatenate(fresh[:5]), np.concatenate(fresh[5:]))
    with pytest.raises(ValueError, match="order"):
        stream_batches(5, 2, "sorted")


def test_ordered_batches_are_biased_and_shuffled_ones_are_not(digits_rows):
    f, theta, rows = digits_rows
    by_class = np.argsort(f.y, kind="stable")
    sorted_rows = rows[by_class]
    g = rows.mean(axis=0)
    ordered = [sorted_rows[b].mean(axis=0) for b in stream_batches(len(rows), 20, "as given")]
    shuffled = [sorted_rows[b].mean(axis=0) for b in stream_batches(len(rows), 20, "shuffled",
                                                                    epochs=20, rng=0)]
    theory = gradient_spread(rows) / np.sqrt(20) * np.sqrt((len(rows) - 20) / (len(rows) - 1))
    assert standard_error(shuffled, g) == pytest.approx(theory, rel=0.1)
    assert standard_error(ordered, g) > 3 * theory


@pytest.mark.parametrize("optimizer", [SGD(lr=0.5), Momentum(lr=0.1, alpha=0.9)])
def test_run_on_batches_is_minimize_with_those_batches(digits_rows, optimizer):
    f, theta, _ = digits_rows
    trace = minimize(f, optimizer, theta, 30, batch_size=16, rng=3, warn=False)
    r = run_on_batches(f, optimizer, theta, trace.batches)
    np.testing.assert_allclose(r["thetas"], trace.thetas)
    np.testing.assert_allclose(r["losses"], trace.losses)
    assert r["nexamples"] == trace.nexamples
