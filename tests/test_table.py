import numpy as np
import pytest
import torch

from sklearn_interact.inspection import interaction_table, pairwise_interactions


class Known(torch.nn.Module):
    """f(x) = 2 x0 x1 + x2 x3: pairs (0, 1) > (2, 3), rest zero."""

    def forward(self, x):
        return 2 * x[:, 0] * x[:, 1] + x[:, 2] * x[:, 3]


def test_interaction_table():
    pd = pytest.importorskip("pandas")
    X = np.random.RandomState(0).uniform(-1, 1, size=(300, 5))
    r = pairwise_interactions(Known(), X, max_samples=100, random_state=0)
    table = interaction_table(r, feature_names=list("abcde"))
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns[:5]) == ["feature_a", "feature_b", "i", "j", "strength"]
    assert (table.feature_a.iloc[0], table.feature_b.iloc[0]) == ("a", "b")
    assert (table.feature_a.iloc[1], table.feature_b.iloc[1]) == ("c", "d")
    assert len(table) == 10
    assert table.strength.is_monotonic_decreasing
    assert {"ci_lower", "ci_upper"} <= set(table.columns)
    assert len(interaction_table(r, top_k=3)) == 3
    assert interaction_table(r).feature_a.iloc[0] == "x0"
    with pytest.raises(TypeError, match="interactions_"):
        interaction_table(object())
