# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""The ranked table of pairwise interactions of any fitted result."""

import numbers

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.validation import check_array

from sklearn_interact.inspection._validation import top_pairs


@validate_params(
    {
        "estimator": "no_validation",
        "feature_names": ["array-like", None],
        "top_k": [Interval(numbers.Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def interaction_table(estimator, *, feature_names=None, top_k=None):
    """A ranked, tidy table of the pairwise interactions of a fitted object.

    Parameters
    ----------
    estimator : object
        Anything with ``interactions_`` (and optionally ``interaction_ci_``,
        ``interaction_pvalues_``, ``interaction_pvalues_adjusted_``,
        ``interaction_significant_``, ``interaction_estimand_``):
        :class:`InteractionSelector`, the neural estimators of this library,
        or a result of :func:`pairwise_interactions` or
        :func:`interaction_test` (a Bunch with ``interactions``, the same
        names without the trailing underscore).
    feature_names : list of str, default=None
        Defaults to ``feature_names_in_`` or ``x0, x1, ...``.
    top_k : int, default=None
        Keep the ``top_k`` strongest pairs; all pairs if None.

    Returns
    -------
    table : pandas.DataFrame or dict of ndarray
        Columns ``feature_a``, ``feature_b``, ``i``, ``j``, ``strength``, and
        when available ``ci_lower`` / ``ci_upper``, ``p_value`` (raw),
        ``p_value_adjusted`` (after the multiple-testing correction) and
        ``significant`` (the decision, always on the adjusted p-value),
        strongest first; then ``estimand``: whose interaction the interval
        and p-values describe, ``"model"`` (this fitted model's: bootstrap
        over its evaluation rows, posterior draws) or ``"data"`` (refits on
        new training data, held-out tests; see :func:`interaction_test`);
        then ``scale``: what the strengths are measured on (e.g.
        ``"prediction"``, ``"log-odds of class 1"``; the result's ``scale`` or
        the estimator's ``interaction_scale_``), when known. A dict of columns
        when pandas is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingRegressor
    >>> from sklearn_interact.inspection import (
    ...     interaction_table, pairwise_interactions)
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(300, 3))
    >>> y = X[:, 0] * X[:, 1] + X[:, 2]
    >>> model = HistGradientBoostingRegressor(random_state=0).fit(X, y)
    >>> result = pairwise_interactions(model, X, random_state=0)
    >>> table = interaction_table(result, feature_names=["a", "b", "c"])
    >>> table[["feature_a", "feature_b"]].iloc[0].tolist()
    ['a', 'b']
    """

    def get(name):
        return (
            getattr(estimator, name + "_", None)
            if not isinstance(estimator, Bunch)
            else estimator.get(name)
        )

    matrix = get("interactions")
    if matrix is None:
        raise TypeError(
            f"{estimator.__class__.__name__} has no interactions_; fit it first."
        )
    matrix = check_array(matrix, input_name="interactions")
    p = matrix.shape[0]
    if matrix.shape != (p, p):
        raise ValueError(
            f"interactions must be a square matrix; got shape {matrix.shape}."
        )
    if feature_names is None:
        feature_names = getattr(estimator, "feature_names_in_", None)
    if feature_names is None:
        feature_names = [f"x{i}" for i in range(p)]
    feature_names = np.asarray(feature_names, dtype=object)
    if feature_names.shape != (p,):
        raise ValueError(
            f"feature_names has {feature_names.size} names for {p} features."
        )
    pairs = top_pairs(matrix, p * (p - 1) // 2 if top_k is None else top_k)
    i = np.array([a for a, _ in pairs], dtype=int)
    j = np.array([b for _, b in pairs], dtype=int)
    table = {
        "feature_a": feature_names[i],
        "feature_b": feature_names[j],
        "i": i,
        "j": j,
        "strength": matrix[i, j],
    }
    ci = get("interaction_ci")
    if ci is not None:
        table["ci_lower"] = ci[i, j, 0]
        table["ci_upper"] = ci[i, j, 1]
    pvalues = get("interaction_pvalues")
    if pvalues is not None:
        table["p_value"] = pvalues[i, j]
    adjusted = get("interaction_pvalues_adjusted")
    if adjusted is not None:
        table["p_value_adjusted"] = adjusted[i, j]
    significant = get("interaction_significant")
    if significant is not None:
        table["significant"] = np.asarray(significant, dtype=bool)[i, j]
    for column, key in (("estimand", "estimand"), ("scale", "scale")):
        value = (
            estimator.get(key)
            if isinstance(estimator, Bunch)
            else getattr(estimator, f"interaction_{key}_", None)
        )
        if value is not None:
            table[column] = np.full(len(i), value, dtype=object)
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional
        return table
    return pd.DataFrame(table)
