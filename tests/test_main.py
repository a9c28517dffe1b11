import numpy as np
import pytest

from sklearn_interact.__main__ import main


def test_bundled_data_with_gbm(tmp_path, capsys, pyplot):
    out = tmp_path / "heat.png"
    assert main(["--model", "gbm", "--top-k", "3", "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert "energy efficiency" in text
    assert text.count("[") >= 3  # three intervals printed
    assert "they describe this fitted model" in text  # the estimand is named
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
    with pytest.raises(SystemExit, match="not in"):
        main(["--csv", str(path), "--target", "z"])
    with pytest.raises(SystemExit, match="--drop names"):
        main(["--csv", str(path), "--target", "y", "--drop", "q"])
    with pytest.raises(SystemExit, match="needs numeric columns"):
        main(["--csv", str(path), "--target", "y", "--model", "nit"])
    # A text target holds class labels (classification); a missing one fails.
    path.write_text("a,b,y\n1,2,\n3,4,5\n5,6,7\n")
    with pytest.raises(SystemExit, match="has missing values"):
        main(["--csv", str(path), "--target", "y"])


def test_csv_with_text_and_missing_values(tmp_path, capsys):
    rng = np.random.RandomState(0)
    n = 300
    city = rng.choice(["north", "south"], n)
    x = rng.uniform(-1, 1, n)
    z = rng.uniform(-1, 1, n)
    y = np.where(city == "north", 2.0, -2.0) * x + z
    x_text = [("" if k % 10 == 0 else f"{v:.4f}") for k, v in enumerate(x)]
    lines = ["city,x,z,y"] + [
        f"{c},{a},{b:.4f},{t:.4f}" for c, a, b, t in zip(city, x_text, z, y)
    ]
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "heat.png"
    assert (
        main(
            [
                "--csv",
                str(path),
                "--target",
                "y",
                "--model",
                "gbm",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    first = [line for line in printed.splitlines() if line.strip().startswith("1 ")]
    assert "city" in first[0] and " x " in first[0]


def test_classification_mode_from_the_target(tmp_path, capsys, pyplot):
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(400, 3))
    logit = 4 * X[:, 0] * X[:, 2] + X[:, 1]
    y = np.where(rng.uniform(size=400) < 1 / (1 + np.exp(-logit)), "yes", "no")
    path = tmp_path / "labels.csv"
    with open(path, "w") as f:
        f.write("a,b,c,outcome\n")
        for row, target in zip(X, y):
            f.write(",".join(f"{v:.6f}" for v in row) + f",{target}\n")
    args = ["--csv", str(path), "--target", "outcome", "--model", "gbm"]
    assert main([*args, "--output", str(tmp_path / "h.png")]) == 0
    text = capsys.readouterr().out
    assert "classification of 2 classes ['no', 'yes']" in text
    assert "held-out accuracy = " in text and "ROC-AUC = " in text
    assert "interactions of the log-odds of class yes" in text
    first = next(line for line in text.splitlines() if line.strip().startswith("1 "))
    assert "a" in first.split() and "c" in first.split()
    with pytest.raises(SystemExit):
        main([*args, "--task", "regression"])  # text labels are no numbers
    # 0/1 labels are classes too; --task forces the choice.
    with open(path, "w") as f:
        f.write("a,b,c,outcome\n")
        for row, target in zip(X, y == "yes"):
            f.write(",".join(f"{v:.6f}" for v in row) + f",{int(target)}\n")
    main(["--csv", str(path), "--target", "outcome", "--model", "gbm", "--top-k", "1"])
    assert "classification of 2 classes [0, 1]" in capsys.readouterr().out
    main(
        ["--csv", str(path), "--target", "outcome", "--model", "gbm", "--top-k", "1"]
        + ["--task", "regression"]
    )
    assert "R^2" in capsys.readouterr().out
