"""Architecture rules of the package, checked on the source with :mod:`ast`.

Nothing here imports :mod:`sklearn_interact`: the import graph is read from the
``import`` / ``from ... import`` statements of every ``.py`` file under
``sklearn_interact/``.

Rules (see the module map in the refactor plan):

* no function-level (or class-level) import of a ``sklearn_interact`` module;
  optional third-party dependencies (pandas, matplotlib, skorch...) may still be
  imported lazily, and ``importlib.import_module`` calls (the lazy
  ``__getattr__`` of ``sklearn_interact/__init__.py``) are not import statements;
* the import graph between ``sklearn_interact`` modules has no cycle;
* every module sits on a floor (``FLOORS``) and imports only from strictly lower
  floors, except for the explicit allowances below.
"""

import ast
import fnmatch
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = "sklearn_interact"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / PACKAGE

# ---------------------------------------------------------------------------
# Floors.
#
# Keys are paths relative to ``sklearn_interact/``; a key may be an fnmatch
# pattern ("neural/*"), an exact path always wins over a pattern and a longer
# pattern over a shorter one. A module may import only modules on a strictly
# lower floor. Package ``__init__.py`` files are not listed: each sits one floor
# above the highest module inside its package (it is the top of its package).
# Two more rules apply on top of the numbers:
#
# * a package ``__init__.py`` may import anything inside its own package,
#   whatever the floors;
# * a module never imports the ``__init__.py`` of a package that contains it
#   (import from the defining module instead).
#
# WHERE A NEW MODULE GOES: a new module in ``inspection/`` must be listed here
# with its floor (there is deliberately no "inspection/*" pattern), one floor
# above the highest module it imports. Modules it shares a floor with must not
# import it, nor it them (unless the pair is added to ALLOWED_SAME_FLOOR).
# ---------------------------------------------------------------------------
FLOORS = {
    # -- foundations: no other part of sklearn_interact ----------------------
    # utils shares floor 0 with inspection/_validation.py: neither imports
    # the other.
    "utils/*": 0,  # resolve_device, draw_seed, torch_seed
    "datasets/*": 0,
    "metrics/*": 1,  # may use datasets/_synthetic.py (ground truth)
    "metrics/_stability.py": 7,  # measures with the composers
    # -- inspection: the floors of the plan's module map ---------------------
    "inspection/_validation.py": 0,  # input checks, pairs, sampling
    "inspection/_feedforward.py": 1,  # closed-form Hessians of MLPs
    "inspection/_features.py": 1,  # column types, scales, codes
    "inspection/_model_function.py": 2,  # ModelFunction, make_model_function
    "inspection/_hessians.py": 3,  # exact Hessians / gradients
    "inspection/_model_checks.py": 3,  # width and output checks of a model
    "inspection/_differences.py": 3,  # the finite-difference kernel
    "inspection/_path.py": 4,  # Integrated / Expected Hessians kernel
    "inspection/_aggregation.py": 4,  # AGGREGATIONS, row clusters
    "inspection/_local_estimate.py": 5,  # dispatch over kernels
    "inspection/_search.py": 5,  # UCB, cliques
    "inspection/_uncertainty.py": 5,  # bootstrap, intervals, BH, nulls
    "inspection/_pairwise.py": 6,  # composers (public functions) ...
    "inspection/_local.py": 6,
    "inspection/_higher_order.py": 6,
    "inspection/_feature_groups.py": 6,
    "inspection/_bayesian.py": 6,
    "inspection/_table.py": 6,
    "inspection/_interaction_test.py": 6,  # held-out test, data estimand
    "inspection/_plot/*": 7,  # displays (inspection/__init__.py is then 8)
    # -- above inspection ----------------------------------------------------
    "feature_selection/*": 9,
    "neural/*": 9,
    "__main__.py": 11,  # above neural/__init__.py (10)
}

# Packages whose modules on the same floor may import each other (the cycle
# test still applies), as paths of the package directory.
FREE_PACKAGES = {"neural"}

# Explicit (importer, imported) pairs of same-floor modules allowed to import,
# as paths relative to ``sklearn_interact/``. Keep it short.
ALLOWED_SAME_FLOOR = set()


# ---------------------------------------------------------------------------
# Reading the package.
# ---------------------------------------------------------------------------
def _module_name(path):
    """Dotted module name of a file under ``sklearn_interact/``."""
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _discover():
    files = sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)
    return {_module_name(p): p for p in files}


MODULES = _discover()  # dotted name -> file
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def _rel(module):
    """Path of ``module`` relative to ``sklearn_interact/`` (for ids and FLOORS)."""
    return MODULES[module].relative_to(PACKAGE_DIR).as_posix()


def _show(module):
    """``_rel(module)``, or the dotted name of a module that does not exist."""
    return _rel(module) if module in MODULES else f"{module} (no such module)"


def _own_package(module):
    return module if module in PACKAGES else module.rpartition(".")[0]


