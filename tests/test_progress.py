import io

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression

from sklearn_interact import InteractionSelector
from sklearn_interact.inspection import pairwise_interactions, permutation_null
from sklearn_interact.utils._progress import Progress, progress_message


def test_progress_is_quiet_unless_verbose():
    stream = io.StringIO()
    bar = Progress(3, "work", 0, stream=stream)
    for _ in range(3):
        bar.update()
    bar.close()
    assert stream.getvalue() == ""
    assert bar.count == 3


def test_progress_draws_a_bar_and_ends_the_line():
    stream = io.StringIO()
    with Progress(4, "work", 1, min_interval=0.0, stream=stream) as bar:
        for _ in range(4):
            bar.update(extra="x")
    text = stream.getvalue()
    assert "[work] |" in text and "4/4" in text
    assert text.endswith("\n") and text.count("\n") == 1
    unknown = io.StringIO()
    with Progress(None, "open", 2, min_interval=0.0, stream=unknown) as bar:
        bar.update(5)
    assert "[open] 5" in unknown.getvalue()


def test_progress_message(capsys):
    progress_message(0, "stage", "hidden")
    progress_message(1, "stage", "shown")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "[stage] shown\n"


def _data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(200, 4))
    return X, X[:, 0] * X[:, 1] + X[:, 2]


def test_engine_is_quiet_by_default(capsys):
    X, y = _data()
    model = HistGradientBoostingRegressor(max_iter=20, random_state=0).fit(X, y)
    pairwise_interactions(model, X, search="ucb", random_state=0)
    pairwise_interactions(model, X, max_samples=50, random_state=0)
    InteractionSelector(LinearRegression(), uncertainty=None).fit(X, y)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_verbose_reports_progress_on_stderr(capsys, monkeypatch):
    from sklearn_interact.inspection import _pairwise

    X, y = _data()
    model = HistGradientBoostingRegressor(max_iter=20, random_state=0).fit(X, y)
    pairwise_interactions(model, X, search="ucb", verbose=1, random_state=0)
    err = capsys.readouterr().err
    assert "UCB bandit over 6 pairs" in err and "[ucb bandit: selected] |" in err
    monkeypatch.setattr(_pairwise, "_STREAM_ELEMENTS", 1)  # 256-row chunks
    big = np.vstack([X] * 3)
    pairwise_interactions(model, big, max_samples=None, verbose=1, random_state=0)
    err = capsys.readouterr().err
    assert "[pairwise_interactions: rows] |" in err and "3/3" in err
    pairwise_interactions(
        model,
        X,
        y,
        uncertainty="refit",
        n_resamples=2,
        max_samples=30,
        verbose=1,
        random_state=0,
    )
    assert "[refits] |" in capsys.readouterr().err
    selector = InteractionSelector(LinearRegression(), uncertainty=None)
    permutation_null(selector, X, y, n_permutations=2, verbose=1, random_state=0)
    captured = capsys.readouterr()
    assert "[permutation_null] |" in captured.err and "2/2" in captured.err
    assert captured.out == ""
