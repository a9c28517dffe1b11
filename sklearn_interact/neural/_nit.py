# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Neural Interaction Transparency: a network that learns a GAM with interactions.

Tsang, Liu, Cheng, Ma and Yan, "Neural Interaction Transparency (NIT):
Disentangling Learned Interactions for Improved Interpretability", NeurIPS 2018.
"""

import itertools
import numbers
import warnings

import numpy as np
import torch
from sklearn.utils._param_validation import Interval, StrOptions
from skorch.callbacks import Callback

from sklearn_interact.inspection._model_function import _swap_relu
from sklearn_interact.neural._base import (
    AdditiveTermsMixin,
    BaseNeuralClassifier,
    BaseNeuralEstimator,
    BaseNeuralRegressor,
)
from sklearn_interact.neural._nit_module import NITModule
from sklearn_interact.utils._warnings import user_stacklevel


class _Disentangle(Callback):
    """Anneal the order cap, clip the gates, stop once the block orders settle.

    The cap ``K_t`` of the regularizer's max term falls linearly from the
    number of features to ``max_order`` over the first ``anneal_epochs``
    epochs. Phase 1 ends, once ``K_t = max_order``, when the largest block
    order (the number of features whose gate is open with probability above
    1/2) is at most ``max_order`` and the set of open gates has not changed
    for ``patience`` epochs.
    """

    def __init__(self, n_features, max_order, anneal_epochs, patience):
        self.n_features = n_features
        self.max_order = max_order
        self.anneal_epochs = anneal_epochs
        self.patience = patience

    def on_train_begin(self, net, **kwargs):
        self._last = None
        self._n_stable = 0
        self._epoch = 0

    def _cap(self):
        if self.anneal_epochs == 0:
            return float(self.max_order)
        left = max(0.0, 1.0 - self._epoch / self.anneal_epochs)
        return self.max_order + (self.n_features - self.max_order) * left

    def on_epoch_begin(self, net, **kwargs):
        net.module_.max_order = self._cap()

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if training:
            net.module_.gate.constrain()

    def on_epoch_end(self, net, **kwargs):
        module = net.module_
        cap = module.max_order
        with torch.no_grad():
            active = (module.gate.open_probability() > 0.5).cpu().numpy()
            penalty = float(module.penalty())
        max_order = int(active.sum(axis=1).max())
        net.history.record("max_order", max_order)
        net.history.record("order_cap", float(cap))
        net.history.record("penalty", penalty)
        self._epoch += 1
        annealed = cap <= self.max_order
        if (
            annealed
            and max_order <= self.max_order
            and np.array_equal(active, self._last)
        ):
            self._n_stable += 1
        else:
            self._n_stable = 0
        self._last = active
        if self._n_stable >= self.patience:
            raise KeyboardInterrupt

    def on_train_end(self, net, **kwargs):
        net.module_.max_order = self.max_order


def _merge_blocks(block_sets):
    """Merge duplicate and subset feature sets.

    Returns the maximal sets (sorted by order, then lexicographically) and,
    for each input set, the index of the smallest maximal set containing it.
    """
    unique = set(block_sets)
    terms = sorted(
        (s for s in unique if not any(set(s) < set(t) for t in unique)),
        key=lambda s: (len(s), s),
    )
    assignment = []
    for s in block_sets:
        supersets = [k for k, t in enumerate(terms) if set(s) <= set(t)]
        assignment.append(min(supersets, key=lambda k: (len(terms[k]), terms[k])))
    return terms, assignment


class _NITModel:
    """NIT, whatever the task: parameters, the two training phases, terms.

    :class:`NITRegressor` and :class:`NITClassifier` add the task's base class
    (:mod:`sklearn_interact.neural._base`).
    """

    _parameter_constraints: dict = {
        **BaseNeuralEstimator._parameter_constraints,
        "n_blocks": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_order": [Interval(numbers.Integral, 1, None, closed="left")],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "disentangle_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_disentangle_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "anneal_epochs": [
            Interval(numbers.Integral, 0, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "n_iter_stable": [Interval(numbers.Integral, 1, None, closed="left")],
        "reinitialize": ["boolean"],
        "gate_gamma": [Interval(numbers.Real, None, 0, closed="neither")],
        "gate_zeta": [Interval(numbers.Real, 1, None, closed="neither")],
        "gate_beta": [Interval(numbers.Real, 0, None, closed="neither")],
        "gate_init": [Interval(numbers.Real, 0, 1, closed="neither")],
    }

    def __init__(
        self,
        *,
        n_blocks=20,
        max_order=2,
        alpha=1e-2,
        hidden_layer_sizes=(16, 16, 8),
        lr=5e-3,
        disentangle_lr=5e-2,
        max_epochs=200,
        max_disentangle_epochs=100,
        anneal_epochs="auto",
        n_iter_stable=10,
        reinitialize=True,
        gate_gamma=-0.1,
        gate_zeta=1.1,
        gate_beta=2 / 3,
        gate_init=0.5,
        batch_size="auto",
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        self.n_blocks = n_blocks
        self.max_order = max_order
        self.alpha = alpha
        self.hidden_layer_sizes = hidden_layer_sizes
        self.lr = lr
        self.disentangle_lr = disentangle_lr
        self.max_epochs = max_epochs
        self.max_disentangle_epochs = max_disentangle_epochs
        self.anneal_epochs = anneal_epochs
        self.n_iter_stable = n_iter_stable
        self.reinitialize = reinitialize
        self.gate_gamma = gate_gamma
        self.gate_zeta = gate_zeta
        self.gate_beta = gate_beta
        self.gate_init = gate_init
        self.batch_size = batch_size
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- training ---------------------------------------------------------
    def _build_module(self, n_features):
        return NITModule(
            n_features,
            self.n_blocks,
            self._hidden_sizes(),
            max_order=self.max_order,
            alpha=self.alpha,
            gamma=self.gate_gamma,
            zeta=self.gate_zeta,
            beta=self.gate_beta,
            init_open=self.gate_init,
            n_outputs=self._n_outputs,
        ).to(self._device)

    def _rebuild_module(self):
        # The phase-2 module: gates fixed to the saved mask, not trained.
        module = self._build_module(self.n_features_in_)
        module.set_mask(self.gates_ > 0)
        module.gate.log_alpha.requires_grad_(False)
        return module

    def _anneal_epochs(self, n_features):
        """Epochs of the annealing of the order cap (resolves ``"auto"``)."""
        if self.anneal_epochs != "auto":
            return self.anneal_epochs
        room = self.max_disentangle_epochs - 2 * self.n_iter_stable
        return int(max(0, min(5 * n_features, room)))

    def _final_mask(self, module):
        """Binary gates for phase 2: open with probability > 1/2, at most K."""
        with torch.no_grad():
            prob = module.gate.open_probability().cpu().numpy()
        mask = prob > 0.5
        for b in np.flatnonzero(mask.sum(axis=1) > self.max_order):
            keep = np.argsort(-prob[b], kind="stable")[: self.max_order]
            mask[b] = False
            mask[b, keep] = True
        return mask

    def _fit_networks(self, Xs, ys, seed):
        module = self._build_module(Xs.shape[1])
        disentangle = self._train(
            module,
            Xs,
            ys,
            seed=seed,
            lr=self.disentangle_lr,
            max_epochs=self.max_disentangle_epochs,
            early_stopping=False,
            callbacks=[
                (
                    "disentangle",
                    _Disentangle(
                        Xs.shape[1],
                        self.max_order,
                        self._anneal_epochs(Xs.shape[1]),
                        self.n_iter_stable,
                    ),
                )
            ],
        )
        module = disentangle.module_
        mask = self._final_mask(module)
        module.set_mask(mask)
        if self.reinitialize:
            module.reset_weights()
        # The gates are fixed now; only the block weights are trained.
        module.gate.log_alpha.requires_grad_(False)
        self.gates_ = mask.astype(np.float64)
        history = []
        for row in disentangle.history:
            history.append(
                {
                    "phase": "disentangle",
                    "epoch": int(row["epoch"]),
                    "train_loss": float(row["train_loss"]),
                    "valid_loss": None,
                    "penalty": float(row["penalty"]),
                    "max_order": int(row["max_order"]),
                    "order_cap": float(row["order_cap"]),
                }
            )
        self.n_iter_disentangle_ = len(disentangle.history)
        self.disentangle_loss_curve_ = [h["train_loss"] for h in history]
        net = self._train(module, Xs, ys, seed=seed)
        refit_order = int(mask.sum(axis=1).max())
        for row in net.history:
            history.append(
                {
                    "phase": "refit",
                    "epoch": int(row["epoch"]),
                    "train_loss": float(row["train_loss"]),
                    "valid_loss": (
                        float(row["valid_loss"]) if "valid_loss" in row else None
                    ),
                    "penalty": 0.0,
                    "max_order": refit_order,
                    "order_cap": float(self.max_order),
                }
            )
        self.history_ = history
        return net

    # -- reading the model -----------------------------------------------
    def _block_outputs(self, X):
        """Raw block outputs on standardized scale, ``(n_samples, n_blocks)``."""
        return self._module_outputs(self._standardize_X(X, np.float64), "block_outputs")

    def _raw_term_contributions(self, X):
        """Uncentred term contributions in target units (log-odds of each
        class for a multiclass classifier: a trailing class axis)."""
        blocks = self._block_outputs(X)[:, self.block_indices_]
        out = np.zeros((X.shape[0], len(self.terms_), *blocks.shape[2:]))
        for column, term in enumerate(self._block_terms):
            out[:, term] += blocks[:, column]
        return self._target_units(out)

    def _fit_interactions(self, X):
        mask = self.gates_ > 0
        self.block_indices_ = np.flatnonzero(mask.any(axis=1))
        self.blocks_ = [
            tuple(int(j) for j in np.flatnonzero(mask[b])) for b in self.block_indices_
        ]
        self.terms_, self._block_terms = _merge_blocks(self.blocks_)
        if not self.terms_:
            warnings.warn(
                f"{self.__class__.__name__} kept no term (every gate closed): it "
                "predicts a constant and has no interactions. Lower alpha, or "
                "raise n_blocks or max_disentangle_epochs.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        raw = self._raw_term_contributions(X)
        self._term_offsets = raw.mean(axis=0)
        bias = self.module_.bias.detach().cpu().numpy()
        intercept = (
            self.y_mean_
            + self._target_units(bias[0] if bias.shape[0] == 1 else bias)
            + self._term_offsets.sum(axis=0)
        )
        self.intercept_ = float(intercept) if np.ndim(intercept) == 0 else intercept
        importances = (raw - self._term_offsets).var(axis=0)
        # A multiclass model: the mean over the classes' log-odds.
        if importances.ndim == 2:
            importances = importances.mean(axis=1)
        self.term_importances_ = importances
        p = X.shape[1]
        rng = np.random.default_rng(self._interaction_seed)
        matrix = np.zeros((p, p))
        self.higher_order_interactions_ = {}
        for k, term in enumerate(self.terms_):
            for i, j in itertools.combinations(term, 2):
                strength = self._pure_pair_variance(X, k, i, j, rng)
                matrix[i, j] += strength
                matrix[j, i] += strength
            if len(term) > 2:
                self.higher_order_interactions_[term] = float(self.term_importances_[k])
        iu, ju = np.triu_indices(p, k=1)
        strength = matrix[iu, ju]
        order = np.argsort(-strength, kind="stable")
        pairs = [(int(iu[k]), int(ju[k])) for k in order if strength[k] > 0]
        self._set_interactions(matrix, None, pairs=pairs)

    def _pure_pair_variance(self, X, k, i, j, rng, n_grid=30, n_contexts=8):
        """Variance of the (i, j) interaction part of term ``k``.

        The term is evaluated on an ``n_grid x n_grid`` product of quantiles
        of ``x_i`` and ``x_j`` (the term's other features, if any, taken
        from ``n_contexts`` training rows); removing the row and column means
        (double centering) leaves the part that is not a sum of functions of
        ``x_i`` and ``x_j`` alone, whose mean square is returned.
        """
        n = X.shape[0]
        n_contexts = 1 if len(self.terms_[k]) == 2 else n_contexts
        contexts = X[rng.integers(n, size=n_contexts)]
        levels = (np.arange(n_grid) + 0.5) / n_grid
        xi = np.quantile(X[:, i], levels)
        xj = np.quantile(X[:, j], levels)
        rows = np.repeat(contexts, n_grid * n_grid, axis=0)
        rows[:, i] = np.tile(np.repeat(xi, n_grid), n_contexts)
        rows[:, j] = np.tile(np.tile(xj, n_grid), n_contexts)
        values = self._raw_term_contributions(rows)[:, k]
        # A trailing axis of classes for a multiclass model, whose strength
        # is the mean over the classes' log-odds.
        values = values.reshape(n_contexts, n_grid, n_grid, -1)
        values = (
            values
            - values.mean(axis=2, keepdims=True)
            - values.mean(axis=1, keepdims=True)
            + values.mean(axis=(1, 2), keepdims=True)
        )
        return float(np.mean(values**2))

    def _centered_terms(self, X):
        return self._raw_term_contributions(X) - self._term_offsets

    def _function_module(self):
        """A smooth copy of the network, the one the inspection engine sees.

        ReLU has zero second derivatives almost everywhere, so every ReLU is
        replaced by ``softplus(beta=10)``, the engine's default smoothing; the
        block structure (and so additivity) is unchanged.
        """
        return _swap_relu(self.module_, "softplus", 10.0)


class NITRegressor(_NITModel, AdditiveTermsMixin, BaseNeuralRegressor):
    """Neural Interaction Transparency (NIT) regressor.

    One network, trained once, that is a generalized additive model with
    interactions of order at most ``max_order``. A common input layer feeds
    ``n_blocks`` separate multi-layer blocks (block-diagonal weights above the
    first layer, computed as one batched network). Every (block, feature)
    connection is multiplied by a hard-concrete gate (Louizos et al., 2018)
    shared by the block's first-layer units. The disentangling regularizer of
    Tsang et al. (2018, Eq. 5),
    ``max(max_i k_i - K, 0) + alpha * mean_i k_i`` over non-empty blocks, where
    ``k_i`` is the expected number of open gates of block ``i``, drives every
    block to model one feature or one interaction of order at most ``K``.

    Training has two phases (paper Sec. 5.2):

    1. *disentangling*: the network and gates are trained with the regularizer
       at learning rate ``disentangle_lr`` (the cap of the max term annealed
       from ``n_features`` down to ``max_order`` over ``anneal_epochs``
       epochs) until the largest block order is at most ``max_order`` and the
       open gates have not changed for ``n_iter_stable`` epochs (or until
       ``max_disentangle_epochs``; a block still above ``max_order`` then
       keeps its ``max_order`` most open gates);
    2. *refitting*: the gates are frozen into a binary mask, the block weights
       are re-initialized (``reinitialize=True``) and the masked network is
       trained without the regularizer, with early stopping.

    Parameters
    ----------
    n_blocks : int, default=20
        Number of blocks ``B`` (the most additive terms the model can learn).
        Blocks often learn the same feature set, so the number of distinct
        terms is smaller; data with many interacting features may need more.
    max_order : int, default=2
        Largest interaction order ``K`` of a block.
    alpha : float, default=1e-2
        Strength ``lambda`` of the mean-order term of the regularizer; larger
        values give fewer and smaller blocks. The default favours small,
        readable models; tune it with ``n_blocks`` by validation (the paper
        grid-searches it). On bike sharing (12 features, K = 4), ``alpha=1e-4``
        with 60 blocks kept 17 terms instead of 3 and cut the validation loss
        by 30% (see ``BENCHMARKS.md``).
    hidden_layer_sizes : int or tuple of int, default=(16, 16, 8)
        Units per block in each hidden layer (every block has the same
        architecture).
    lr : float, default=5e-3
        Adam learning rate of the refitting phase.
    disentangle_lr : float, default=5e-2
        Adam learning rate of the disentangling phase (the paper's 5e-2).
    max_epochs : int, default=200
        Most epochs of the refitting phase.
    max_disentangle_epochs : int, default=100
        Most epochs of the disentangling phase.
    anneal_epochs : int or "auto", default="auto"
        Epochs over which the cap of the regularizer's max term falls
        linearly from the number of features to ``max_order`` (0 applies
        ``max_order`` from the start, as in the paper). Tightening the cap
        gradually lets the blocks specialize before they must drop features;
        with the fixed cap every block loses its gates at the same pace and
        weak interactions are lost; too fast an annealing collapses the model
        to a few terms. ``"auto"`` uses ``5 * n_features`` epochs, at most
        ``max_disentangle_epochs - 2 * n_iter_stable`` (5 epochs per feature
        gave the lowest validation loss on California housing and bike
        sharing among 12, 36, 60 and 90 epochs; see ``BENCHMARKS.md``).
    n_iter_stable : int, default=10
        Epochs the open gates must stay unchanged (with every block order at
        most ``max_order``) before the disentangling phase ends.
    reinitialize : bool, default=True
        Re-draw the block weights before refitting, as the paper did.
    gate_gamma : float, default=-0.1
        Lower end of the hard-concrete stretch interval.
    gate_zeta : float, default=1.1
        Upper end of the hard-concrete stretch interval.
    gate_beta : float, default=2/3
        Temperature of the hard-concrete distribution.
    gate_init : float, default=0.5
        Initial ``sigmoid(log_alpha)`` of every gate.
    batch_size : int or "auto", default="auto"
        Minibatch size. ``"auto"``: a sixteenth of the training rows (after
        the validation split), between 16 and 256, so that every epoch takes
        at least 16 steps. The annealing and the stopping rules count epochs:
        with 256 rows per batch, 720 training rows gave 3 steps per epoch and
        the gates closed before the blocks learned (F7 with 800 rows: no
        term left and a test R^2 of 0, against 0.989 with ``"auto"``; 0.60
        accuracy against 0.95 on its thresholded labels). From 4,552 rows
        (4,096 training rows) it is 256.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the data during refitting and keep
        the epoch with the lowest validation loss.
    validation_fraction : float, default=0.1
        Fraction held out for early stopping.
    n_iter_no_change : int, default=10
        Patience of early stopping, in epochs.
    tol : float, default=1e-4
        Smallest relative improvement of the validation loss that counts.
    device : str or torch.device, default="cpu"
        Torch device ("cpu", "cuda", or "auto": CUDA when available).
    random_state : int, RandomState instance or None, default=None
        Controls the weights, the gate noise, shuffling and the split.
    verbose : int, default=0
        Print skorch's training log.

    Attributes
    ----------
    blocks_ : list of tuple of int
        Feature set of each non-empty block, before merging.
    block_indices_ : ndarray of shape (n_active_blocks,)
        Index of each of those blocks in the network.
    terms_ : list of tuple of int
        The additive terms: the blocks' feature sets with duplicates and
        subsets merged into the sets that contain them, sorted by order.
    term_importances_ : ndarray of shape (n_terms,)
        Variance of each term's contribution on the training data (squared
        target units).
    intercept_ : float
        Constant such that ``term_contributions(X).sum(axis=1) + intercept_``
        equals ``predict(X)``.
    interactions_ : ndarray of shape (n_features, n_features)
        Strength of each pair, read from the blocks: for every term that
        contains the pair, the variance of the term's pure (i, j) interaction
        part (the term on a grid of quantiles of ``x_i`` and ``x_j``,
        double centered so that main effects drop out), summed over terms;
        zero for pairs that no term contains.
    interaction_ci_ : None
        NIT reads interactions off its structure and gives no interval.
    top_k_pairs_ : list of tuple of int
        Pairs contained in some term, strongest first.
    higher_order_interactions_ : dict
        ``term_importances_`` of each term of order above 2 (sorted index
        tuple -> value).
    gates_ : ndarray of shape (n_blocks, n_features)
        Binary mask of the refitting phase (the fixed gates).
    n_iter_disentangle_ : int
        Epochs of the disentangling phase.
    disentangle_loss_curve_ : list of float
        Training loss (with the regularizer) per disentangling epoch.
    history_ : list of dict
        One record per epoch of both phases: ``phase`` ("disentangle" or
        "refit"), ``epoch``, ``train_loss``, ``valid_loss``, ``penalty``,
        ``max_order`` (largest block order) and ``order_cap`` (the annealed
        cap of the regularizer).
    n_iter_ : int
        Epochs of the refitting phase.
    loss_curve_ : list of float
        Training loss per refitting epoch.
    validation_scores_ : list of float or None
        Validation loss per refitting epoch.
    best_loss_ : float
        Lowest validation (or training) loss of the refitting phase.
    net_ : skorch.NeuralNetRegressor
        The refitted network.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when they are strings.

    See Also
    --------
    sklearn_interact.inspection.AdditiveTermsDisplay : Draw the learned terms.

    Notes
    -----
    ReLU has zero second derivatives almost everywhere, so the functions of
    :mod:`sklearn_interact.inspection` differentiate the network with every
    ReLU replaced by ``softplus(beta=10)``; the block structure (and so
    additivity) is unchanged.

    References
    ----------
    M. Tsang, H. Liu, S. Purushotham, P. Murali and Y. Liu, "Neural Interaction
    Transparency (NIT): Disentangling Learned Interactions for Improved
    Interpretability", NeurIPS 2018.

    C. Louizos, M. Welling and D. P. Kingma, "Learning Sparse Neural Networks
    through L0 Regularization", ICLR 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.neural import NITRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(200, 3))
    >>> y = X[:, 0] * X[:, 1] + X[:, 2]
    >>> nit = NITRegressor(n_blocks=4, hidden_layer_sizes=(4,), max_epochs=5,
    ...                    max_disentangle_epochs=5, random_state=0).fit(X, y)
    >>> nit.term_contributions(X).shape[0]
    200
    """


class NITClassifier(_NITModel, AdditiveTermsMixin, BaseNeuralClassifier):
    """Neural Interaction Transparency (NIT) classifier.

    The network of :class:`NITRegressor`, a generalized additive model with
    interactions of order at most ``max_order``, on the logit scale: the sum
    of its blocks is the log-odds of ``classes_[1]`` for two classes (one
    output per block, binary cross entropy), and each block outputs one logit
    per class otherwise (softmax cross entropy). The two training phases, the
    gates and the disentangling regularizer are those of
    :class:`NITRegressor`; validation loss and early stopping use the cross
    entropy.

    Parameters
    ----------
    n_blocks, max_order, alpha, hidden_layer_sizes, lr, disentangle_lr, \
