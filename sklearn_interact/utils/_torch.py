# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Small torch helpers: devices, dtypes and seeded random number streams."""

import contextlib

import numpy as np
import torch


def resolve_device(device):
    """Return a :class:`torch.device`, failing clearly when CUDA is absent.

    Parameters
    ----------
    device : str, torch.device or None
        ``None`` means ``"cpu"``; ``"auto"`` means ``"cuda"`` when a CUDA
        device is available and ``"cpu"`` otherwise.

    Returns
    -------
    device : torch.device
    """
    if device is None:
        return torch.device("cpu")
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={str(device)!r} was requested but CUDA is not available "
            "on this machine; use device='cpu'."
        )
    return device


def torch_dtype(dtype):
    """Map a numpy dtype to the torch dtype used for computation."""
    dtype = np.dtype(dtype)
    if dtype == np.float32:
        return torch.float32
    return torch.float64


def draw_seed(random_state):
    """Draw one integer seed from a ``check_random_state``-compatible object."""
    return int(random_state.randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def torch_seed(seed, device=None):
    """Seed torch inside a forked RNG so the caller's global stream is untouched.

    Parameters
    ----------
    seed : int
        Seed for the CPU (and, when used, CUDA) generators.
    device : torch.device, default=None
        When a CUDA device, its generator is forked and seeded too.
    """
    devices = []
    if device is not None and torch.device(device).type == "cuda":
        devices = [torch.device(device)]
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield
