import numpy as np
import pytest

from sklearn_interact.__main__ import main


def test_bundled_data_with_gbm(tmp_path, capsys, pyplot):
    out = tmp_path / "heat.png"
    assert main(["--model", "gbm", "--top-k", "3", "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert "energy efficiency" in text
    assert text.count("[") >= 3  # three intervals printed
    assert out.exists() and out.stat().st_size > 1000


def test_csv_input(tmp_path, capsys, pyplot):
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 3))
    y = 3 * X[:, 0] * X[:, 2] + X[:, 1]
    path = tmp_path / "data.csv"
    with open(path, "w") as f:
        f.write("a,b,c,y\n")
        for row, target in zip(X, y):
            f.write(",".join(f"{v:.6f}" for v in [*row, target]) + "\n")
    main(
        [
            "--csv",
            str(path),
            "--target",
            "y",
            "--model",
            "gbm",
            "--output",
            str(tmp_path / "h.png"),
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    first = next(line for line in lines if line.strip().startswith("1 "))
    assert "a" in first.split() and "c" in first.split()


def test_csv_errors(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,y\n1,x,2\n3,4,5\n5,6,7\n")
    with pytest.raises(SystemExit, match="non-numeric"):
        main(["--csv", str(path), "--target", "y"])
    with pytest.raises(SystemExit, match="not in"):
        main(["--csv", str(path), "--target", "z"])
    path.write_text("a,b,y\n1,,2\n3,4,5\n5,6,7\n")
    with pytest.raises(SystemExit, match="missing"):
        main(["--csv", str(path), "--target", "y"])