max_epochs, max_disentangle_epochs, anneal_epochs, n_iter_stable, \
reinitialize, gate_gamma, gate_zeta, gate_beta, gate_init, batch_size, \
early_stopping, validation_fraction, n_iter_no_change, tol, device, \
random_state, verbose
        As for :class:`NITRegressor` (same defaults; ``tol`` is absolute, see
        ``BaseNeuralClassifier``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    terms_, blocks_, block_indices_, gates_, term_importances_, \
interactions_, interaction_ci_, top_k_pairs_, higher_order_interactions_
        As for :class:`NITRegressor`, on the log-odds scale: for two classes
        the log-odds of ``classes_[1]``; for more, the mean over classes of
        the values of each class's log-odds ``log p_k - mean_{j != k} log
        p_j``.
    intercept_ : float or ndarray of shape (n_classes,)
        ``term_contributions(X).sum(axis=1) + intercept_`` is the log-odds
        (``decision_function`` for two classes; for more, the log-odds of
        each class against the others).
    interaction_scale_ : str
        The scale of ``interactions_``, e.g. ``"log-odds of class 1"``.
    n_iter_disentangle_, disentangle_loss_curve_, history_, n_iter_, \
loss_curve_, validation_scores_, best_loss_, net_, n_features_in_, \
feature_names_in_
        As for :class:`NITRegressor` (losses are cross entropies).

    See Also
    --------
    NITRegressor : The same model for regression.
    sklearn_interact.inspection.AdditiveTermsDisplay : Draw the learned terms.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.neural import NITClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(300, 3))
    >>> y = np.where(X[:, 0] * X[:, 1] + X[:, 2] > 0, "yes", "no")
    >>> nit = NITClassifier(n_blocks=4, hidden_layer_sizes=(4,), max_epochs=5,
    ...                     max_disentangle_epochs=5, random_state=0).fit(X, y)
    >>> nit.classes_.tolist()
    ['no', 'yes']
    >>> nit.predict_proba(X[:2]).shape
    (2, 2)
    >>> nit.interaction_scale_
    'log-odds of class yes'
    """