class _ImportCollector(ast.NodeVisitor):
    """Collect (target module, line, nested) of every sklearn_interact import."""

    def __init__(self, module):
        self.module = module
        self.depth = 0  # number of enclosing function / class scopes
        self.imports = []

    def _scope(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def _add(self, name, node):
        # A name that is no module (a stale import) is kept: the floor test
        # reports it, the graph ignores it.
        entry = (name, node.lineno, self.depth > 0)
        if entry not in self.imports:
            self.imports.append(entry)

    def visit_Import(self, node):
        for alias in node.names:
            if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                self._add(alias.name, node)

    def visit_ImportFrom(self, node):
        if node.level:
            base = _own_package(self.module).split(".")
            base = base[: len(base) - (node.level - 1)]
            if node.module:
                base.append(node.module)
            source = ".".join(base)
        else:
            source = node.module or ""
        if source != PACKAGE and not source.startswith(PACKAGE + "."):
            return
        for alias in node.names:
            # ``from package import submodule`` imports the submodule.
            submodule = f"{source}.{alias.name}"
            self._add(submodule if submodule in MODULES else source, node)


def _collect_imports():
    imports = {}
    for module, path in MODULES.items():
        collector = _ImportCollector(module)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        imports[module] = collector.imports
    return imports


IMPORTS = _collect_imports()  # module -> [(target, lineno, nested)]


def _floor(module):
    rel = _rel(module)
    if rel in FLOORS:
        return FLOORS[rel]
    if module in PACKAGES:
        inside = [
            _floor(m) for m in MODULES if _contains(module, m) and m not in PACKAGES
        ]
        if not inside or None in inside:
            return None
        return max(inside) + 1
    patterns = [p for p in FLOORS if fnmatch.fnmatchcase(rel, p)]
    if not patterns:
        return None
    return FLOORS[max(patterns, key=len)]


def _contains(package, module):
    return module.startswith(package + ".")


def _same_free_package(a, b):
    return any(
        _contains(f"{PACKAGE}.{pkg.replace('/', '.')}", a)
        and _contains(f"{PACKAGE}.{pkg.replace('/', '.')}", b)
        for pkg in FREE_PACKAGES
    )


def _floor_violation(importer, target):
    """Why ``importer`` may not import ``target``, or None when it may."""
    if target not in MODULES:
        return "imports a module that does not exist"
    if target == importer:
        return "imports itself"
    if importer in PACKAGES and _contains(importer, target):
        return None  # a package __init__ is the top of its own package
    if target in PACKAGES and _contains(target, importer):
        return (
            f"imports the __init__ of its own package {target}; import from "
            "the defining module"
        )
    f_importer, f_target = _floor(importer), _floor(target)
    if f_importer is None or f_target is None:
        return None  # reported by test_every_module_has_a_floor
    if f_target < f_importer:
        return None
    if f_target == f_importer and (
        (_rel(importer), _rel(target)) in ALLOWED_SAME_FLOOR
        or _same_free_package(importer, target)
    ):
        return None
    which = "the same" if f_target == f_importer else "a higher"
    return f"imports {which} floor ({_rel(target)} is on floor {f_target})"


def _module_ids():
    return [_rel(m) for m in MODULES]


# ---------------------------------------------------------------------------
# Tests.
# ---------------------------------------------------------------------------
def test_package_is_found():
    assert f"{PACKAGE}.inspection" in MODULES
    assert any(IMPORTS.values())


@pytest.mark.parametrize("module", list(MODULES), ids=_module_ids())
def test_no_function_level_import_of_the_package(module):
    nested = [
        f"line {lineno}: {_show(target)}"
        for target, lineno, is_nested in IMPORTS[module]
        if is_nested
    ]
    assert not nested, (
        f"{_rel(module)} imports sklearn_interact modules inside functions or "
        "classes; move them to the top of the module (a module-level import "
        "that would create a cycle means the code is on the wrong floor):\n  "
        + "\n  ".join(nested)
    )


def _find_cycles(graph):
    """Strongly connected components of ``graph`` that contain a cycle, each
    given as one concrete cycle ``[a, b, ..., a]``."""
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    counter = [0]

    def strongconnect(v):
        # Iterative Tarjan to avoid recursion limits.
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.add(w)
                        if w == node:
                            break
                    sccs.append(component)

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)

    cycles = []
    for component in sccs:
        start = min(component)
        if len(component) == 1 and start not in graph[start]:
            continue
        # Breadth-first search for the shortest way back to ``start``.
        previous, frontier, end = {}, [start], None
        while frontier and end is None:
            next_frontier = []
            for v in frontier:
                for w in sorted(graph[v] & component):
                    if w == start:
                        end = v
                        break
                    if w not in previous:
                        previous[w] = v
                        next_frontier.append(w)
                if end is not None:
                    break
            frontier = next_frontier
        path = [start]
        v = end
        while v != start:
            path.append(v)
            v = previous[v]
        path.append(start)
        path = [path[0], *reversed(path[1:-1]), start]
        cycles.append((sorted(component), path))
    return cycles


