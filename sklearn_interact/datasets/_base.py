# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Loaders for the small real datasets shipped with sklearn-interact."""

import csv
import gzip
from importlib import resources

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions, validate_params

_DATA_MODULE = "sklearn_interact.datasets"
_ENERGY_TARGETS = ("heating_load", "cooling_load")


def _data_path(filename):
    return resources.files(_DATA_MODULE) / "data" / filename


def _read_gzip_csv(filename):
    """Read a gzip-compressed numeric CSV into ``(header, float64 array)``."""
    with _data_path(filename).open("rb") as compressed:
        with gzip.open(compressed, mode="rt", encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            values = np.array([[float(v) for v in row] for row in reader])
    return header, values


def _read_descr(filename):
    return _data_path(filename).read_text(encoding="utf-8")


@validate_params(
    {
        "target": [StrOptions(set(_ENERGY_TARGETS))],
        "return_X_y": ["boolean"],
        "as_frame": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_energy_efficiency(*, target="heating_load", return_X_y=False, as_frame=False):
    """Load the Energy Efficiency dataset (regression).

    768 simulated buildings described by 8 shape and glazing features, with
    their heating and cooling loads as two possible targets. The data is the
    UCI "Energy Efficiency" dataset (Tsanas & Xifara, 2012), shipped with the
    package under CC BY 4.0.

    =================   ==============
    Samples total       768
    Dimensionality      8
    Features            real, positive
    Targets             real, positive
    =================   ==============

    Read more in the dataset description, ``DESCR``.

    Parameters
    ----------
    target : {"heating_load", "cooling_load"}, default="heating_load"
        Which of the two loads to use as the target.

    return_X_y : bool, default=False
        If True, returns ``(data, target)`` instead of a Bunch object.

    as_frame : bool, default=False
        If True, the data is a pandas DataFrame and the target a pandas
        Series, and ``frame`` holds both. Requires pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : {ndarray, DataFrame} of shape (768, 8)
            The feature matrix.
        target : {ndarray, Series} of shape (768,)
            The selected load.
        feature_names : list of str
            The names of the feature columns.
        target_names : list of str
            The name of the target, ``[target]``.
        frame : DataFrame of shape (768, 9) or None
            Features and target together; only when ``as_frame=True``.
        DESCR : str
            The full description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True
        The feature matrix and the target.

    References
    ----------
    .. [1] A. Tsanas and A. Xifara, "Accurate quantitative estimation of
       energy performance of residential buildings using statistical machine
       learning tools", Energy and Buildings, 49, pp. 560-567, 2012.

    Examples
    --------
    >>> from sklearn_interact.datasets import load_energy_efficiency
    >>> energy = load_energy_efficiency()
    >>> energy.data.shape, energy.target.shape
    ((768, 8), (768,))
    >>> energy.feature_names[:2]
    ['relative_compactness', 'surface_area']
    """
    header, values = _read_gzip_csv("energy_efficiency.csv.gz")
    target_columns = [header.index(name) for name in _ENERGY_TARGETS]
    feature_columns = [i for i in range(len(header)) if i not in target_columns]
    feature_names = [header[i] for i in feature_columns]

    data = values[:, feature_columns]
    y = values[:, header.index(target)]
    frame = None

    if as_frame:
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on environment
            raise ImportError(
                "load_energy_efficiency with as_frame=True requires pandas; "
                "install it with `pip install pandas`."
            ) from exc
        data = pd.DataFrame(data, columns=feature_names)
        y = pd.Series(y, name=target)
        frame = pd.concat([data, y], axis=1)

    if return_X_y:
        return data, y

    return Bunch(
        data=data,
        target=y,
        feature_names=feature_names,
        target_names=[target],
        frame=frame,
        DESCR=_read_descr("energy_efficiency.rst"),
    )
