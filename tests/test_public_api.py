"""The public surface: ``__all__`` of each subpackage and the lazy top-level names.

* every name in ``__all__`` exists;
* ``sklearn_interact.inspection.__all__`` is the planned surface;
* every public function has a runnable Examples section and is guarded by
  scikit-learn's ``@validate_params`` (checked on the decorator's wrapper and by
  passing a bad value to one parameter);
* every public estimator lists all its ``__init__`` parameters in
  ``_parameter_constraints``; every public class (and, for Displays, the class
  or its ``from_estimator``) has Examples;
* doctests anywhere in the package import only public names.
"""

import ast
import doctest
import importlib
import importlib.util
import inspect
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn import config_context
from sklearn.utils._param_validation import (
    InvalidParameterError,
    generate_valid_param,
    make_constraint,
    validate_params,
)

PACKAGE = "sklearn_interact"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / PACKAGE
SUBPACKAGES = ("inspection", "feature_selection", "neural", "datasets", "metrics")

# The public surface of sklearn_interact.inspection (refactor plan, "Public
# surface"); everything else in inspection is private.
INSPECTION_ALL = [
    "AdditiveTermsDisplay",
    "InteractionDependenceDisplay",
    "InteractionDisplay",
    "LocalInteractionDisplay",
    "expected_hessians",
    "group_interactions",
    "higher_order_interactions",
    "integrated_hessians",
    "interaction_table",
    "interaction_test",
    "local_interactions",
    "make_model_function",
    "pairwise_interactions",
    "permutation_null",
]

# The code object shared by every function that ``validate_params`` decorates.
_VALIDATE_PARAMS_WRAPPER = validate_params({}, prefer_skip_nested_validation=True)(
    lambda: None
).__code__


# ---------------------------------------------------------------------------
# Collecting the public names (at collection time, so each gets its own id).
# ---------------------------------------------------------------------------
def _try_import(name):
    try:
        return importlib.import_module(name)
    except Exception:  # reported by the tests that import it again
        return None


def _is_subpackage(parent, name):
    if name.startswith("_"):
        return False
    try:
        spec = importlib.util.find_spec(f"{parent}.{name}")
    except (ImportError, ValueError):
        return False
    return spec is not None and spec.submodule_search_locations is not None


def _all_of(module_name):
    module = _try_import(module_name)
    if module is None:
        return None
    return list(getattr(module, "__all__", []))


def _top_level_names():
    names = _all_of(PACKAGE) or []
    return [
        n for n in names if not n.startswith("__") and not _is_subpackage(PACKAGE, n)
    ]


def _public_names():
    """(module, name) of every name of every ``__all__``, plus one
    (module, None) entry for a subpackage that fails to import."""
    entries = []
    for module_name in [PACKAGE, *(f"{PACKAGE}.{s}" for s in SUBPACKAGES)]:
        names = _all_of(module_name)
        if names is None:
            entries.append((module_name, None))
        else:
            entries.extend((module_name, n) for n in names)
    return entries


def _objects():
    """(module, name, object) of the functions and classes of the subpackages'
    ``__all__`` (the top-level lazy names are the same objects)."""
    found = []
    for module_name in (f"{PACKAGE}.{s}" for s in SUBPACKAGES):
        module = _try_import(module_name)
        for name in getattr(module, "__all__", []) if module else []:
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found.append((module_name, name, obj))
    return found


def _id(module_name, name):
    short = module_name.removeprefix(PACKAGE).lstrip(".") or PACKAGE
    return f"{short}.{name}" if name is not None else f"{short}:<import>"


def _params(entries):
    return [pytest.param(m, n, id=_id(m, n)) for m, n, *_ in entries]


