"""Notebook 09's explorers, driven without a browser, and the challenge's badge."""

import numpy as np

from course_lib.lessons.nb09_continuation_curriculum import checks, pace_explorer, sigma_explorer


def test_sigma_explorer_badge_and_record():
    e = sigma_explorer.sigma_explorer(challenge=checks.SIGMA_SCHEDULE)
    assert e.badge_state == "not yet" and "not yet" in e.badge_text
    e.set(sigma0=2.0, n_stages=5, steps=40)
    assert e.badge_state == "met", e.badge_text
    assert e.record_text.startswith("sigma_schedule = {'sigma0': 2.0, 'n_stages': 5, "
                                    "'steps': 40, 'shape': 'linear'}")
    record = eval(e.record_text.split("=", 1)[1])                  # the pasted line
    assert checks.check_sigma_schedule(record).passed
    e.set(steps=60)                                                 # 300 > 200: cut
    assert e.badge_state == "not yet" and e.result["cut"]
    assert "cut short by the budget" in e.summary_text


def test_sigma_schedule_compute_respects_the_budget():
    r = sigma_explorer.compute_schedule(2.0, 5, 60)
    assert r["ngev"] == 200 and r["given"] == [60, 60, 60, 20, 0] and r["planned"] == 300
    r = sigma_explorer.compute_schedule(1.0, 4, 30, shape="geometric")
    assert np.allclose(r["sigmas"], [1.0, 10 ** -0.5, 0.1, 0.0])
    assert r["ngev"] == 120 and not r["cut"]


def test_pace_explorer_controls_and_disabled():
    e = pace_explorer.pace_explorer()
    assert e.result["budget"] == 4800 and e.result["shares"].shape == (10, 5)
    assert set(e.disabled_reasons) == {"start"}
    e.set(sampler="uniform")
    assert set(e.disabled_reasons) == {"mix", "start", "pace"}
    assert np.allclose(e.result["loss"], e.result["base_loss"])     # uniform is the baseline
    e.set(sampler="deterministic", pace=1.0)
    assert np.allclose(e.result["shares"][:2, 0], 1.0)              # pace 1: 2 tenths per level
    e.set(sampler="self-paced")
    assert e.result["ranking"] > 0 and "read only to rank" in e.summary_text


def test_companion_figures():
    import matplotlib.pyplot as plt

    for module in (sigma_explorer, pace_explorer):
        fig = module.companion_figure()
        assert len(fig.axes) == 2
        plt.close(fig)