def test_import_graph_has_no_cycle():
    graph = defaultdict(set)
    where = {}
    for module in MODULES:
        graph[module]
        for target, lineno, nested in IMPORTS[module]:
            if target not in MODULES:
                continue
            graph[module].add(target)
            where.setdefault((module, target), (lineno, nested))

    cycles = _find_cycles(graph)
    lines = []
    for component, path in cycles:
        steps = []
        for a, b in zip(path[:-1], path[1:]):
            lineno, nested = where[(a, b)]
            kind = " (function-level)" if nested else ""
            steps.append(f"    {_rel(a)}:{lineno} -> {_rel(b)}{kind}")
        lines.append(
            "cycle among {"
            + ", ".join(_rel(m) for m in component)
            + "}:\n"
            + "\n".join(steps)
        )
    assert not cycles, "import cycles between sklearn_interact modules:\n" + (
        "\n".join(lines)
    )


def test_every_module_has_a_floor():
    # Package __init__ files take their floor from their modules.
    missing = [_rel(m) for m in MODULES if m not in PACKAGES and _floor(m) is None]
    assert not missing, (
        "modules without a floor; add them to FLOORS in tests/test_architecture.py "
        f"(one floor above the highest module they import): {missing}"
    )


def test_every_inspection_module_is_listed_by_name():
    # A pattern covers only inspection/_plot/; every other module of inspection
    # must be placed on a floor explicitly.
    missing = [
        _rel(m)
        for m in MODULES
        if _rel(m).startswith("inspection/")
        and not _rel(m).startswith("inspection/_plot/")
        and m not in PACKAGES
        and _rel(m) not in FLOORS
    ]
    assert not missing, (
        "inspection modules missing from FLOORS in tests/test_architecture.py "
        f"(the plan's module map): {missing}"
    )


def test_floor_table_has_no_stale_entries():
    rels = [_rel(m) for m in MODULES]
    stale = [
        key for key in FLOORS if not any(fnmatch.fnmatchcase(r, key) for r in rels)
    ]
    assert not stale, (
        "FLOORS entries that match no module (planned but missing, or renamed "
        f"away): {stale}"
    )


def test_package_inits_sit_above_their_modules():
    bad = []
    for package in PACKAGES:
        members = [m for m in MODULES if _contains(package, m)]
        f_package = _floor(package)
        for m in members:
            f_member = _floor(m)
            if None in (f_package, f_member) or m in PACKAGES:
                continue
            if f_member >= f_package:
                bad.append(f"{_rel(package)} ({f_package}) <= {_rel(m)} ({f_member})")
    assert not bad, "package __init__ files must be above their modules:\n" + (
        "\n".join(bad)
    )


@pytest.mark.parametrize("module", list(MODULES), ids=_module_ids())
def test_imports_go_to_lower_floors(module):
    problems = []
    for target, lineno, _ in IMPORTS[module]:
        why = _floor_violation(module, target)
        if why is not None:
            problems.append(f"line {lineno}: {_show(target)}: {why}")
    assert not problems, (
        f"{_rel(module)} (floor {_floor(module)}) breaks the floor order of "
        "FLOORS in tests/test_architecture.py:\n  " + "\n  ".join(problems)
    )


# ---------------------------------------------------------------------------
# Self-checks of the helpers above.
# ---------------------------------------------------------------------------
def test_find_cycles_reports_a_concrete_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}
    cycles = {tuple(c): p for c, p in _find_cycles(graph)}
    assert cycles[("a", "b", "c")] == ["a", "b", "c", "a"]
    assert cycles[("d",)] == ["d", "d"]
    assert len(cycles) == 2


def test_import_collector_resolves_submodules_and_relative_imports():
    source = (
        "import numpy\n"
        "import sklearn_interact.inspection._search as s\n"
        "from sklearn_interact.inspection import _search\n"
        "from sklearn_interact.inspection import pairwise_interactions\n"
        "from . import _search\n"
        "from ._plot import local\n"
        "def f():\n"
        "    import pandas\n"
        "    from sklearn_interact.utils._torch import resolve_device\n"
    )
    needed = [f"{PACKAGE}.inspection._search", f"{PACKAGE}.inspection._plot.local"]
    if not all(m in MODULES for m in needed):
        pytest.skip("layout without the modules this example uses")
    collector = _ImportCollector(f"{PACKAGE}.inspection._pairwise")
    collector.visit(ast.parse(source))
    got = [
        (t.removeprefix(PACKAGE + "."), nested) for t, _, nested in collector.imports
    ]
    assert got == [
        ("inspection._search", False),
        ("inspection._search", False),
        ("inspection", False),
        ("inspection._search", False),
        ("inspection._plot.local", False),
        ("utils._torch", True),
    ]
