# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Concrete-dropout Bayesian MLP with Bayesian Group Expected Hessian.

Cui, Marttinen and Kaski, "Learning global pairwise interactions with Bayesian
neural networks" (ECAI 2020): a Bayesian MLP (concrete dropout with one learned
dropout probability per node) plus a linear main-effect part, and the M-group
expected Hessian (M-GEH, over ``M`` k-means clusters of the rows) computed over
posterior draws, which gives credible intervals and p-values for every pairwise
interaction.
"""

import math
import numbers

import numpy as np
import torch
from sklearn.base import clone
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from sklearn_interact.inspection._aggregation import mean_over_outputs, row_clusters
from sklearn_interact.inspection._bayesian import (
    bayesian_group_expected_hessian,
    posterior_pair_hessians,
)
from sklearn_interact.inspection._interaction_test import interaction_test
from sklearn_interact.inspection._uncertainty import (
    benjamini_hochberg,
    posterior_summary,
)
from sklearn_interact.inspection._validation import all_pairs, pairs_to_matrix
from sklearn_interact.neural._base import (
    BaseNeuralClassifier,
    BaseNeuralEstimator,
    BaseNeuralRegressor,
)
from sklearn_interact.neural._concrete_dropout import ConcreteDropoutMLP
from sklearn_interact.utils._torch import draw_seed

_AGGREGATIONS = ("geh", "eah", "aeh")
# The dropout logits move this many times faster than the weights under Adam,
# so that the dropout probabilities settle within the epochs early stopping
# allows (the reference trains for up to 2000 epochs).
_LOGIT_SCALE = 10.0


class _BayesianMLPModel:
    """The Bayesian MLP, whatever the task: training, posterior draws, M-GEH.

    :class:`BayesianMLPRegressor` and :class:`BayesianMLPClassifier` add the
    task's base class (:mod:`sklearn_interact.neural._base`).
    """

    _parameter_constraints: dict = {
        **BaseNeuralEstimator._parameter_constraints,
        "activation": [StrOptions({"softplus", "tanh", "gelu", "silu"})],
        "main_effect": [StrOptions({"linear", "additive"}), None],
        "length_scale": [Interval(numbers.Real, 0, None, closed="left")],
        "dropout_reg": [Interval(numbers.Real, 0, None, closed="left")],
        "temperature": [Interval(numbers.Real, 0, None, closed="neither")],
        "aggregation": [StrOptions(set(_AGGREGATIONS))],
        "n_clusters": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_clusters": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_draws": [Interval(numbers.Integral, 2, None, closed="left")],
        "max_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_features": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "confidence_level": [Interval(numbers.Real, 0, 1, closed="neither")],
        "interval": [StrOptions({"normal", "quantile"})],
        "multiple_testing": [StrOptions({"fdr_bh", "bonferroni"}), None],
        "top_k": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(100, 100, 100),
        activation="softplus",
        main_effect="additive",
        length_scale=1e-4,
        dropout_reg=10.0,
        temperature=0.1,
        aggregation="geh",
        n_clusters="auto",
        max_clusters=30,
        n_draws=200,
        max_samples=1000,
        max_features=None,
        confidence_level=0.95,
        interval="normal",
        multiple_testing="fdr_bh",
        top_k=10,
        lr=1e-3,
        max_epochs=500,
        batch_size=128,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=20,
        tol=1e-4,
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.main_effect = main_effect
        self.length_scale = length_scale
        self.dropout_reg = dropout_reg
        self.temperature = temperature
        self.aggregation = aggregation
        self.n_clusters = n_clusters
        self.max_clusters = max_clusters
        self.n_draws = n_draws
        self.max_samples = max_samples
        self.max_features = max_features
        self.confidence_level = confidence_level
        self.interval = interval
        self.multiple_testing = multiple_testing
        self.top_k = top_k
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- training ---------------------------------------------------------
    def _build_module(self, n_features, n_train=1):
        return ConcreteDropoutMLP(
            n_features,
            self._hidden_sizes(),
            activation=self.activation,
            main_effect=self.main_effect,
            temperature=self.temperature,
            weight_reg=self.length_scale**2 / n_train,
            dropout_reg=self.dropout_reg / n_train,
            anneal_steps=10 * math.ceil(n_train / self.batch_size),
            logit_scale=_LOGIT_SCALE,
            n_outputs=self._n_outputs,
        )

    def _fit_networks(self, Xs, ys, seed):
        n_train = Xs.shape[0]
        if self.early_stopping:
            n_train = max(1, n_train - math.ceil(self.validation_fraction * n_train))
        self._n_train = n_train
        module = self._build_module(Xs.shape[1], n_train)
        return self._train(module, Xs, ys, seed=seed)

    def _rebuild_module(self):
        return self._build_module(self.n_features_in_, self._n_train)

    # -- posterior --------------------------------------------------------
    def _draw_noise(self, n_draws, seed):
        generator = torch.Generator().manual_seed(int(seed))
        return [
            torch.rand(n_draws, w, generator=generator).to(self._device)
            for w in self.module_.widths
        ]

    def _posterior_noise(self):
        if getattr(self, "_noise_cache", None) is None:
            self._noise_cache = self._draw_noise(self.n_draws, self._interaction_seed)
        return self._noise_cache

    # -- interactions -----------------------------------------------------
    def _evaluation_rows(self, X, max_samples):
        if max_samples is None or max_samples >= X.shape[0]:
            return X
        rng = np.random.RandomState(self._interaction_seed % (2**31))
        return X[np.sort(rng.choice(X.shape[0], max_samples, replace=False))]

    def _interaction_function(self, module, noises, weights, *, start=0):
        """Draw function of the interaction part's output ``@ weights``."""

        def draw_function(x, draw):
            sub = [u[draw] for u in noises[start:]]
            return module.interaction(x, sub, start=start) @ weights.to(x.dtype)

        return draw_function

    def _mean_function(self, module, weights, *, start=0):
        def mean_function(x, draw):
            return module.interaction(x, None, start=start) @ weights.to(x.dtype)

        return mean_function

    def _output_hessians(self, function_of, X, n_draws, features):
        """Posterior pair Hessians of every explained output, side by side.

        ``function_of(weights)`` is the draw function of one explained output
        (the prediction of a regressor, a class's log-odds of a classifier,
        see ``_output_weights``); the result's last axis holds the pairs of
        the first output, then those of the next.
        """
        W = torch.as_tensor(self._output_weights(), dtype=torch.float32)
        return np.concatenate(
            [
                posterior_pair_hessians(
                    function_of(W[:, k].to(self._device)),
                    X,
                    n_draws,
                    features=features,
                    device=self._device,
                )
                for k in range(W.shape[1])
            ],
            axis=-1,
        )

    def _summarise(self, local, kind, n_clusters, Z, mean_local, p, features, seed):
        """Aggregate per-draw local values into the full result Bunch."""
        curve = None
        n = Z.shape[0]
        if kind == "eah":
            labels, m = None, n
        elif kind == "aeh":
            labels, m = None, 1
        else:
            clusters = row_clusters(
                mean_local,
                Z,
                n_clusters,
                max_clusters=min(self.max_clusters, n),
                random_state=np.random.RandomState(seed),
            )
            labels, m, curve = clusters.labels, clusters.n_clusters, clusters.curve
        samples = bayesian_group_expected_hessian(local, kind, clusters=labels)
        # A multiclass classifier: the mean over the classes' log-odds.
        samples = mean_over_outputs(samples, self._output_weights().shape[1])
        summary = posterior_summary(samples, self.confidence_level)
        idx = np.arange(p) if features is None else np.asarray(features)
        q = len(idx)
        sub_pairs = all_pairs(q)
        full = np.zeros((samples.shape[0], p * (p - 1) // 2))
        position = {tuple(pair): k for k, pair in enumerate(all_pairs(p))}
        cols = np.array(
            [
                position[(min(idx[a], idx[b]), max(idx[a], idx[b]))]
                for a, b in sub_pairs
            ],
            dtype=np.intp,
        )

        def to_matrix(values, fill=0.0):
            vals = np.full(values.shape[:-1] + (full.shape[1],), fill, dtype=float)
            vals[..., cols] = values
            return pairs_to_matrix(vals, p, fill=fill)

        def ci_matrix(ci):
            return np.stack(
                [to_matrix(ci[:, 0]), to_matrix(ci[:, 1])], axis=-1
            ).reshape(p, p, 2)

        pvalues = to_matrix(summary.pvalues, fill=1.0)
        np.fill_diagonal(pvalues, 1.0)
        return Bunch(
            interactions=to_matrix(summary.mean),
            std=to_matrix(summary.std),
            normal_ci=ci_matrix(summary.normal_ci),
            quantile_ci=ci_matrix(summary.quantile_ci),
            pvalues=pvalues,
            samples=to_matrix(samples),
            n_clusters=int(m),
            n_clusters_curve=curve,
            clusters=labels,
        )

    def _check_aggregations(self, kinds):
        for kind in kinds:
            if kind not in _AGGREGATIONS:
                raise ValueError(
                    f"aggregation must be in {_AGGREGATIONS}, got {kind!r}."
                )

    def _features(self, p):
        """Features the Hessians are computed on (None: all of them).

        Constant training columns are left out (their standardized scale is
        0, so their interactions are 0, as in
        :func:`~sklearn_interact.inspection.pairwise_interactions`); with
        ``max_features``, only that many of the others are kept, those with
        the lowest input dropout rates.
        """
        keep = np.flatnonzero(~self._constant_features)
        if self.max_features is not None and self.max_features < keep.size:
            rates = self.dropout_rates_[0][keep]
            order = np.argsort(rates, kind="stable")[: self.max_features]
            keep = np.sort(keep[order])
        return None if keep.size == p else keep

    def posterior_interactions(self, X, *, aggregation=None, n_clusters=None):
        """Bayesian pairwise interactions of the fitted model at rows of X.

        Uses the fitted posterior draws; the Hessians are computed once and
        shared by all requested aggregations.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Evaluation data (at most ``max_samples`` rows are used).
        aggregation : str or list of str, default=None
            ``"geh"``, ``"eah"`` or ``"aeh"``, or a list of them; defaults to
            the estimator's ``aggregation``.
        n_clusters : int or "auto", default=None
            Number ``M`` of clusters of rows of M-GEH; defaults to the
            estimator's ``n_clusters``.

        Returns
        -------
        result : Bunch or dict of Bunch
            ``interactions``, ``std``, ``normal_ci``, ``quantile_ci``,
            ``pvalues``, ``samples`` (one matrix per draw), ``n_clusters``,
            ``n_clusters_curve``, ``clusters`` (cluster label of each
            evaluation row for ``"geh"``, else None) and ``rows`` (the
            evaluation rows); a dict keyed by aggregation when ``aggregation``
            is a list.
        """
        check_is_fitted(self)
        X = self._validate_predict(X)
        kinds = self.aggregation if aggregation is None else aggregation
        single = isinstance(kinds, str)
        kinds = [kinds] if single else list(kinds)
        self._check_aggregations(kinds)
        n_clusters = self.n_clusters if n_clusters is None else n_clusters
        X = self._evaluation_rows(np.asarray(X, dtype=np.float64), self.max_samples)
        Xs = self._standardize_X(X)
        p = X.shape[1]
        features = self._features(p)
        module = self._frozen_module()
        noises = self._posterior_noise()
        local = self._output_hessians(
            lambda w: self._interaction_function(module, noises, w),
            Xs,
            self.n_draws,
            features,
        )
        mean_local = None
        if "geh" in kinds and n_clusters == "auto":
            mean_local = self._output_hessians(
                lambda w: self._mean_function(module, w), Xs, 1, features
            )[0]
        results = {
            kind: self._summarise(
                local,
                kind,
                n_clusters,
                X,
                mean_local,
                p,
                features,
                self._interaction_seed % (2**31),
            )
            for kind in kinds
        }
        for result in results.values():
            result.rows = X
        return results[kinds[0]] if single else results

    def __sklearn_interact_local__(self, X):
        """Posterior draws of the pair Hessians at rows ``X``, and how they are
        aggregated (used by
        :func:`~sklearn_interact.metrics.interaction_stability_score`; for a
        multiclass classifier the pairs of every class's log-odds side by
        side)."""
        check_is_fitted(self)
        X = self._evaluation_rows(
            np.asarray(self._validate_predict(X), dtype=np.float64), self.max_samples
        )
        module, noises = self._frozen_module(), self._posterior_noise()
        local = self._output_hessians(
            lambda w: self._interaction_function(module, noises, w),
            self._standardize_X(X),
            self.n_draws,
            self._features(X.shape[1]),
        )
        return Bunch(
            local=local,
            rows=X,
            aggregation=self.aggregation,
            n_clusters=self.n_clusters,
        )

    def hidden_interactions(
        self, X, layer=-2, *, units=10, aggregation=None, n_clusters=None
    ):
        """Bayesian interactions between the units of a hidden layer.

        The network after hidden layer ``layer`` is a function of that layer's
        activations; its Hessians at each draw's activations are aggregated
        like input interactions (Cui et al., Sec. 5.3), with the clusters of
        rows formed on the mean network's activations. After the last hidden
        layer comes only the linear output layer, in which units cannot
        interact (every Hessian is 0), so the last hidden layer is refused and
        the network needs at least two hidden layers.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Evaluation data (at most ``max_samples`` rows are used).
        layer : int, default=-2
            Hidden layer (0-based; negative counts from the last), any but
            the last: ``-2`` is the last one whose units interact.
        units : int or array-like of int, default=10
            The units to study: explicit indices, or that many units with the
            lowest learned dropout probability at the next layer's input.
        aggregation : {"geh", "eah", "aeh"}, default=None
            Defaults to the estimator's ``aggregation``.
        n_clusters : int or "auto", default=None
            Defaults to the estimator's ``n_clusters``.

        Returns
        -------
        result : Bunch
            As :meth:`posterior_interactions`, over the layer's units, plus
            ``units`` (the indices studied; other units' entries are 0).
        """
        check_is_fitted(self)
        X = self._validate_predict(X)
        n_hidden = len(self.module_.linears) - 1
        if n_hidden < 2:
            raise ValueError(
                "hidden_interactions needs at least two hidden layers: the output "
                "is linear in the units of the last one, which therefore never "
                f"interact; this network has {n_hidden}."
            )
        valid = isinstance(layer, numbers.Integral) and (
            -n_hidden <= layer <= -2 or 0 <= layer <= n_hidden - 2
        )
        if not valid:
            raise ValueError(
                f"layer must be an integer in [0, {n_hidden - 2}] or "
                f"[{-n_hidden}, -2] (not the last hidden layer, whose units the "
                f"linear output layer never lets interact), got {layer!r}."
            )
        layer = layer % n_hidden
        width = self.module_.widths[layer + 1]
        if isinstance(units, numbers.Integral):
            rates = self.dropout_rates_[layer + 1]
            units = np.sort(np.argsort(rates, kind="stable")[: min(units, width)])
        units = np.unique(np.asarray(units, dtype=np.intp))
        if units.size < 2 or units.min() < 0 or units.max() >= width:
            raise ValueError(
                f"units must hold at least 2 distinct indices in [0, {width - 1}]."
            )
        kind = self.aggregation if aggregation is None else aggregation
        self._check_aggregations([kind])
        n_clusters = self.n_clusters if n_clusters is None else n_clusters
        X = self._evaluation_rows(np.asarray(X, dtype=np.float64), self.max_samples)
        module = self._frozen_module()
        noises = self._posterior_noise()
        with torch.no_grad():
            x = torch.as_tensor(
                self._standardize_X(X), dtype=torch.float32, device=self._device
            )
            H_mean = module.hidden(x, layer).cpu().numpy().astype(np.float64)
            H_draws = np.stack(
                [
                    module.hidden(x, layer, [u[k] for u in noises]).cpu().numpy()
                    for k in range(self.n_draws)
                ]
            ).astype(np.float64)
        local = self._output_hessians(
            lambda w: self._interaction_function(module, noises, w, start=layer + 1),
            H_draws,
            self.n_draws,
            units,
        )
        mean_local = self._output_hessians(
            lambda w: self._mean_function(module, w, start=layer + 1),
            H_mean,
            1,
            units,
        )[0]
        result = self._summarise(
            local,
            kind,
            n_clusters,
            H_mean[:, units],
            mean_local,
            width,
            units,
            self._interaction_seed % (2**31),
        )
        result.units = units
        return result

    def interaction_test(
        self,
        X,
        y,
        *,
        target=None,
        n_splits=3,
        multiple_testing="bh",
        alpha=0.05,
        n_resamples=0,
        n_jobs=None,
        verbose=0,
        random_state=None,
    ):
        """Test every pair for a real interaction by refits on held-out folds.

        The frequentist complement of the posterior intervals, for the
        *data's* interaction (would this model class find the pair again on
        new data?), where ``interaction_ci_`` describes the *model's*
        (this network's posterior): clones of this estimator (same
        hyper-parameters) are refitted on cross-fitting folds and each
        pair's interaction is tested on the held-out rows, see
        :func:`~sklearn_interact.inspection.interaction_test`. The refits skip
        the posterior Hessians they do not need (``n_draws=2``, 50 rows, one
        cluster). The fitted model is not changed.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training inputs.
        y : array-like of shape (n_samples,)
            Training targets.
        target : label, default=None
            For the classifier, the class whose probability is tested: the
            second of two by default; a multiclass problem needs one.
        n_splits : int, default=3
            Folds; each refit trains on ``(n_splits - 1) // 2`` of them.
        multiple_testing : {"bh", "holm"} or None, default="bh"
            Adjustment over the tested pairs.
        alpha : float, default=0.05
            Level of ``interaction_significant``.
        n_resamples : int, default=0
            Bootstrap refits whose own interaction variances are returned
            (``samples``); the intervals need none.
        n_jobs : int, default=None
            Refits in parallel (joblib).
        verbose : int, default=0
            Progress messages.
        random_state : int, RandomState instance or None, default=None
            Seeds the folds and the refits.

        Returns
        -------
        result : Bunch
            See :func:`~sklearn_interact.inspection.interaction_test`
            (``estimand="data"``).
        """
        template = clone(self).set_params(
            n_draws=2, max_samples=50, n_clusters=1, verbose=0
        )
        return interaction_test(
            template,
            X,
            y,
            target=target,
            n_splits=n_splits,
            multiple_testing=multiple_testing,
            alpha=alpha,
            n_resamples=n_resamples,
            n_jobs=n_jobs,
            verbose=verbose,
            random_state=random_state,
        )

    def _fit_interactions(self, X):
        self._noise_cache = None
        self.dropout_rates_ = [
            d.p.detach().cpu().numpy().astype(np.float64) for d in self.module_.dropouts
        ]
        keep = 1.0 - self.dropout_rates_[0]
        self.feature_importances_ = keep / keep.sum()
        p = X.shape[1]
        # Constant columns (warned about in fit) have no interactions.
        self._constant_features = np.ptp(X, axis=0) == 0
        features = self._features(p)
        self.interaction_features_ = np.arange(p) if features is None else features
        result = self.posterior_interactions(X)
        self.interaction_std_ = result.std
        self.interaction_quantile_ci_ = result.quantile_ci
        self.interaction_samples_ = result.samples
        self.interaction_pvalues_ = result.pvalues
        self.n_clusters_ = result.n_clusters
        self.n_clusters_curve_ = result.n_clusters_curve
        alpha = 1.0 - self.confidence_level
        iu = np.triu_indices(p, k=1)
        raw = result.pvalues[iu]
        if self.multiple_testing == "fdr_bh":
            _, adjusted = benjamini_hochberg(raw, alpha)
        elif self.multiple_testing == "bonferroni":
            adjusted = np.minimum(raw * max(len(raw), 1), 1.0)
        else:
            adjusted = raw
        self.interaction_pvalues_adjusted_ = pairs_to_matrix(adjusted, p, fill=1.0)
        self.interaction_significant_ = self.interaction_pvalues_adjusted_ <= alpha
        np.fill_diagonal(self.interaction_significant_, False)
        ci = result.normal_ci if self.interval == "normal" else result.quantile_ci
        self._set_interactions(result.interactions, ci, top_k=self.top_k)


class BayesianMLPRegressor(_BayesianMLPModel, BaseNeuralRegressor):
    """Concrete-dropout Bayesian MLP with Bayesian M-GEH interactions.

    The model is ``f(x) = g_W(x) + beta^T x + b``: a smooth MLP ``g_W`` with
    concrete dropout (one learned dropout probability per node, temperature
    ``temperature``) on the input of every linear layer, plus a linear
    main-effect part trained jointly, so that the network's capacity goes to
    interactions (Cui et al., Sec. 3.1). Training minimises the mean squared
    error plus the variational regularizers, scaled by the number of training
    rows ``N`` and the prior length-scale ``l``: per layer
    ``l^2/N [sum_j ||W_:j||^2 / (1 - p_j) + ||b||^2] + dropout_reg / N
    sum_j [p_j log p_j + (1 - p_j) log(1 - p_j)]``, annealed in over the first
    ten epochs.

    After fitting, ``n_draws`` posterior draws are fixed (each draw fixes one
    relaxed dropout mask per layer, shared by all rows). For every draw the
    exact Hessians of ``g_W`` at the evaluation rows are aggregated into one
    M-GEH ``sum_m |A_m|/N |mean_{A_m} H_ij|`` (``A_m`` the ``M`` clusters of
    rows found by k-means on the inputs, absolute value inside each draw); the
    posterior mean is
    ``interactions_`` and the spread across draws gives credible intervals and
    p-values. Derivatives are taken with respect to standardized features
    (``x / std``) and are in the target's units.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100, 100, 100)
        Widths of the hidden layers of ``g_W``.
    activation : {"softplus", "tanh", "gelu", "silu"}, default="softplus"
        Smooth activation (softplus with ``beta=10``), so that Hessians exist.
    main_effect : {"linear", "additive"} or None, default="additive"
        The main-effect part trained jointly with ``g_W``: ``"linear"`` is the
        paper's ``beta^T x``; ``"additive"`` adds one small univariate network
        per feature, so that non-linear main effects do not leak into ``g_W``
        as spurious interactions (the extension suggested in the paper's
        Sec. 3.1.1); None fits ``g_W`` alone.
    length_scale : float, default=1e-4
        Prior length-scale ``l``; the weight regularizer is ``l^2 / N``.
    dropout_reg : float, default=10.0
        The dropout (negative entropy) regularizer is ``dropout_reg / N``.
        Larger values push every dropout probability towards 0.5 and widen
        the intervals. Gal's concrete dropout uses 2; 10 gave intervals that
        cover zero for about 95% of non-interacting pairs in the benchmark
        simulation (``benchmarks/bench_bayesian.py``).
    temperature : float, default=0.1
        Temperature of the concrete relaxation.
    aggregation : {"geh", "eah", "aeh"}, default="geh"
        Global measure: M-GEH, expected absolute Hessian (M = N) or absolute
        expected Hessian (M = 1).
    n_clusters : int or "auto", default="auto"
        Number ``M`` of k-means clusters of the rows in M-GEH. ``"auto"``
        picks it from the rank-weighted distance curve ``Delta^2_M`` of the
        mean network (kept in ``n_clusters_curve_``).
    max_clusters : int, default=30
        Largest ``M`` examined when ``n_clusters="auto"``.
    n_draws : int, default=200
        Number of posterior draws ``K``.
    max_samples : int or None, default=1000
        Evaluation rows drawn from the training data for the Hessians (all
        rows when None).
    max_features : int or None, default=None
        Restrict the Hessians to the ``max_features`` features with the lowest
        learned input dropout probability (useful in high dimension); the
        other pairs are reported as 0 with p-value 1. Features constant in the
        training data are always left out that way (with a warning): on the
        standardized scale their interactions are 0.
    confidence_level : float, default=0.95
        Level of the credible intervals and of the significance decisions.
    interval : {"normal", "quantile"}, default="normal"
        Which credible interval goes into ``interaction_ci_``: ``m +- z s``
        over draws (the paper's, used for decisions) or empirical quantiles.
    multiple_testing : {"fdr_bh", "bonferroni"} or None, default="fdr_bh"
        Correction behind ``interaction_significant_``: Benjamini-Hochberg
        false discovery rate, Bonferroni family-wise error, or none.
    top_k : int, default=10
        Length of ``top_k_pairs_``.
    lr : float, default=1e-3
        Adam learning rate.
    max_epochs : int, default=500
        Maximum number of epochs.
    batch_size : int, default=128
        Minibatch size.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the data and stop when the
        validation error stops improving (best epoch restored).
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.
    n_iter_no_change : int, default=20
        Patience of early stopping, in epochs.
    tol : float, default=1e-4
        Relative improvement that counts for early stopping.
    device : str or torch.device, default="cpu"
        Torch device, e.g. ``"cuda"``; ``"auto"`` is CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Controls weight initialisation, dropout noise, shuffling, the
        validation split, the posterior draws and the clustering of the rows.
    verbose : int, default=0
        Print training progress.

    Attributes
    ----------
    interactions_ : ndarray of shape (n_features, n_features)
        Posterior mean of the pairwise scores (symmetric, zero diagonal).
    interaction_std_ : ndarray of shape (n_features, n_features)
        Posterior standard deviation across draws.
    interaction_ci_ : ndarray of shape (n_features, n_features, 2)
        Credible interval of kind ``interval`` at ``confidence_level``.
    interaction_quantile_ci_ : ndarray of shape (n_features, n_features, 2)
        Empirical-quantile credible interval.
    interaction_pvalues_ : ndarray of shape (n_features, n_features)
        Two-sided Gaussian p-value of a zero interaction,
        ``2 (1 - Phi(m / s))``; below ``1 - confidence_level`` exactly when the
        normal interval excludes 0.
    interaction_pvalues_adjusted_ : ndarray of shape (n_features, n_features)
        P-values after ``multiple_testing`` (raw p-values when None).
    interaction_significant_ : ndarray of bool of shape (n_features, n_features)
        Pairs declared interacting after the correction.
    interaction_samples_ : ndarray of shape (n_draws, n_features, n_features)
        Posterior samples of the scores.
    interaction_estimand_ : str
        ``"model"``: the intervals and p-values describe this fitted
        network's interaction (its posterior); :meth:`interaction_test`
        tests the data's.
    top_k_pairs_ : list of tuple
        The ``top_k`` strongest pairs ``(i, j)``, strongest first.
    n_clusters_ : int
        Number ``M`` of clusters of rows used.
    n_clusters_curve_ : Bunch or None
        ``n_clusters`` (the values of ``M`` examined) and ``distances``
        (``Delta^2_M``) when ``n_clusters="auto"``.
    dropout_rates_ : list of ndarray
        Learned dropout probability of every node, one array per layer input.
    feature_importances_ : ndarray of shape (n_features,)
        Keep probabilities ``1 - p`` of the input nodes, normalised to sum to
        one (low dropout = relevant to the interaction network).
    interaction_features_ : ndarray of int
        Features the Hessians were computed on.
    n_iter_ : int
        Number of epochs run.
    loss_curve_ : list of float
        Training loss per epoch.
    validation_scores_ : list of float or None
        Validation mean squared error per epoch (standardized target).
    best_loss_ : float
        Best validation (or training) loss.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn_interact.inspection.pairwise_interactions : The engine behind it.
    sklearn.gaussian_process.GaussianProcessRegressor : Same ``predict`` /
        ``sample_y`` interface.

    Notes
    -----
    ``interaction_ci_`` contains 0 for a pair whose posterior mean is small
    relative to its spread. Because each draw's score is an absolute value,
    the quantile interval never reaches below 0; decisions therefore use the
    Gaussian form, as in the paper. ``interaction_significant_`` controls the
    false discovery rate over all ``p (p - 1) / 2`` pairs when
    ``multiple_testing="fdr_bh"``. These are statements about the fitted
    network (``interaction_estimand_ = "model"``): on permuted real targets
    2-5% of the pairs' intervals exclude 0, but on the 20,000-row simulation
    of ``benchmarks/bench_bayesian.py`` 62% of non-interacting pairs do (a
    confidently learned spurious interaction stays away from 0). For the
    data's interaction, :meth:`interaction_test` refits clones and tests
    every pair on held-out rows (calibrated in
    ``benchmarks/bench_significance.py``); for a permutation check, see
    :func:`sklearn_interact.inspection.permutation_null`.

    References
    ----------
    T. Cui, P. Marttinen, S. Kaski. Learning global pairwise interactions with
    Bayesian neural networks. ECAI 2020.

    Y. Gal, J. Hron, A. Kendall. Concrete dropout. NeurIPS 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.neural import BayesianMLPRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(200, 3))
    >>> y = X[:, 0] + X[:, 0] * X[:, 1] + 0.05 * rng.normal(size=200)
    >>> est = BayesianMLPRegressor(hidden_layer_sizes=(16, 16), max_epochs=30,
    ...                            n_draws=20, n_clusters=5, random_state=0)
    >>> est.fit(X, y).top_k_pairs_[0]
    (0, 1)
    >>> mean, std = est.predict(X[:2], return_std=True)
    >>> est.sample_y(X[:2], n_samples=4, random_state=0).shape
    (2, 4)
    """

    def _draw_predictions(self, Xs, noises, chunk=4096):
        """Standardized predictions of each draw, shape ``(n_draws, n)``."""
        module = self._frozen_module()
        out = []
        with torch.no_grad():
            for start in range(0, Xs.shape[0], chunk):
                x = torch.as_tensor(
                    Xs[start : start + chunk], dtype=torch.float32, device=self._device
                )
                draws = [
                    module(x, [u[k] for u in noises]).reshape(-1)
                    for k in range(noises[0].shape[0])
                ]
                out.append(torch.stack(draws).cpu().numpy())
        return np.concatenate(out, axis=1).astype(np.float64)

    def predict(self, X, return_std=False):
        """Predict with the mean network, optionally with a posterior spread.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        return_std : bool, default=False
            Also return the standard deviation of the predictions of the
            ``n_draws`` posterior draws (model uncertainty; it does not include
            the observation noise).

        Returns
        -------
        y_mean : ndarray of shape (n_samples,)
            Predictions of the mean network (dropout replaced by its
            expectation).
        y_std : ndarray of shape (n_samples,)
            Only when ``return_std=True``.
        """
        y_mean = super().predict(X)
        if not return_std:
            return y_mean
        X = self._validate_predict(X)
        draws = self._draw_predictions(self._standardize_X(X), self._posterior_noise())
        return y_mean, draws.std(axis=0, ddof=1) * self.y_scale_

    def sample_y(self, X, n_samples=1, random_state=0):
        """Draw functions from the posterior and evaluate them at X.

        Each sample fixes one dropout mask per layer for all rows, so a column
        of the result is one posterior function.

        Parameters
        ----------
        X : array-like of shape (n_samples_X, n_features)
            Input data.
        n_samples : int, default=1
            Number of posterior functions drawn.
        random_state : int, RandomState instance or None, default=0
            Seeds the draws.

        Returns
        -------
        y_samples : ndarray of shape (n_samples_X, n_samples)
        """
        X = self._validate_predict(X)
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples}.")
        seed = draw_seed(check_random_state(random_state))
        noises = self._draw_noise(n_samples, seed)
        draws = self._draw_predictions(self._standardize_X(X), noises)
        return (draws * self.y_scale_ + self.y_mean_).T


class BayesianMLPClassifier(_BayesianMLPModel, BaseNeuralClassifier):
    """Concrete-dropout Bayesian MLP classifier with Bayesian M-GEH interactions.

    The model of :class:`BayesianMLPRegressor` on the logit scale: the
    interaction network ``g_W`` (concrete dropout, one learned dropout
    probability per node) plus the main-effect part give the log-odds of
    ``classes_[1]`` for two classes (binary cross entropy), or one logit per
    class (softmax cross entropy), in place of the mean squared error. The
    variational regularizers, the posterior draws (one relaxed dropout mask
    per layer and draw) and the Bayesian M-GEH are those of the regressor,
    applied to the log-odds: of the positive class for two classes, and for
    more the mean over classes, within each draw, of the scores of each
    class's log-odds ``log p_k - mean_{j != k} log p_j``. Credible intervals,
    p-values and the multiple-testing decisions follow from the draws.

    Parameters
    ----------
    hidden_layer_sizes, activation, main_effect, length_scale, dropout_reg, \
temperature, aggregation, n_clusters, max_clusters, n_draws, max_samples, \
max_features, confidence_level, interval, multiple_testing, top_k, lr, \
max_epochs, batch_size, early_stopping, validation_fraction, \
n_iter_no_change, tol, device, random_state, verbose
        As for :class:`BayesianMLPRegressor` (same defaults; ``tol`` is absolute, see
        ``BaseNeuralClassifier``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    interactions_, interaction_std_, interaction_ci_, \
interaction_quantile_ci_, interaction_pvalues_, \
interaction_pvalues_adjusted_, interaction_significant_, \
interaction_samples_, interaction_estimand_, top_k_pairs_, n_clusters_, \
n_clusters_curve_, \
dropout_rates_, feature_importances_, interaction_features_, n_iter_, \
loss_curve_, validation_scores_, best_loss_, n_features_in_, \
feature_names_in_
        As for :class:`BayesianMLPRegressor`; interactions are on the log-odds
        scale, losses are cross entropies.
    interaction_scale_ : str
        The scale of ``interactions_``, e.g. ``"log-odds of class 1"``.

    See Also
    --------
    BayesianMLPRegressor : The same model for regression.
    sklearn_interact.inspection.permutation_null : Permutation p-values.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.neural import BayesianMLPClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(300, 3))
    >>> y = (X[:, 2] + 3 * X[:, 0] * X[:, 1] > 0).astype(int)
    >>> est = BayesianMLPClassifier(hidden_layer_sizes=(16, 16), max_epochs=30,
    ...                             n_draws=20, n_clusters=5, random_state=0)
    >>> est.fit(X, y).top_k_pairs_[0]
    (0, 1)
    >>> est.interaction_ci_.shape
    (3, 3, 2)
    >>> est.predict_proba(X[:2]).shape
    (2, 2)
    """
