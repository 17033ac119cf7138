"""The shape of the code (issue 11): one module per question, no private names across
modules, one parameter mechanism, every public function declaring its constraints."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import orgnet

SRC = Path(orgnet.__file__).resolve().parent


def _modules():
    out = {}
    for p in sorted(SRC.rglob("*.py")):
        rel = p.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def test_the_walk_sees_the_packages():
    assert {"orgnet.coverage", "orgnet.structure", "orgnet.vacuum", "orgnet.algorithms",
            "orgnet.algorithms.centrality"} <= set(MODULES)


def test_no_module_imports_another_modules_private_names():
    bad = []
    for mod, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}  # local name -> orgnet module it refers to
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(mod, node, path.name == "__init__.py")
                if not target.startswith("orgnet"):
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if sub in MODULES:  # importing a module (private modules are fine)
                        aliases[a.asname or a.name] = sub
                    elif a.name.startswith("_") and not a.name.startswith("__") and target != mod:
                        bad.append(f"{mod}: from {target} import {a.name}")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("orgnet") and a.asname:
                        aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__") and aliases[node.value.id] != mod):
                bad.append(f"{mod}: {node.value.id}.{node.attr} ({aliases[node.value.id]})")
    assert bad == []


def test_no_hand_written_parameter_checks_remain():
    import re

    hand = re.compile(r"(?<![\w.])check_(number|choice|level|levels|bool|weights|encoding)\(")
    bad = [f"{mod}: {m.group(0)}" for mod, path in MODULES.items() if mod != "orgnet._params"
           for m in hand.finditer(path.read_text(encoding="utf-8"))]
    assert bad == []


def _public_functions():
    names = ["coverage", "vacuum", "linkage", "structure", "sharing", "compare", "scorecard", "algorithms"]
    seen = {}
    for n in names:
        m = importlib.import_module(f"orgnet.{n}")
        for attr in getattr(m, "__all__", []):
            f = getattr(m, attr)
            if inspect.isfunction(f):
                seen.setdefault(f"{f.__module__}.{f.__name__}", f)
    for f in (orgnet.read_dataset, orgnet.write_dataset, orgnet.write_graph, orgnet.to_node_link,
              orgnet.report, orgnet.viz.interactive):
        seen.setdefault(f"{f.__module__}.{f.__name__}", f)
    return seen


PUBLIC = _public_functions()


def test_public_functions_found():
    assert len(PUBLIC) > 40
    assert "orgnet.coverage.unit_coverage" in PUBLIC


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_function_declares_its_parameters(name):
    f = PUBLIC[name]
    sig = inspect.signature(f)
    assert "func" not in sig.parameters  # the function's name is never a parameter
    params = [p for p in sig.parameters.values()
              if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if not params:
        return
    declared = getattr(f, "__orgnet_params__", None)
    assert declared is not None, f"{name} has no @validate_params"
    # every keyword with a default is declared (positional data arguments may be checked inside)
    undeclared = [p.name for p in params if p.default is not p.empty and p.name not in declared]
    assert undeclared == []


def test_no_module_is_a_grab_bag():
    """No module holds more than ~1,000 lines (structure.py had 1,863, synthetic.py 1,932)."""
    sizes = {mod: len(p.read_text(encoding="utf-8").splitlines()) for mod, p in MODULES.items()}
    assert {m: n for m, n in sizes.items() if n > 1000} == {}


def test_one_seed_rule():
    """Randomness is drawn from orgnet._params.as_rng only (no random.Random, no RandomState)."""
    bad = [mod for mod, p in MODULES.items() if mod != "orgnet._params"
           and any(s in p.read_text(encoding="utf-8")
                   for s in ("random.Random(", "np.random.RandomState", "np.random.seed(", "default_rng("))]
    assert bad == []


def test_the_decorator_names_the_function_and_normalises():
    from orgnet._params import Integer, Levels, validate_params
    from orgnet.errors import OrgnetParameterError

    @validate_params(k=Integer(1), levels=Levels())
    def pick(*, k=2, levels="grid"):
        return k, levels

    assert pick(k=3.0) == (3, ("grid",))
    assert type(pick(k=3.0)[0]) is int
    with pytest.raises(OrgnetParameterError,
                       match=r"^The 'k' parameter of pick must be an integer >= 1\. Got 0 instead\.$"):
        pick(k=0)
    with pytest.raises(OrgnetParameterError, match="'levels' parameter of pick must be a level"):
        pick(levels=["grid", "street block"])
    with pytest.raises(TypeError, match="no parameter"):
        validate_params(nope=Integer())(lambda x=1: x)


def test_nested_calls_are_named_by_the_outer_function():
    net = orgnet.datasets.load("demo")
    from orgnet.errors import OrgnetParameterError

    with pytest.raises(OrgnetParameterError, match="'as_of' parameter of coverage_rates must be a date"):
        orgnet.coverage.coverage_rates(net, as_of="soon")
    with pytest.raises(OrgnetParameterError, match="'as_of' parameter of active_ties must be a date"):
        net.active_ties("soon")
