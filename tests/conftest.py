import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits


def pytest_configure(config):
    # Tiny networks train faster and more reproducibly on one thread, and
    # pytest-xdist already runs one worker per core.
    torch.set_num_threads(1)
    # Same for OpenMP/BLAS pools (k-means, gradient boosting): spinning threads
    # of two workers on two cores slow everything down.
    threadpool_limits(limits=1)


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
