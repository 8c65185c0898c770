"""The experiments' cache (course_lib/lessons/common/cache.py): off by default, keyed by the
arguments and the code, and never wrong when it cannot be sure."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.lessons.common import cache


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """A cached function that counts its real calls, with the cache in a fresh folder."""
    monkeypatch.setenv(cache.ENVIRONMENT, str(tmp_path))
    calls = []

    @cache.cached
    def experiment(n=3, scale=1.0, extra=None):
        calls.append((n, scale, extra))
        return {"values": np.arange(n) * scale, "n": n}

    return experiment, calls, tmp_path


def test_a_second_call_reads_the_stored_result(counted):
    experiment, calls, folder = counted
    first = experiment(4, scale=2.0)
    second = experiment(4, scale=2.0)
    assert len(calls) == 1
    np.testing.assert_array_equal(second["values"], [0.0, 2.0, 4.0, 6.0])
    assert second is not first                       # a copy: mutating it changes nothing stored
    second["values"][0] = 99.0
    assert experiment(4, scale=2.0)["values"][0] == 0.0
    assert len(list(folder.rglob("*.pickle"))) == 1


def test_defaults_filled_in_give_one_key(counted):
    experiment, calls, _ = counted
    experiment()
    experiment(3)
    experiment(n=3, scale=1.0, extra=None)
    assert len(calls) == 1


@pytest.mark.parametrize("other", [dict(n=5), dict(scale=1.5), dict(extra=(1, 2)),
                                   dict(extra=np.arange(3.0)), dict(extra={"a": 1}),
                                   dict(extra=np.float64(1.0)), dict(extra=1)])
def test_other_arguments_compute_again(counted, other):
    experiment, calls, _ = counted
    experiment()
    experiment(**other)
    assert len(calls) == 2


def test_an_int_and_a_float_of_the_same_value_are_different_inputs(counted):
    experiment, calls, _ = counted
    assert experiment(extra=1) is not None and experiment(extra=1.0) is not None
    assert len(calls) == 2


def test_arrays_are_compared_by_their_contents(counted):
    experiment, calls, _ = counted
    experiment(extra=np.array([1.0, 2.0]))
    experiment(extra=np.array([1.0, 2.0]))
    experiment(extra=np.array([1.0, 2.5]))
    experiment(extra=np.array([1, 2]))               # another dtype: another input
    assert len(calls) == 3


def test_what_cannot_be_compared_by_value_is_never_cached(counted):
    experiment, calls, folder = counted

    def learner_function(x):
        return x

    experiment(extra=learner_function)
    experiment(extra=learner_function)
    experiment(extra=[object()])
    assert len(calls) == 3
    assert not list(folder.rglob("*.pickle"))


def test_a_result_that_cannot_be_pickled_is_computed_each_time(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENVIRONMENT, str(tmp_path))
    calls = []

    @cache.cached
    def experiment():
        calls.append(1)
        return {"f": lambda x: x}

    assert experiment()["f"](2) == 2 and experiment()["f"](3) == 3
    assert len(calls) == 2
    assert not list(tmp_path.rglob("*"))


def test_a_damaged_entry_is_recomputed(counted):
    experiment, calls, folder = counted
    experiment()
    (stored,) = folder.rglob("*.pickle")
    stored.write_bytes(b"not a pickle")
    assert experiment()["n"] == 3
    assert len(calls) == 2
    assert experiment()["n"] == 3 and len(calls) == 2  # rewritten whole


def test_off_without_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENVIRONMENT, raising=False)
    calls = []

    @cache.cached
    def experiment():
        calls.append(1)
        return 1

    experiment(), experiment()
    assert len(calls) == 2
    monkeypatch.setenv(cache.ENVIRONMENT, "")       # set but empty: off too
    experiment()
    assert len(calls) == 3


def test_a_wrong_call_raises_the_functions_own_error(counted):
    experiment, _, _ = counted
    with pytest.raises(TypeError, match="unexpected keyword argument 'steps'"):
        experiment(steps=3)


def test_the_code_digest_follows_every_source_file(monkeypatch, tmp_path):
    package = tmp_path / "course_lib"
    (package / "sub").mkdir(parents=True)
    module = package / "sub" / "rule.py"
    module.write_text("LR = 0.1\n")
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache.source_digest.cache_clear()
    try:
        before = cache.source_digest()
        module.write_text("LR = 0.2\n")
        cache.source_digest.cache_clear()
        assert cache.source_digest() != before
        module.write_text("LR = 0.1\n")
        cache.source_digest.cache_clear()
        assert cache.source_digest() == before
    finally:
        monkeypatch.undo()
        cache.source_digest.cache_clear()


def test_the_cached_experiments_keep_their_names_and_signatures():
    import inspect

    from course_lib.lessons.nb07_second_order import hessian_free

    assert hessian_free.compute_hessian_free.__name__ == "compute_hessian_free"
    assert "budget" in inspect.signature(hessian_free.compute_hessian_free).parameters
