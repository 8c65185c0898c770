"""Notebook 02, §6: vanishing and exploding gradients (section 8.2.5).

Three products of Jacobians, measured: a scalar chain w^T; a repeated matrix
W = V diag(λ) V⁻¹, whose powers follow λᵢ^t; random matrices, whose log-norm is a random
walk with a slope the theory gives (``jacobians.gaussian_lyapunov``); and a small tanh RNN,
whose ∂h_T/∂h_t is a product of the same W through time.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...jacobians import fitted_slope, matrix_powers, random_products, scalar_chain
from ...objectives.rnn import RNN, first_input_task
from ..common.cache import cached

PALETTE = plotting.PALETTE

V_EIG = np.array([[1.0, 1.0], [0.0, 1.0]])          # a non-orthogonal eigenbasis
W_REPEATED = V_EIG @ np.diag([1.1, 0.6]) @ np.linalg.inv(V_EIG)


@cached
def compute_vanishing(T: int = 100, ws=(0.9, 1.0, 1.1), n: int = 16, depth: int = 60,
                      sigmas=(0.8, 1.0, 1.25), runs: int = 200, rnn_T: int = 40,
                      rhos=(0.8, 1.2), seed: int = 0) -> dict:
    """The four products. Random products: ``runs`` chains of depth ``depth`` with n×n
    N(0, σ²/n) factors; RNN: 16 tanh units, one sequence of length ``rnn_T``."""
    scalar = {w: scalar_chain(w, T) for w in ws}
    powers = matrix_powers(W_REPEATED, T)
    random = {}
    for sigma in sigmas:
        r = random_products(n, depth, sigma, runs=runs, rng=seed)
        mean = r["log_norms"].mean(axis=0)
        random[sigma] = {"t": r["t"], "mean": mean, "std": r["log_norms"].std(axis=0),
                         "slope": fitted_slope(r["t"], mean), "theory": r["slope"],
                         "var_per_stage": float(r["log_norms"][:, -1].var() / depth),
                         "var_theory": r["var"]}
    X, y = first_input_task(m=4, T=rnn_T, seed=seed)
    net = RNN(X, y, hidden=16)
    rnn = {rho: net.state_jacobian_norms(net.init_theta(rng=seed, spectral_radius=rho), 0)
           for rho in rhos}
    return {"T": T, "scalar": scalar, "powers": powers, "random": random, "n": n,
            "depth": depth, "runs": runs, "rnn": rnn, "rnn_T": rnn_T}


def report_vanishing(r: dict) -> str:
    T, p = r["T"], r["powers"]
    lines = ["scalar chain: " + ", ".join(f"{w:g}^{T} = {v[-1]:.3g}"
                                          for w, v in r["scalar"].items())]
    lam = sorted(np.abs(p["eigenvalues"]))[::-1]
    lines.append(f"repeated W with eigenvalues {lam[0]:g} and {lam[1]:g}: ‖W^{T}‖ = "
                 f"{p['norms'][-1]:.4g} by {T} products, {p['norms_eig'][-1]:.4g} from "
                 f"V diag(λ)^{T} V⁻¹; {lam[0]:g}^{T} = {lam[0] ** T:.4g}")
    lines.append(f"random {r['n']}×{r['n']} Jacobians, {r['runs']} chains of depth "
                 f"{r['depth']}: slope of mean log‖J_t⋯J_1 u‖ against t")
    for sigma, row in r["random"].items():
        lines.append(f"  σ = {sigma:<5g} measured {row['slope']:+.4f}   theory "
                     f"{row['theory']:+.4f}   variance per stage {row['var_per_stage']:.4f} "
                     f"(theory {row['var_theory']:.4f})")
    lines.append(f"tanh RNN, 16 units, ‖∂h_T/∂h_0‖ over T = {r['rnn_T']} steps (linear RNN "
                 "with the same W in brackets):")
    for rho, row in r["rnn"].items():
        lines.append(f"  spectral radius {rho:g}: {row['norms'][0]:.2e} "
                     f"({row['linear'][0]:.2e})")
    return "\n".join(lines)


def figure_vanishing(r: dict):
    fig = plotting.figure(figsize=(13.5, 4.6))
    with plotting.style():
        a, b, c = fig.subplots(1, 3)
        for i, (w, values) in enumerate(r["scalar"].items()):
            a.plot(values, color=PALETTE[i], marker=plotting.MARKERS[i], markevery=10,
                   label=f"w = {w:g}")
        a.plot(r["powers"]["norms"], color=PALETTE[4], marker="none", linestyle="--",
               label="‖W^t‖, λ = 1.1, 0.6")
        a.set_yscale("log")
        a.set_xlabel("depth t")
        a.set_title("w^t and ‖W^t‖")
        a.legend(fontsize=11, loc="upper left")
        for i, (sigma, row) in enumerate(r["random"].items()):
            b.plot(row["t"], row["mean"], color=PALETTE[i], marker="none",
                   label=f"σ = {sigma:g}")
            b.fill_between(row["t"], row["mean"] - row["std"], row["mean"] + row["std"],
                           color=PALETTE[i], alpha=0.2)
            b.plot(row["t"], row["theory"] * row["t"], color="black", linestyle=":",
                   marker="none", linewidth=1.2)
        b.set_xlabel("depth t")
        b.set_ylabel("log‖J_t ⋯ J_1 u‖")
        b.set_title("random Jacobians (dotted: theory)")
        b.legend(fontsize=11, loc="upper left")
        for i, (rho, row) in enumerate(r["rnn"].items()):
            back = r["rnn_T"] - row["t"]
            c.plot(back, row["norms"], color=PALETTE[i], marker="o", markevery=5,
                   label=f"tanh, ρ = {rho:g}")
            c.plot(back, row["linear"], color=PALETTE[i], marker="none", linestyle="--",
                   label=f"linear, ρ = {rho:g}")
        c.set_yscale("log")
        c.set_xlabel("steps back in time, T − t")
        c.set_ylabel("‖∂h_T/∂h_t‖")
        c.set_title("an RNN through time")
        c.legend(fontsize=11, loc="lower left")
    return fig
