import numpy as np
import pytest
import torch


def pytest_configure(config):
    # Tiny networks train faster and more reproducibly on one thread, and
    # pytest-xdist already runs one worker per core.
    torch.set_num_threads(1)


@pytest.fixture
def pyplot():
    """Give matplotlib.pyplot with the Agg backend and close figures after."""
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


@pytest.fixture
def rng():
    return np.random.default_rng(0)
