"""Parameter initialization (section 8.4): where training starts.

Each initializer returns the weight matrix W of shape (m, n) of one layer with m inputs
(fan-in) and n outputs (fan-out), in the convention of ``objectives.MLP`` (a row of inputs
times W), drawn from ``rng`` (a seed or a numpy Generator: the same seed, the same matrix).
Column j of W holds the incoming weights of unit j.

- ``glorot_uniform``: the normalized initialization of Glorot & Bengio (2010),
  W ~ U(−√(6/(m+n)), √(6/(m+n))), variance 2/(m+n): a compromise between keeping the
  activations' variance (which asks for 1/m) and the back-propagated gradients' (1/n);
- ``scaled_gaussian``: W ~ N(0, s²/m), the variance of a unit's input times s² per layer;
- ``he_normal``: W ~ N(0, 2/m) (He et al. 2015), the s = √2 that a ReLU, which zeroes half
  of its inputs, needs to keep the second moment constant;
- ``orthogonal``: a random (semi-)orthogonal matrix times a gain (Saxe et al. 2013), whose
  singular values are all equal to the gain;
- ``sparse``: exactly k non-zero incoming weights per unit (Martens 2010), so that a unit's
  total input does not shrink as the layer gets wider;
- biases: ``hidden_bias`` (0, or the small positive 0.1 for ReLU units), ``output_bias``
  (from the marginal statistics of the targets), ``lstm_forget_bias`` (1 for the forget gate);
- ``init_mlp``: a whole θ in ``MLP``'s layout from one of these schemes.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_int, check_positive

SCHEMES = ("glorot", "gaussian", "he", "orthogonal", "sparse")
HIDDEN_BIASES = {"zero": 0.0, "relu": 0.1}


def _rng(rng) -> np.random.Generator:
    if isinstance(rng, bool) or not (rng is None or isinstance(rng, (int, np.integer,
                                                                    np.random.Generator))):
        raise ValueError(f"rng must be a seed (int), a numpy Generator or None, got {rng!r}")
    return np.random.default_rng(rng)


def _fans(n_in, n_out) -> tuple[int, int]:
    return check_int("n_in", n_in, minimum=1), check_int("n_out", n_out, minimum=1)


def glorot_limit(n_in: int, n_out: int) -> float:
    """√(6/(m + n)), the half-width of the normalized initialization's interval."""
    n_in, n_out = _fans(n_in, n_out)
    return float(np.sqrt(6.0 / (n_in + n_out)))


def glorot_uniform(n_in: int, n_out: int, rng=0, gain: float = 1.0) -> np.ndarray:
    """W ~ U(−g√(6/(m+n)), g√(6/(m+n))) (Glorot & Bengio 2010; g = ``gain``)."""
    limit = check_positive("gain", gain, allow_zero=True) * glorot_limit(n_in, n_out)
    return _rng(rng).uniform(-limit, limit, size=(n_in, n_out))


def scaled_gaussian(n_in: int, n_out: int, rng=0, scale: float = 1.0) -> np.ndarray:
    """W ~ N(0, s²/m): each unit's input has s² times the variance of one input."""
    n_in, n_out = _fans(n_in, n_out)
    sigma = check_positive("scale", scale, allow_zero=True) / np.sqrt(n_in)
    return sigma * _rng(rng).standard_normal((n_in, n_out))


def he_normal(n_in: int, n_out: int, rng=0, scale: float = 1.0) -> np.ndarray:
    """W ~ N(0, 2s²/m) (He et al. 2015): ``scaled_gaussian`` with s = √2 (times ``scale``)."""
    return scaled_gaussian(n_in, n_out, rng, np.sqrt(2.0) * check_positive("scale", scale,
                                                                           allow_zero=True))


def orthogonal(n_in: int, n_out: int, rng=0, gain: float = 1.0) -> np.ndarray:
    """g·Q with Q uniformly random among the matrices with orthonormal columns (m ≥ n) or
    rows (m < n): every singular value of W equals the gain g."""
    n_in, n_out = _fans(n_in, n_out)
    gain = check_positive("gain", gain, allow_zero=True)
    big, small = max(n_in, n_out), min(n_in, n_out)
    Q, R = np.linalg.qr(_rng(rng).standard_normal((big, small)))
    Q = Q * np.where(np.diag(R) < 0, -1.0, 1.0)       # sign fix: Q uniform (Haar), not biased
    return gain * (Q if n_in >= n_out else Q.T)


