"""Fitting the reading order: a Poisson model of expert MQM points with the MT's word count as
exposure, so its linear part is the log of the expected points per word read, which is
exactly what capture at a fixed effort rewards. Ridge-penalised, on standardised signals,
fitted by Newton steps: a few coefficients that travel well as a JSON file."""

from __future__ import annotations

import numpy as np
import pandas as pd

from review.ranking.signals import fill


def design(table: pd.DataFrame, features: list[str]) -> np.ndarray:
    return np.column_stack([[fill(r, f) for r in table[features].to_dict("records")]
                            for f in features]) if features else np.zeros((len(table), 0))


def fit_poisson(table: pd.DataFrame, features: list[str], l2: float = 1.0,
                iterations: int = 50) -> dict:
    """Coefficients (on the raw signals) of log E[points / words] = b0 + sum b_f * signal_f."""
    x = design(table, features)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    xs = np.column_stack([np.ones(len(x)), (x - mean) / std])
    y = table["score"].to_numpy(dtype=float)
    exposure = table["mt_words"].to_numpy(dtype=float)
    b = np.zeros(xs.shape[1])
    b[0] = np.log(max(y.sum(), 1e-9) / exposure.sum())
    penalty = l2 * np.diag(np.r_[0.0, np.ones(len(features))])
    for _ in range(iterations):
        mu = np.exp(np.clip(xs @ b + np.log(exposure), -30, 30))
        grad = xs.T @ (y - mu) - penalty @ b
        hess = xs.T @ (xs * mu[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        b = b + step
        if np.max(np.abs(step)) < 1e-8:
            break
    coef = b[1:] / std
    intercept = b[0] - float(np.sum(coef * mean))
    return {"intercept": round(float(intercept), 6),
            "coefficients": {f: round(float(c), 6) for f, c in zip(features, coef)}}
