"""Evaluate a header value written as an expression, without importing the script.

Alembic imports every script, so projects sometimes build a header from other module-level
names (``_deps = ["a", "b"]`` then ``depends_on = tuple(_deps)``). Such a value is known
from the source alone when every name it uses is bound once, at module level, to a literal
that nothing else in the file changes; then it is folded here. Anything else (a name
changed under an ``if``, an attribute of an imported module, a function call) is only known
by running the script, so ``NotStatic`` says so and the caller decides whether to import.
"""

from __future__ import annotations

import ast

# How deep names may refer to names; real headers use one level.
_MAX_DEPTH = 8
_SEQUENCE_CALLS = {"tuple": tuple, "list": list}


class NotStatic(Exception):
    """The expression's value depends on running the script; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class ModuleConstants:
    """The module-level names of one script that hold a value fixed by the source."""

    def __init__(self, tree: ast.Module) -> None:
        self._bindings: dict[str, ast.expr] = {}
        stores: dict[str, int] = {}
        self._mutated: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                stores[node.id] = stores.get(node.id, 0) + 1
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                self._mutated.update(node.names)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                # ``_deps.append(...)``: a method may change the object in place.
                self._mutated.add(node.value.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    name = (alias.asname or alias.name).split(".")[0]
                    stores[name] = stores.get(name, 0) + 1
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stores[node.name] = stores.get(node.name, 0) + 1
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if isinstance(target, ast.Name) and stores.get(target.id) == 1:
                self._bindings[target.id] = value
        self._rebound = {name for name, count in stores.items() if count}

    def evaluate(self, node: ast.expr, depth: int = 0) -> object:
        """The value of ``node``, or NotStatic naming the part that needs the script run."""
        try:
            return ast.literal_eval(node)
        except ValueError:
            pass
        if depth > _MAX_DEPTH:
            raise NotStatic("names refer to names too deeply")
        if isinstance(node, ast.Name):
            return self._name(node.id, depth)
        if isinstance(node, (ast.Tuple, ast.List)):
            items: list[object] = []
            for element in node.elts:
                if isinstance(element, ast.Starred):
                    items.extend(self._sequence(element.value, depth))
                else:
                    items.append(self.evaluate(element, depth + 1))
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.evaluate(node.left, depth + 1)
            right = self.evaluate(node.right, depth + 1)
            if type(left) is type(right) and isinstance(left, (str, tuple, list)):
                return left + right  # type: ignore[operator]
            raise NotStatic(f"'{ast.unparse(node)}' adds values of different kinds")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            maker = _SEQUENCE_CALLS.get(node.func.id)
            plain = len(node.args) == 1 and not node.keywords
            if maker and plain and node.func.id not in self._rebound:
                return maker(self._sequence(node.args[0], depth))
        raise NotStatic(f"'{ast.unparse(node)}' is computed when the script runs")

    def _name(self, name: str, depth: int) -> object:
        if name in self._mutated:
            raise NotStatic(f"'{name}' is changed elsewhere in the script")
        bound = self._bindings.get(name)
        if bound is None:
            raise NotStatic(f"'{name}' is not a module-level constant of the script")
        return self.evaluate(bound, depth + 1)

    def _sequence(self, node: ast.expr, depth: int) -> tuple[object, ...] | list[object]:
        value = self.evaluate(node, depth + 1)
        if not isinstance(value, (tuple, list)):
            raise NotStatic(f"'{ast.unparse(node)}' is not a tuple or list")
        return value