def sparse(n_in: int, n_out: int, k: int = 15, rng=0, scale: float = 1.0) -> np.ndarray:
    """Exactly min(k, m) non-zero incoming weights per unit, each N(0, s²) (Martens 2010).

    A unit's input then sums k terms whatever the fan-in m, so its scale does not depend on
    the layer's width, while the units still differ from each other a lot.
    """
    n_in, n_out = _fans(n_in, n_out)
    k = min(check_int("k", k, minimum=1), n_in)
    scale = check_positive("scale", scale, allow_zero=True)
    rng = _rng(rng)
    W = np.zeros((n_in, n_out))
    for j in range(n_out):                                   # unit j: pick its k inputs
        rows = rng.choice(n_in, size=k, replace=False)
        W[rows, j] = scale * rng.standard_normal(k)
    return W


def layer_weights(scheme: str, n_in: int, n_out: int, rng=0, scale: float = 1.0,
                  k: int = 15) -> np.ndarray:
    """One layer's W by name; ``scale`` is the gain (glorot, orthogonal), the s of
    ``scaled_gaussian`` (gaussian; he multiplies it by √2) or the σ of ``sparse``."""
    if scheme == "glorot":
        return glorot_uniform(n_in, n_out, rng, gain=scale)
    if scheme == "gaussian":
        return scaled_gaussian(n_in, n_out, rng, scale=scale)
    if scheme == "he":
        return he_normal(n_in, n_out, rng, scale=scale)
    if scheme == "orthogonal":
        return orthogonal(n_in, n_out, rng, gain=scale)
    if scheme == "sparse":
        return sparse(n_in, n_out, k=k, rng=rng, scale=scale)
    raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")


# --- biases -------------------------------------------------------------------------------
def hidden_bias(n: int, kind: str = "zero") -> np.ndarray:
    """Biases of a hidden layer: ``"zero"``, or ``"relu"``, 0.1 everywhere, so that ReLU
    units start in their active region for most inputs."""
    n = check_int("n", n, minimum=1)
    if kind not in HIDDEN_BIASES:
        raise ValueError(f"kind must be one of {list(HIDDEN_BIASES)}, got {kind!r}")
    return np.full(n, HIDDEN_BIASES[kind])


def output_bias(y, loss: str, n_classes: int | None = None) -> np.ndarray:
    """The output bias that makes the network, with zero output weights, predict the
    targets' marginal statistics: their mean (``mse``), the log-odds log(p/(1 − p)) of the
    positive class (``logistic``), the log class frequencies (``softmax``). Its initial loss
    is then the loss of the best constant guess."""
    y = np.asarray(y, dtype=float)
    if y.ndim == 0 or len(y) == 0:
        raise ValueError("y must hold at least one target")
    if loss == "mse":
        return np.atleast_1d(y.mean(axis=0))
    if loss == "logistic":
        p = float(np.mean(y))
        if not 0.0 < p < 1.0:
            raise ValueError(f"y must hold both labels 0 and 1, got a share {p:g} of 1s")
        return np.array([np.log(p / (1.0 - p))])
    if loss == "softmax":
        k = int(y.max()) + 1 if n_classes is None else check_int("n_classes", n_classes, minimum=2)
        counts = np.bincount(y.astype(int), minlength=k).astype(float)
        if np.any(counts == 0):
            raise ValueError("every class needs at least one example for a finite log "
                             f"frequency; counts {counts.astype(int).tolist()}")
        return np.log(counts / counts.sum())
    raise ValueError(f"loss must be 'mse', 'logistic' or 'softmax', got {loss!r}")


def lstm_forget_bias(n_units: int, value: float = 1.0) -> np.ndarray:
    """Biases of an LSTM layer's four gates, in the order (input, forget, output, cell):
    1 for the forget gate (Jozefowicz et al. 2015), so that σ(1) ≈ 0.73 of the cell state is
    kept per step at the start instead of σ(0) = 0.5; 0 for the others."""
    n = check_int("n_units", n_units, minimum=1)
    b = np.zeros(4 * n)
    b[n:2 * n] = value
    return b


# --- a whole network ----------------------------------------------------------------------
def init_mlp(net, scheme: str = "glorot", rng=0, scale: float = 1.0, k: int = 15,
             bias: str = "zero", marginal_output_bias: bool = False) -> np.ndarray:
    """θ for ``net`` (an ``objectives.MLP`` or anything with its ``shapes`` and ``pack``):
    every layer's W from ``scheme`` (see ``layer_weights``), hidden biases of ``bias`` kind,
    and the output bias zero or, with ``marginal_output_bias``, from ``output_bias``."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    rng = _rng(rng)
    layers = []
    for l, (n_in, n_out) in enumerate(net.shapes, 1):
        W = layer_weights(scheme, n_in, n_out, rng, scale, k)
        last = l == len(net.shapes)
        b = np.zeros(n_out) if last else hidden_bias(n_out, bias)
        if last and marginal_output_bias:
            b = output_bias(net.y, net.loss_name, getattr(net, "n_classes", None))
        layers.append((W, b))
    return net.pack(layers)