PUBLIC_NAMES = _public_names()
OBJECTS = _objects()
FUNCTIONS = [(m, n) for m, n, o in OBJECTS if inspect.isfunction(o)]
CLASSES = [(m, n) for m, n, o in OBJECTS if inspect.isclass(o)]
ESTIMATORS = [
    (m, n) for m, n, o in OBJECTS if inspect.isclass(o) and hasattr(o, "get_params")
]


def _get(module_name, name):
    return getattr(importlib.import_module(module_name), name)


# ---------------------------------------------------------------------------
# Docstring helpers.
# ---------------------------------------------------------------------------
_SECTION = re.compile(r"^[ \t]*(\w[\w ]*?)[ \t]*\n[ \t]*-{3,}[ \t]*$", re.MULTILINE)


def _examples_section(doc):
    """Text of the numpydoc Examples section of ``doc`` (None if absent)."""
    doc = inspect.cleandoc(doc or "")
    headers = list(_SECTION.finditer(doc))
    for i, header in enumerate(headers):
        if header.group(1) == "Examples":
            end = headers[i + 1].start() if i + 1 < len(headers) else len(doc)
            return doc[header.end() : end]
    return None


def _has_runnable_examples(doc):
    section = _examples_section(doc)
    return section is not None and any(
        line.lstrip().startswith(">>>") for line in section.splitlines()
    )


# ---------------------------------------------------------------------------
# Parameter validation helpers.
# ---------------------------------------------------------------------------
_BAD = type("BadType", (), {"__repr__": lambda self: "<BadType>"})()

_FALLBACK_VALUES = (
    np.ones((6, 3)),
    np.array([1.0, 2.0, 3.0]),
    1,
    0.5,
    True,
    "auto",
    None,
    [(0, 1)],
)


def _accepts(constraints, value):
    if constraints == "no_validation":
        return True
    return any(make_constraint(c).is_satisfied_by(value) for c in constraints)


def _valid_value(constraints):
    """A value that passes ``constraints`` (validation never reaches the body)."""
    if constraints == "no_validation":
        return 1
    candidates = []
    for constraint in constraints:
        try:
            candidates.append(generate_valid_param(make_constraint(constraint)))
        except Exception:
            continue
    for value in [*candidates, *_FALLBACK_VALUES]:
        try:
            if _accepts(constraints, value):
                return value
        except Exception:
            continue
    return None


def _validate_params_wrapper(func):
    """The ``validate_params`` wrapper in the ``__wrapped__`` chain, or None."""
    seen = set()
    while func is not None and id(func) not in seen:
        seen.add(id(func))
        if getattr(func, "__code__", None) is _VALIDATE_PARAMS_WRAPPER:
            return func
        func = getattr(func, "__wrapped__", None)
    return None


def _signature_params(func):
    return [
        p
        for p in inspect.signature(func).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and p.name not in ("self", "cls")
    ]


# ---------------------------------------------------------------------------
# __all__.
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("module_name, name", _params(PUBLIC_NAMES))
def test_name_in_all_exists(module_name, name):
    module = importlib.import_module(module_name)
    assert hasattr(module, "__all__"), f"{module_name} has no __all__"
    assert name is not None  # the import above raised otherwise
    getattr(module, name)


@pytest.mark.parametrize(
    "module_name", [PACKAGE, *(f"{PACKAGE}.{s}" for s in SUBPACKAGES)]
)
def test_all_is_sorted_and_unique(module_name):
    names = list(importlib.import_module(module_name).__all__)
    assert len(set(names)) == len(names), f"duplicates in {module_name}.__all__"
    assert names == sorted(names), f"{module_name}.__all__ is not sorted"


def test_inspection_public_surface_is_the_planned_one():
    names = set(importlib.import_module(f"{PACKAGE}.inspection").__all__)
    planned = set(INSPECTION_ALL)
    assert names == planned, (
        f"not planned (make private): {sorted(names - planned)}; "
        f"planned but missing: {sorted(planned - names)}"
    )


