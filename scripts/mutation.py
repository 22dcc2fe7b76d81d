"""Mutation testing of the rule modules listed in scripts/mutation.toml (docs/testing.md).

For each module, two kinds of mutants are tried against the module's tests:

- function bodies, by mutmut (3.x, configured in pyproject.toml's [tool.mutmut]), run in a
  scratch copy of the project under var/mutation/<module>/ so that each module has its own
  configuration and results (`mutmut show NAME` there shows a mutant);
- module-level tables, sets, constants and regular expressions, and the defaults of dataclass
  fields, which mutmut leaves alone, by this script: each assignment's value is varied (an
  element of a set, tuple or dict dropped, an enum member added to a set or swapped for another
  in a table row, a number moved by one, a flag flipped, an alternative or a character-class
  member removed from a regular expression, a word removed from a word list, a message
  changed), and the module's tests run against each variant in a forked process that executes
  the varied source in place of the module's own. Functions mutmut cannot reach (decorated
  ones, and code that runs only at import) are listed under `bodies` to get the same treatment.

Prints, per module: mutants, killed, survived, score and run time, and the listed functions,
bodies and tables that yield no mutants (reported, not an error: there is nothing in them to
vary); exits 1 when a module scores below the threshold, and stops at a listed function the
module does not define.
"""

from __future__ import annotations

import argparse
import ast
import copy
import enum
import fnmatch
import importlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "scripts" / "mutation.toml"
SCRATCH = ROOT / "var" / "mutation"
# pytest plugins the rule tests use; the others are left out of each forked run (half its start-up).
KEEP_PLUGINS = {"django", "time_machine"}
# Top-level entries that are not copied into a scratch project.
NOT_COPIED = {".git", ".venv", "var", "node_modules", "mutants", "pyproject.toml", "test-artifacts", "bench"}


# --- configuration ---------------------------------------------------------------------------------


