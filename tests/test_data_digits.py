"""The digits data set: bundled with scikit-learn, split with a seed, stratified."""

import numpy as np
import pytest

from course_lib import data


def test_all_ten_digits_split_60_20_20():
    s = data.digits()
    assert (len(s.y_train), len(s.y_val), len(s.y_test)) == (1078, 359, 360)
    assert len(s.y_train) + len(s.y_val) + len(s.y_test) == 1797
    assert s.X_train.shape == (1078, 64) and s.X_train.min() == 0 and s.X_train.max() == 1
    assert set(np.unique(s.y_train)) == set(range(10))


def test_split_is_seeded_disjoint_and_stratified():
    a, b, c = data.digits(seed=3), data.digits(seed=3), data.digits(seed=4)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.X_train, c.X_train)
    # together the three parts are the whole data set, each image exactly once
    X, y = data._digits_arrays()
    parts = np.vstack([a.X_train, a.X_val, a.X_test])
    whole = np.column_stack([X, y])
    mine = np.column_stack([parts, np.concatenate([a.y_train, a.y_val, a.y_test])])
    assert np.array_equal(np.unique(mine, axis=0, return_counts=True)[1],
                          np.unique(whole, axis=0, return_counts=True)[1])
    shares = np.bincount(a.y_train, minlength=10) / np.bincount(a.y_test, minlength=10)
    assert np.allclose(shares, 3.0, atol=0.2)     # 60 % against 20 % in every class


def test_binary_task_relabels_in_the_order_given():
    s = data.digits(classes=(3, 8))
    assert s.classes == (3, 8) and set(np.unique(s.y_train)) == {0, 1}
    assert len(s.y_train) + len(s.y_val) + len(s.y_test) == 183 + 174


@pytest.mark.parametrize("kwargs, word", [({"classes": (3,)}, "classes"),
                                          ({"classes": (3, 3)}, "classes"),
                                          ({"classes": (3, 12)}, "classes"),
                                          ({"fractions": (0.5, 0.2, 0.2)}, "fractions")])
def test_bad_arguments_are_named(kwargs, word):
    with pytest.raises(ValueError, match=word):
        data.digits(**kwargs)


def test_the_file_read_directly_is_scikit_learns_data_set():
    from sklearn.datasets import load_digits

    X, y = data._digits_arrays()
    bunch = load_digits()
    assert np.array_equal(X * 16.0, bunch.data) and np.array_equal(y, bunch.target)