@pytest.mark.parametrize(
    "name", _top_level_names(), ids=[f"{PACKAGE}.{n}" for n in _top_level_names()]
)
def test_top_level_name_is_exported_by_a_subpackage(name):
    obj = getattr(importlib.import_module(PACKAGE), name)
    owners = [
        f"{PACKAGE}.{sub}"
        for sub in SUBPACKAGES
        if name in importlib.import_module(f"{PACKAGE}.{sub}").__all__
        and getattr(importlib.import_module(f"{PACKAGE}.{sub}"), name) is obj
    ]
    assert owners, f"{PACKAGE}.{name} is in no subpackage's __all__"


# ---------------------------------------------------------------------------
# Public functions.
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("module_name, name", _params(FUNCTIONS))
def test_public_function_has_examples(module_name, name):
    has_examples = _has_runnable_examples(_get(module_name, name).__doc__)
    assert has_examples, (
        f"{module_name}.{name}: no 'Examples' section with a '>>>' line"
    )


@pytest.mark.parametrize("module_name, name", _params(FUNCTIONS))
def test_public_function_is_decorated_with_validate_params(module_name, name):
    func = _get(module_name, name)
    wrapper = _validate_params_wrapper(func)
    assert wrapper is not None, (
        f"{module_name}.{name} is not decorated with "
        "sklearn.utils._param_validation.validate_params"
    )
    constraints = wrapper.__wrapped__._skl_parameter_constraints
    params = {p.name for p in _signature_params(wrapper.__wrapped__)}
    missing = sorted(params - set(constraints))
    unexpected = sorted(set(constraints) - params)
    assert not missing and not unexpected, (
        f"validate_params constraints of {name} do not match its signature: "
        f"missing {missing}, unexpected {unexpected}"
    )


@pytest.mark.parametrize("module_name, name", _params(FUNCTIONS))
def test_public_function_rejects_an_invalid_parameter(module_name, name):
    func = _get(module_name, name)
    wrapper = _validate_params_wrapper(func)
    if wrapper is None:
        pytest.fail(f"{name} is not decorated with validate_params")
    constraints = wrapper.__wrapped__._skl_parameter_constraints
    params = _signature_params(wrapper.__wrapped__)

    # The first keyword-only parameter (else any parameter) whose constraints
    # reject an object of an unknown type.
    candidates = [p for p in params if p.kind == p.KEYWORD_ONLY]
    candidates += [p for p in params if p.kind != p.KEYWORD_ONLY]
    target = next(
        (
            p
            for p in candidates
            if constraints.get(p.name, "no_validation") != "no_validation"
            and not _accepts(constraints[p.name], _BAD)
        ),
        None,
    )
    assert target is not None, (
        f"no parameter of {name} has constraints that reject a bad value"
    )

    args, kwargs = [], {}
    for p in params:
        if p.name == target.name:
            value = _BAD
        elif p.default is p.empty:
            value = _valid_value(constraints.get(p.name, "no_validation"))
        else:
            continue
        if p.kind == p.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[p.name] = value

    match = rf"'{target.name}' parameter of {re.escape(func.__qualname__)} must be"
    with config_context(skip_parameter_validation=False):
        with pytest.raises(InvalidParameterError, match=match):
            func(*args, **kwargs)


# ---------------------------------------------------------------------------
# Public classes.
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("module_name, name", _params(ESTIMATORS))
def test_public_estimator_parameter_constraints(module_name, name):
    cls = _get(module_name, name)
    constraints = cls.__dict__.get("_parameter_constraints") or getattr(
        cls, "_parameter_constraints", None
    )
    assert isinstance(constraints, dict), f"{name} has no _parameter_constraints"
    params = {p.name for p in _signature_params(cls.__init__)}
    missing = sorted(params - set(constraints))
    unexpected = sorted(set(constraints) - params)
    assert not missing and not unexpected, (
        f"{name}._parameter_constraints does not match __init__: "
        f"missing {missing}, unexpected {unexpected}"
    )