@dataclass
class Module:
    path: str
    tests: list[str]
    functions: list[str] | None = None
    tables: list[str] | None = None
    bodies: list[str] = field(default_factory=list)

    @property
    def dotted(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")

    @property
    def slug(self) -> str:
        return self.path.removesuffix(".py").replace("/", "_")


def load_config(path: Path = CONFIG) -> tuple[list[Module], float]:
    data = tomllib.loads(path.read_text())
    modules = [
        Module(
            path=entry["path"],
            tests=list(entry["tests"]),
            functions=entry.get("functions"),
            tables=entry.get("tables"),
            bodies=list(entry.get("bodies", [])),
        )
        for entry in data["module"]
    ]
    return modules, float(data.get("threshold", 90))


@dataclass
class Tally:
    mutants: int = 0
    killed: int = 0
    seconds: float = 0.0
    survivors: list[str] = field(default_factory=list)
    no_mutants: list[str] = field(default_factory=list)  # listed names that yield none

    @property
    def survived(self) -> int:
        return self.mutants - self.killed

    @property
    def score(self) -> float:
        return 100.0 * self.killed / self.mutants if self.mutants else 100.0

    def add(self, other: Tally) -> Tally:
        return Tally(
            self.mutants + other.mutants,
            self.killed + other.killed,
            self.seconds + other.seconds,
            self.survivors + other.survivors,
            self.no_mutants + other.no_mutants,
        )


# --- function bodies: mutmut -----------------------------------------------------------------------


def mutmut_glob(module: Module, name: str) -> str:
    """mutmut's name of the mutants of one function (`x_name`) or method (`xǁClassǁmethod`)."""
    cls, _, method = name.rpartition(".")
    mangled = f"x\u01c1{cls}\u01c1{method}" if cls else f"x_{method}"
    return f"{module.dotted}.{mangled}__mutmut_*"


def mutmut_globs(module: Module) -> list[str]:
    """mutmut's names of the mutants of the configured functions (`x_name`, `xǁClassǁmethod`)."""
    if module.functions is None:
        return [f"{module.dotted}.x*"]
    return [mutmut_glob(module, name) for name in module.functions]


def defined_functions(source: str) -> set[str]:
    """The module's functions and methods (`name`, `Class.method`), as `functions` lists them."""
    names = set()
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(statement.name)
        elif isinstance(statement, ast.ClassDef):
            for inner in statement.body:
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{statement.name}.{inner.name}")
    return names


def undefined_functions(module: Module, source: str) -> list[str]:
    """The listed functions and bodies the module does not define: a mistake in the list."""
    defined = defined_functions(source)
    return sorted(name for name in {*(module.functions or []), *module.bodies} if name not in defined)


def mutants_per_function(module: Module, names: list[str]) -> dict[str, list[str]]:
    """mutmut's mutant names (all of the module's, from its .meta) of each configured function."""
    if module.functions is None:
        glob = mutmut_globs(module)[0]
        return {"(every function)": sorted(n for n in names if fnmatch.fnmatchcase(n, glob))}
    return {
        function: sorted(n for n in names if fnmatch.fnmatchcase(n, mutmut_glob(module, function)))
        for function in module.functions
    }


def mutmut_tally(module: Module, codes: dict[str, int | None]) -> Tally:
    """Killed and surviving mutants of the configured functions, and the functions without any."""
    from mutmut.stats import status_by_exit_code

    tally = Tally()
    for function, mutants in mutants_per_function(module, list(codes)).items():
        if not mutants:
            tally.no_mutants.append(function)
        for name in mutants:
            tally.mutants += 1
            status = status_by_exit_code[codes[name]]
            if status in ("killed", "timeout", "caught by type check"):
                tally.killed += 1
            else:
                tally.survivors.append(f"{name} ({status})")
    return tally


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(value)


def scratch_project(module: Module) -> Path:
    """A scratch copy of the project (links to its folders) whose pyproject.toml points mutmut at `module`."""
    scratch = SCRATCH / module.slug
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    copied = []
    for entry in sorted(ROOT.iterdir()):
        if entry.name in NOT_COPIED or entry.name.startswith("."):
            continue
        (scratch / entry.name).symlink_to(entry)
        copied.append(entry.name)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    settings = dict(project["tool"].get("mutmut", {}))
    settings["source_paths"] = [module.path]
    settings["also_copy"] = copied
    settings["pytest_add_cli_args_test_selection"] = module.tests
    lines = ["[tool.pytest.ini_options]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in project["tool"]["pytest"]["ini_options"].items()]
    lines += ["", "[tool.mutmut]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in settings.items()]
    (scratch / "pyproject.toml").write_text("\n".join(lines) + "\n")
    return scratch


def run_mutmut(module: Module, workers: int) -> Tally:
    started = time.monotonic()
    if module.functions == []:
        return Tally()  # none listed: mutmut given no names would mutate every function
    scratch = scratch_project(module)
    log = scratch / "mutmut.log"
    with log.open("w") as out:
        command = [str(ROOT / ".venv" / "bin" / "mutmut"), "run", "--max-children", str(workers)]
        result = subprocess.run(
            [*command, *mutmut_globs(module)], cwd=scratch, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    meta_path = scratch / "mutants" / f"{module.path}.meta"
    if not meta_path.exists():
        sys.exit(f"mutmut failed on {module.path} (exit {result.returncode}); see {log}")
    tally = mutmut_tally(module, json.loads(meta_path.read_text())["exit_code_by_key"])
    # mutmut stops (exit 1) when none of the names it is given has a mutant; with nothing to
    # run there is nothing that failed, and the functions are reported as without mutants.
    if result.returncode != 0 and tally.mutants:
        sys.exit(f"mutmut failed on {module.path} (exit {result.returncode}); see {log}")
    tally.seconds = time.monotonic() - started
    return tally


# --- module-level values: the variants --------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    name: str  # the table, constant or Class.attribute
    line: int
    description: str
    source: str  # the whole module, varied


class Regex:
    """A pattern as a list of characters and f-string substitutions, with its structure found."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items
        self.groups: list[list[tuple[int, int]]] = []  # alternatives (start, end) of each group
        self.classes: list[list[tuple[int, int]]] = []  # members (start, end) of each character class
        self._parse()

    def _escape_end(self, i: int) -> int:
        """Index after the escape starting at i (a backslash)."""
        nxt = self.items[i + 1] if i + 1 < len(self.items) else ""
        width = {"u": 4, "x": 2, "U": 8}.get(nxt, 0) if isinstance(nxt, str) else 0
        return min(i + 2 + width, len(self.items))

    def _parse(self) -> None:
        items = self.items
        stack: list[list[int]] = [[0]]  # per open group: the start of each alternative
        i = 0
        while i < len(items):
            ch = items[i]
            if not isinstance(ch, str):
                i += 1
            elif ch == "\\":
                i = self._escape_end(i)
            elif ch == "[":
                i = self._parse_class(i)
            elif ch == "(":
                stack.append([self._group_body(i)])
                i = stack[-1][0]
            elif ch == "|":
                stack[-1].append(-(i + 1))  # marks a separator at i
                stack[-1].append(i + 1)
                i += 1
            elif ch == ")" and len(stack) > 1:
                self._close(stack.pop(), i)
                i += 1
            else:
                i += 1
        while stack:
            self._close(stack.pop(), len(items))

    def _group_body(self, i: int) -> int:
        """Index of the first character of the group opened at i, after its (?:, (?i:, (?<! ... prefix."""
        items = self.items
        j = i + 1
        if j >= len(items) or items[j] != "?":
            return j
        j += 1
        if j < len(items) and items[j] in ("=", "!"):
            return j + 1
        if j + 1 < len(items) and items[j] == "<" and items[j + 1] in ("=", "!"):
            return j + 2
        while j < len(items) and items[j] not in (":", ">", ")"):
            j += 1
        return j + 1 if j < len(items) and items[j] != ")" else j

    def _close(self, marks: list[int], end: int) -> None:
        starts = [m for m in marks if m >= 0]
        separators = [-m - 1 for m in marks if m < 0]
        if not separators:
            return
        bounds = [*separators, end]
        self.groups.append([(start, bounds[k]) for k, start in enumerate(starts)])

    def _parse_class(self, i: int) -> int:
        items = self.items
        j = i + 1
        if j < len(items) and items[j] == "^":
            j += 1
        members: list[tuple[int, int]] = []
        first = True
        while j < len(items) and (items[j] != "]" or first):
            start = j
            j = self._escape_end(j) if items[j] == "\\" else j + 1
            if j + 1 < len(items) and items[j] == "-" and items[j + 1] != "]":
                j += 1
                j = self._escape_end(j) if items[j] == "\\" else j + 1
            members.append((start, j))
            first = False
        if len(members) > 1:
            self.classes.append(members)
        return j + 1

    def variants(self) -> Iterator[tuple[str, list[Any]]]:
        for alternatives in self.groups:
            for k, (start, end) in enumerate(alternatives):
                # the alternative and the bar before it (after it, for the first)
                cut = (start - 1, end) if k else (start, end + 1)
                text = self.text(start, end)
                yield f"regex: drop the alternative {text!r}", self.items[: cut[0]] + self.items[cut[1] :]
        for members in self.classes:
            for start, end in members:
                text = self.text(start, end)
                yield f"regex: drop {text!r} from a character class", self.items[:start] + self.items[end:]

    def text(self, start: int, end: int) -> str:
        return "".join(ch if isinstance(ch, str) else "{" + ast.unparse(ch.value) + "}" for ch in self.items[start:end])


def string_items(node: ast.expr) -> list[Any] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return list(node.value)
    if isinstance(node, ast.JoinedStr):
        items: list[Any] = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                items += list(str(part.value))
            else:
                items.append(part)
        return items
    return None


def string_node(items: list[Any]) -> ast.expr:
    if all(isinstance(item, str) for item in items):
        return ast.Constant("".join(items))
    values: list[ast.expr] = []
    for item in items:
        if isinstance(item, str):
            if values and isinstance(values[-1], ast.Constant):
                values[-1] = ast.Constant(str(values[-1].value) + item)
            else:
                values.append(ast.Constant(item))
        else:
            values.append(item)
    return ast.JoinedStr(values)


WORD_LIST = re.compile(r"[a-z]+(?:\s+[a-z]+){4,}")
BARS = re.compile(r"[\w-]+(?:\|[\w-]+)+")


class Mutator:
    """Produces the varied sources of one module's selected assignments."""

    def __init__(self, module: Any, source: str, selected: list[str] | None, bodies: list[str]) -> None:
        self.namespace = vars(module)
        self.source = source
        self.data = source.encode()
        self.line_starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.tree = ast.parse(source)
        self.selected = selected
        self.bodies = bodies
        self._in_body = False

    def offset(self, line: int, col: int) -> int:
        return self.line_starts[line - 1] + col

    def segment(self, node: ast.AST) -> str:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return self.data[start:end].decode()

    def replace(self, node: ast.AST, text: str) -> str:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return (self.data[:start] + text.encode() + self.data[end:]).decode()

    def wanted(self, name: str) -> bool:
        if self.selected is None:
            return True
        owner = name.partition(".")[0]
        return name in self.selected or owner in self.selected

    def targets(self) -> Iterator[tuple[str, ast.AST]]:
        """(name, node) for every value to vary: assignments, dataclass defaults, listed function bodies."""
        for statement in self.tree.body:
            for name, value in self._assigned(statement):
                if self.wanted(name) and not self._alias(value):
                    yield name, value
            if isinstance(statement, ast.ClassDef) and not self._is_enum(statement.name):
                for inner in statement.body:
                    for name, value in self._assigned(inner):
                        qualified = f"{statement.name}.{name}"
                        if self.wanted(qualified):
                            yield qualified, value
                    if isinstance(inner, ast.FunctionDef) and f"{statement.name}.{inner.name}" in self.bodies:
                        yield f"{statement.name}.{inner.name}", inner
            if isinstance(statement, ast.FunctionDef) and statement.name in self.bodies:
                yield statement.name, statement

    @staticmethod
    def _assigned(statement: ast.stmt) -> Iterator[tuple[str, ast.expr]]:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                yield target.id, statement.value
        elif (
            isinstance(statement, ast.AnnAssign)
            and statement.value is not None
            and isinstance(statement.target, ast.Name)
        ):
            yield statement.target.id, statement.value

    def _alias(self, value: ast.expr) -> bool:
        """A tuple of other names (`ERRORS = (ValueError, KeyError)`): not a rule of the module.
        A tuple of enum members (an order of states) is one, and is varied."""
        if isinstance(value, ast.Tuple):
            return all(isinstance(e, ast.Name | ast.Attribute) and self.enum_of(e) is None for e in value.elts)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            return value.func.attr in ("getLogger",)
        return False

    def _is_enum(self, name: str) -> bool:
        value = self.namespace.get(name)
        return isinstance(value, type) and issubclass(value, enum.Enum)

    def enum_of(self, node: ast.expr) -> type[enum.Enum] | None:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = self.namespace.get(node.value.id)
            if isinstance(owner, type) and issubclass(owner, enum.Enum) and node.attr in owner.__members__:
                return owner
        return None

    def variants(self) -> Iterator[Variant]:
        for name, target in self.targets():
            for node, replacement, description in self._node_variants(target):
                line = getattr(node, "lineno", 0)
                yield Variant(name, line, description, self.replace(node, replacement))

    # Each yields (node whose source is replaced, the replacement's source, what changed).
    def _node_variants(self, root: ast.AST) -> Iterator[tuple[ast.AST, str, str]]:
        self._in_body = isinstance(root, ast.FunctionDef)
        for node, parent in self._walk(root, None):
            yield from self._variants_of(node, parent)

    def _walk(self, node: ast.AST, parent: ast.AST | None) -> Iterator[tuple[ast.AST, ast.AST | None]]:
        yield node, parent
        if isinstance(node, ast.JoinedStr):
            return  # varied as a whole: its parts are not patterns of their own
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr_context | ast.operator | ast.cmpop | ast.boolop | ast.unaryop):
                continue
            if isinstance(node, ast.FunctionDef) and child in (node.args, node.returns, *node.decorator_list):
                continue
            if isinstance(node, ast.FunctionDef) and isinstance(child, ast.Expr) and child is node.body[0]:
                continue  # the docstring
            yield from self._walk(child, node)

    def _variants_of(self, node: ast.AST, parent: ast.AST | None) -> Iterator[tuple[ast.AST, str, str]]:
        if isinstance(node, ast.Set | ast.Tuple | ast.List):
            yield from self._collection_variants(node)
        elif isinstance(node, ast.Dict):
            for k, key in enumerate(node.keys):
                changed = copy.deepcopy(node)
                del changed.keys[k]
                del changed.values[k]
                label = ast.unparse(key) if key is not None else "**"
                yield node, ast.unparse(changed), f"drop the entry {label}"
        elif isinstance(node, ast.Call):
            yield from self._call_variants(node)
        elif isinstance(node, ast.Attribute) and not isinstance(parent, ast.Set | ast.Tuple | ast.List):
            members = self.enum_of(node)
            if members is not None:
                names = list(members.__members__)
                swapped = names[(names.index(node.attr) + 1) % len(names)]
                base = ast.unparse(node.value)
                yield node, f"{base}.{swapped}", f"{base}.{node.attr} -> {base}.{swapped}"
        elif isinstance(node, ast.Constant):
            yield from self._constant_variants(node, parent)
        elif isinstance(node, ast.JoinedStr):
            yield from self._string_variants(node, regex=True)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            yield node, self.segment(node.left), f"drop '| {ast.unparse(node.right)}'"
            yield node, self.segment(node.right), f"drop '{ast.unparse(node.left)} |'"
        elif isinstance(node, ast.BinOp):
            swaps: dict[type[ast.operator], ast.operator] = {
                ast.Add: ast.Sub(),
                ast.Sub: ast.Add(),
                ast.Mult: ast.Div(),
                ast.Div: ast.Mult(),
                ast.FloorDiv: ast.Div(),
                ast.Mod: ast.FloorDiv(),
            }
            if type(node.op) in swaps:
                arithmetic = copy.deepcopy(node)
                arithmetic.op = swaps[type(node.op)]
                yield node, f"({ast.unparse(arithmetic)})", f"{ast.unparse(node)} -> {ast.unparse(arithmetic)}"
        elif isinstance(node, ast.Compare):
            yield from self._compare_variants(node)
        elif isinstance(node, ast.BoolOp):
            logic = copy.deepcopy(node)
            logic.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            yield node, f"({ast.unparse(logic)})", f"{ast.unparse(node)} -> {ast.unparse(logic)}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, f"({self.segment(node.operand)})", f"drop 'not' in {ast.unparse(node)}"

    def _collection_variants(self, node: ast.Set | ast.Tuple | ast.List) -> Iterator[tuple[ast.AST, str, str]]:
        for k, element in enumerate(node.elts):
            changed = copy.deepcopy(node)
            del changed.elts[k]
            text = ast.unparse(changed) if changed.elts or not isinstance(node, ast.Set) else "set()"
            if isinstance(node, ast.Tuple) and len(changed.elts) == 1:
                text = f"({ast.unparse(changed.elts[0])},)"
            yield node, text, f"drop {shorten(ast.unparse(element))}"
        if isinstance(node, ast.Set) and node.elts:
            members = self.enum_of(node.elts[0])
            if members is not None:
                present = {e.attr for e in node.elts if isinstance(e, ast.Attribute)}
                base = ast.unparse(node.elts[0].value)  # type: ignore[attr-defined]
                for member in members.__members__:
                    if member not in present:
                        text = "{" + ", ".join([*(ast.unparse(e) for e in node.elts), f"{base}.{member}"]) + "}"
                        yield node, text, f"add {base}.{member} to {shorten(ast.unparse(node))}"

    def _call_variants(self, node: ast.Call) -> Iterator[tuple[ast.AST, str, str]]:
        for k, keyword in enumerate(node.keywords):
            if keyword.arg is None:
                continue
            changed = copy.deepcopy(node)
            del changed.keywords[k]
            yield node, ast.unparse(changed), f"drop {keyword.arg}= in {shorten(ast.unparse(node))}"
        if self._in_body:  # in a function body, each argument passed as None instead
            for k, arg in enumerate(node.args):
                if not isinstance(arg, ast.Starred):
                    changed = copy.deepcopy(node)
                    changed.args[k] = ast.Constant(None)
                    yield node, ast.unparse(changed), f"{ast.unparse(arg)} -> None in {shorten(ast.unparse(node))}"
        func = ast.unparse(node.func)
        if func == "re.compile" and len(node.args) > 1:
            changed = copy.deepcopy(node)
            del changed.args[1:]
            yield node, ast.unparse(changed), f"drop the flags {ast.unparse(node.args[1])}"

    def _constant_variants(self, node: ast.Constant, parent: ast.AST | None) -> Iterator[tuple[ast.AST, str, str]]:
        value = node.value
        if isinstance(value, bool):
            yield node, repr(not value), f"{value} -> {not value}"
        elif isinstance(value, int):
            for other in (value + 1, value - 1):
                if other >= 0:
                    yield node, repr(other), f"{value} -> {other}"
        elif isinstance(value, str):
            if isinstance(parent, ast.Expr):
                return  # a docstring
            is_regex = self.segment(node).lstrip("bBuU").lower().startswith(("r", "fr"))
            if isinstance(parent, ast.Call) and ast.unparse(parent.func) == "re.compile":
                is_regex = True
            yield from self._string_variants(node, regex=is_regex)

    def _string_variants(
        self, node: ast.Constant | ast.JoinedStr, *, regex: bool
    ) -> Iterator[tuple[ast.AST, str, str]]:
        items = string_items(node)
        if items is None:
            return
        text = "".join(ch for ch in items if isinstance(ch, str))
        if isinstance(node, ast.Constant) and WORD_LIST.fullmatch(text.strip()):
            words = text.split()
            for k, word in enumerate(words):
                rest = " ".join(words[:k] + words[k + 1 :])
                yield node, repr(rest), f"drop the word {word!r}"
        elif regex or (isinstance(node, ast.Constant) and BARS.fullmatch(text)):
            for description, changed in Regex(items).variants():
                yield node, ast.unparse(string_node(changed)), description
        elif isinstance(node, ast.Constant):
            if 0 < len(text) <= 4 and not text.isspace():  # a mask character, a set of signs
                for k, ch in enumerate(text):
                    yield node, repr(text[:k] + text[k + 1 :]), f"drop {ch!r} from {text!r}"
            if len(text) != 4:
                yield node, repr("XX" + text + "XX"), f"{shorten(repr(text))} -> 'XX...XX'"

    def _compare_variants(self, node: ast.Compare) -> Iterator[tuple[ast.AST, str, str]]:
        opposite: dict[type[ast.cmpop], ast.cmpop] = {
            ast.Eq: ast.NotEq(),
            ast.NotEq: ast.Eq(),
            ast.Is: ast.IsNot(),
            ast.IsNot: ast.Is(),
            ast.In: ast.NotIn(),
            ast.NotIn: ast.In(),
            ast.Lt: ast.LtE(),
            ast.LtE: ast.Lt(),
            ast.Gt: ast.GtE(),
            ast.GtE: ast.Gt(),
        }
        for k, op in enumerate(node.ops):
            changed = copy.deepcopy(node)
            changed.ops[k] = opposite[type(op)]
            yield node, f"({ast.unparse(changed)})", f"{ast.unparse(node)} -> {ast.unparse(changed)}"


def shorten(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


# --- module-level values: running the tests against each variant -------------------------------------


def _run_variant(module: Any, source: str | None, tests: list[str]) -> int:
    """In a forked child: put the varied source in place of the module's, run the tests; their exit code."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        if source is not None:
            exec(compile(source, module.__file__, "exec"), vars(module))
        from importlib.metadata import entry_points

        import pytest

        unused = [f"no:{p.name}" for p in entry_points(group="pytest11") if p.name not in KEEP_PLUGINS]
        options = ["-x", "-q", "-p", "no:cacheprovider", *(arg for name in unused for arg in ("-p", name))]
        code = int(pytest.main([*tests, *options]))
    except BaseException:  # a variant that cannot even be imported is caught too
        code = 1
    finally:
        os._exit(code)


def run_variants(
    module: Any, variants: list[Variant], tests: list[str], workers: int, timeout: float
) -> list[tuple[Variant, str]]:
    """Each variant with its outcome: killed, survived or timeout."""
    pending = list(enumerate(variants))
    running: dict[int, tuple[int, float]] = {}
    outcomes: dict[int, str] = {}
    while pending or running:
        while pending and len(running) < workers:
            index, variant = pending.pop(0)
            running[_run_variant(module, variant.source, tests)] = (index, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            for child, (index, started) in list(running.items()):
                if time.monotonic() - started > timeout:
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
                    outcomes[index] = "timeout"
                    del running[child]
            time.sleep(0.01)
            continue
        if pid not in running:
            continue
        index, _ = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        outcomes[index] = "survived" if code == 0 else "killed"
    return [(variant, outcomes[index]) for index, variant in enumerate(variants)]


def setup_django() -> None:
    """Django and pytest's plugins loaded once here, so that every forked run starts with them."""
    os.chdir(ROOT)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from importlib.metadata import entry_points

    for plugin in entry_points(group="pytest11"):
        try:
            plugin.load()
        except Exception:  # a plugin that cannot load here is left to pytest to report
            continue
    for name in ("pytest", "faker", "factory", "hypothesis", "accounts.tests.factories"):
        importlib.import_module(name)


def names_without_variants(module: Module, variants: list[Variant]) -> list[str]:
    """The listed tables and bodies none of the variants changes."""
    varied = {v.name for v in variants} | {v.name.partition(".")[0] for v in variants}
    return [name for name in [*(module.tables or []), *module.bodies] if name not in varied]


def run_tables(module: Module, workers: int) -> Tally:
    started = time.monotonic()
    setup_django()
    imported = importlib.import_module(module.dotted)
    source = (ROOT / module.path).read_text()
    variants = list(Mutator(imported, source, module.tables, module.bodies).variants())
    tally = Tally(no_mutants=names_without_variants(module, variants))
    if not variants:
        tally.seconds = time.monotonic() - started
        return tally
    clean_started = time.monotonic()
    _, status = os.waitpid(_run_variant(imported, source, module.tests), 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"the tests of {module.path} fail on the unchanged module: {' '.join(module.tests)}")
    timeout = 10 * (time.monotonic() - clean_started) + 10
    for variant, outcome in run_variants(imported, variants, module.tests, workers, timeout):
        tally.mutants += 1
        if outcome == "survived":
            tally.survivors.append(f"{module.path}:{variant.line} {variant.name}: {variant.description}")
        else:
            tally.killed += 1
    tally.seconds = time.monotonic() - started
    return tally


# --- the command ----------------------------------------------------------------------------------------


def tests_pass(module: Module) -> bool:
    """Run the module's tests once as they are: mutants mean nothing while they fail."""
    command = [str(ROOT / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", *module.tests]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"The tests of {module.path} fail before any mutation:")
        print("\n".join((result.stdout + result.stderr).splitlines()[-25:]))
    return result.returncode == 0


def summary_line(label: str, tally: Tally) -> str:
    return (
        f"{label:<34} {tally.mutants:>7} {tally.killed:>7} {tally.survived:>8} {tally.score:>6.1f}% "
        f"{tally.seconds:>7.0f}s"
    )


def summary_rows(path: str, functions: Tally, tables: Tally) -> list[str]:
    """The module's rows of the summary: in total, per kind, and what yields no mutants."""
    rows = [
        summary_line(path, functions.add(tables)),
        summary_line("  functions (mutmut)", functions),
        summary_line("  tables and constants", tables),
    ]
    if functions.no_mutants or tables.no_mutants:
        rows.append(f"  no mutants: {', '.join([*functions.no_mutants, *tables.no_mutants])}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("modules", nargs="*", help="paths as in scripts/mutation.toml (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--list", action="store_true", help="print the module-level variants and exit")
    args = parser.parse_args(argv)
    modules, threshold = load_config()
    chosen = [m for m in modules if not args.modules or m.path in args.modules]
    unknown = set(args.modules) - {m.path for m in modules}
    if unknown:
        parser.error(f"not in scripts/mutation.toml: {', '.join(sorted(unknown))}")
    for module in chosen:
        undefined = undefined_functions(module, (ROOT / module.path).read_text())
        if undefined:
            parser.error(f"scripts/mutation.toml lists what {module.path} does not define: {', '.join(undefined)}")

    if args.list:
        setup_django()
        for module in chosen:
            imported = importlib.import_module(module.dotted)
            mutator = Mutator(imported, (ROOT / module.path).read_text(), module.tables, module.bodies)
            for variant in mutator.variants():
                print(f"{module.path}:{variant.line} {variant.name}: {variant.description}")
        return 0

    header = f"{'module':<34} {'mutants':>7} {'killed':>7} {'survived':>8} {'score':>7} {'time':>8}"
    rows: list[str] = []
    failing = []
    report = io.StringIO()
    for module in chosen:
        print(f"== {module.path}: its tests, unchanged", flush=True)
        if not tests_pass(module):
            rows.append(f"{module.path:<34} its tests fail: no mutation run")
            failing.append(module.path)
            continue
        print(f"== {module.path}: functions (mutmut)", flush=True)
        functions = run_mutmut(module, args.workers)
        print(f"== {module.path}: tables", flush=True)
        tables = run_tables(module, args.workers)
        total = functions.add(tables)
        rows += summary_rows(module.path, functions, tables)
        if total.score < threshold:
            failing.append(module.path)
        for survivor in total.survivors:
            report.write(f"{module.path}: {survivor}\n")
    print()
    print(header)
    print("\n".join(rows))
    survivors = report.getvalue()
    if survivors:
        print("\nSurvivors (mutmut's: `cd var/mutation/<module> && ../../../.venv/bin/mutmut show NAME`):")
        print(survivors, end="")
    if failing:
        print(f"\nBelow {threshold:.0f}%: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