@pytest.mark.parametrize("module_name, name", _params(CLASSES))
def test_public_class_has_examples(module_name, name):
    cls = _get(module_name, name)
    docs = [cls.__doc__]  # not inspect.getdoc: no inheriting a parent's Examples
    if name.endswith("Display") and hasattr(cls, "from_estimator"):
        docs.append(cls.from_estimator.__doc__)
    has_examples = any(_has_runnable_examples(doc) for doc in docs)
    assert has_examples, (
        f"{module_name}.{name}: no 'Examples' section with a '>>>' line"
        + (" (class or from_estimator)" if len(docs) > 1 else "")
    )


# ---------------------------------------------------------------------------
# Doctests import only public names.
# ---------------------------------------------------------------------------
def _doctest_imports():
    """(place, module, imported name or None) of every sklearn_interact import in
    a doctest of the package."""
    parser = doctest.DocTestParser()
    found = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = path.relative_to(PACKAGE_DIR.parent).as_posix()
        for node in ast.walk(tree):
            if not isinstance(
                node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
            ):
                continue
            if not (
                node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
                and isinstance(node.body[0].value.value, str)
            ):
                continue
            first_line = node.body[0].value.lineno
            try:
                examples = parser.get_examples(node.body[0].value.value)
            except ValueError:
                continue
            for example in examples:
                try:
                    statements = ast.parse(example.source)
                except SyntaxError:
                    continue
                place = f"{rel}:{first_line + example.lineno}"
                for stmt in ast.walk(statements):
                    if isinstance(stmt, ast.Import):
                        found.extend(
                            (place, alias.name, None)
                            for alias in stmt.names
                            if alias.name.split(".")[0] == PACKAGE
                        )
                    elif (
                        isinstance(stmt, ast.ImportFrom)
                        and stmt.level == 0
                        and (stmt.module or "").split(".")[0] == PACKAGE
                    ):
                        found.extend(
                            (place, stmt.module, alias.name) for alias in stmt.names
                        )
    return found


DOCTEST_IMPORTS = _doctest_imports()


@pytest.mark.parametrize(
    "place, module_name, name",
    [
        pytest.param(p, m, n, id=f"{p}:{m}" + (f".{n}" if n else ""))
        for p, m, n in DOCTEST_IMPORTS
    ],
)
def test_doctests_import_only_public_names(place, module_name, name):
    private = [part for part in module_name.split(".") if part.startswith("_")]
    assert not private, (
        f"{place}: doctest imports from private module {module_name}; import "
        "from the public subpackage"
    )
    if name is None:
        return
    module = importlib.import_module(module_name)
    assert name in getattr(module, "__all__", ()) or _is_subpackage(
        module_name, name
    ), f"{place}: doctest imports {name}, which is not in {module_name}.__all__"


# ---------------------------------------------------------------------------
# Self-checks of the helpers above.
# ---------------------------------------------------------------------------
def test_collection_found_public_names():
    assert FUNCTIONS and CLASSES and DOCTEST_IMPORTS


def test_examples_section_helper():
    doc = """Summary.

    Examples
    --------
    >>> 1 + 1
    2

    Notes
    -----
    >>> not in examples
    """
    assert _has_runnable_examples(doc)
    assert not _has_runnable_examples("Summary.\n\nExamples\n--------\nprose only\n")
    assert not _has_runnable_examples("Summary.\n\n>>> 1\n")


def test_validate_params_helpers():
    @validate_params(
        {"a": ["array-like"], "b": [int]}, prefer_skip_nested_validation=True
    )
    def decorated(a, *, b=1):
        return a

    def plain(a, *, b=1):
        return a

    assert _validate_params_wrapper(decorated) is decorated
    assert _validate_params_wrapper(plain) is None
    assert _accepts(["array-like"], _valid_value(["array-like"]))
    assert not _accepts(["array-like", int, "random_state"], _BAD)
