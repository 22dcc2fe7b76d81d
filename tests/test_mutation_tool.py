"""scripts/mutation.py: the variants it makes of module-level values, and how it names mutmut's mutants."""

import importlib.util
import sys
import types
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "mutation.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("mutation_tool", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation_tool"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["mutation_tool"]


SOURCE = """
import enum
import re
from dataclasses import dataclass


class Colour(enum.StrEnum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


WARM = frozenset({Colour.RED})
NAMES = {Colour.RED: "warm", Colour.BLUE: "cold"}
LIMIT = 2
SEP = r"[ .]"
PATTERN = re.compile(rf"a(?:b|c){SEP}", re.IGNORECASE)
WORDS = "one two three four five"


@dataclass
class Row:
    kind: Colour = Colour.GREEN
    on: bool = False
"""


def variants(tool, source=SOURCE, selected=None, bodies=()):
    module = types.ModuleType("sample")
    exec(compile(source, "sample.py", "exec"), vars(module))
    return [(v.name, v.description) for v in tool.Mutator(module, source, selected, list(bodies)).variants()]


def test_each_kind_of_value_gets_its_variants(tool):
    assert variants(tool) == [
        ("WARM", "drop Colour.RED"),
        ("WARM", "add Colour.GREEN to {Colour.RED}"),
        ("WARM", "add Colour.BLUE to {Colour.RED}"),
        ("NAMES", "drop the entry Colour.RED"),
        ("NAMES", "drop the entry Colour.BLUE"),
        ("NAMES", "Colour.RED -> Colour.GREEN"),
        ("NAMES", "Colour.BLUE -> Colour.RED"),
        ("NAMES", "drop 'w' from 'warm'"),
        ("NAMES", "drop 'a' from 'warm'"),
        ("NAMES", "drop 'r' from 'warm'"),
        ("NAMES", "drop 'm' from 'warm'"),
        ("NAMES", "drop 'c' from 'cold'"),
        ("NAMES", "drop 'o' from 'cold'"),
        ("NAMES", "drop 'l' from 'cold'"),
        ("NAMES", "drop 'd' from 'cold'"),
        ("LIMIT", "2 -> 3"),
        ("LIMIT", "2 -> 1"),
        ("SEP", "regex: drop ' ' from a character class"),
        ("SEP", "regex: drop '.' from a character class"),
        ("PATTERN", "drop the flags re.IGNORECASE"),
        ("PATTERN", "regex: drop the alternative 'b'"),
        ("PATTERN", "regex: drop the alternative 'c'"),
        ("WORDS", "drop the word 'one'"),
        ("WORDS", "drop the word 'two'"),
        ("WORDS", "drop the word 'three'"),
        ("WORDS", "drop the word 'four'"),
        ("WORDS", "drop the word 'five'"),
        ("Row.kind", "Colour.GREEN -> Colour.BLUE"),
        ("Row.on", "False -> True"),
    ]


def test_a_variant_is_the_whole_module_with_one_value_changed(tool):
    module = types.ModuleType("sample")
    exec(compile(SOURCE, "sample.py", "exec"), vars(module))
    found = {v.description: v.source for v in tool.Mutator(module, SOURCE, ["PATTERN", "WARM"], []).variants()}
    assert set(found) == {
        "drop Colour.RED",
        "add Colour.GREEN to {Colour.RED}",
        "add Colour.BLUE to {Colour.RED}",
        "drop the flags re.IGNORECASE",
        "regex: drop the alternative 'b'",
        "regex: drop the alternative 'c'",
    }
    assert "WARM = frozenset(set())" in found["drop Colour.RED"]
    assert "WARM = frozenset({Colour.RED, Colour.BLUE})" in found["add Colour.BLUE to {Colour.RED}"]
    assert "PATTERN = re.compile(f'a(?:b){SEP}', re.IGNORECASE)" in found["regex: drop the alternative 'c'"]
    assert "PATTERN = re.compile(f'a(?:b|c){SEP}')" in found["drop the flags re.IGNORECASE"]
    changed = types.ModuleType("sample")
    exec(compile(found["regex: drop the alternative 'c'"], "sample.py", "exec"), vars(changed))
    assert changed.PATTERN.pattern == "a(?:b)[ .]"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("a|bc", ["bc", "a"]),
        ("x(?:ab|cd)y", ["x(?:cd)y", "x(?:ab)y"]),
        ("(?<![\\d+])z", ["(?<![+])z", "(?<![\\d])z"]),
        ("[A-Z\\u00a0-]", ["[\\u00a0-]", "[A-Z-]", "[A-Z\\u00a0]"]),
        ("(?i:rue|via)\\b", ["(?i:via)\\b", "(?i:rue)\\b"]),
        ("[a]b", []),
    ],
)
def test_regex_variants_drop_one_alternative_or_one_class_member(tool, pattern, expected):
    found = ["".join(items) for _, items in tool.Regex(list(pattern)).variants()]
    assert found == expected


def test_decorated_function_bodies_are_varied_when_listed(tool):
    source = "import functools\n\n@functools.cache\ndef big(n):\n    return n >= 7 and n != 9\n"
    assert variants(tool, source, selected=[], bodies=["big"]) == [
        ("big", "n >= 7 and n != 9 -> n >= 7 or n != 9"),
        ("big", "n >= 7 -> n > 7"),
        ("big", "7 -> 8"),
        ("big", "7 -> 6"),
        ("big", "n != 9 -> n == 9"),
        ("big", "9 -> 10"),
        ("big", "9 -> 8"),
    ]


def test_mutmut_names_of_the_configured_functions(tool):
    module = tool.Module(path="complaints/figures.py", tests=[], functions=["_median", "BusinessFigures.count"])
    assert tool.mutmut_globs(module) == [
        "complaints.figures.x__median__mutmut_*",
        "complaints.figures.x\u01c1BusinessFigures\u01c1count__mutmut_*",
    ]
    assert tool.mutmut_globs(tool.Module(path="complaints/workflow.py", tests=[])) == ["complaints.workflow.x*"]


def test_the_configured_modules_exist_with_their_tests(tool):
    root = SCRIPT.parent.parent
    modules, threshold = tool.load_config()
    assert threshold == 90
    assert [m.path for m in modules] == [
        "complaints/workflow.py",
        "complaints/redaction.py",
        "complaints/deadlines.py",
        "complaints/figures.py",
        "complaints/publication.py",
        "complaints/permissions.py",
        "core/replies.py",
    ]
    for module in modules:
        assert (root / module.path).is_file()
        assert all((root / test).is_file() for test in module.tests)


def test_the_score_counts_killed_mutants(tool):
    tally = tool.Tally(mutants=40, killed=37, seconds=12.0)
    assert (tally.survived, tally.score) == (3, 92.5)
    assert tool.summary_line("x.py", tally).split() == ["x.py", "40", "37", "3", "92.5%", "12s"]
    assert tool.Tally().score == 100.0


def test_a_listed_function_without_mutants_is_reported_not_counted(tool):
    module = tool.Module(path="core/replies.py", tests=[], functions=["reply_token", "case_thread_id"])
    codes = {
        "core.replies.x_reply_token__mutmut_1": 1,
        "core.replies.x_reply_token__mutmut_2": 0,
        "core.replies.x_reply_token__mutmut_3": 36,
        "core.replies.x_token_read__mutmut_1": 0,  # not listed: left out
    }
    tally = tool.mutmut_tally(module, codes)
    assert (tally.mutants, tally.killed) == (3, 2)
    assert tally.survivors == ["core.replies.x_reply_token__mutmut_2 (survived)"]
    assert tally.no_mutants == ["case_thread_id"]
    everything = tool.mutmut_tally(tool.Module(path="core/replies.py", tests=[]), {})
    assert (everything.mutants, everything.no_mutants) == (0, ["(every function)"])


def test_listed_tables_and_bodies_without_variants_are_reported(tool):
    module = tool.Module(path="x.py", tests=[], tables=["WARM", "Row", "EMPTY"], bodies=["big", "small"])
    found = [tool.Variant(name, 1, "", "") for name in ("WARM", "Row.kind", "big")]
    assert tool.names_without_variants(module, found) == ["EMPTY", "small"]


def test_the_summary_names_what_yields_no_mutants(tool):
    functions = tool.Tally(mutants=4, killed=4, seconds=3.0, no_mutants=["case_thread_id"])
    tables = tool.Tally(mutants=2, killed=1, seconds=1.0, survivors=["x"], no_mutants=["EMPTY"])
    rows = tool.summary_rows("core/replies.py", functions, tables)
    assert [row.split() for row in rows] == [
        ["core/replies.py", "6", "5", "1", "83.3%", "4s"],
        ["functions", "(mutmut)", "4", "4", "0", "100.0%", "3s"],
        ["tables", "and", "constants", "2", "1", "1", "50.0%", "1s"],
        ["no", "mutants:", "case_thread_id,", "EMPTY"],
    ]
    assert len(tool.summary_rows("a.py", tool.Tally(), tool.Tally())) == 3


def test_a_listed_name_the_module_does_not_define_is_a_mistake(tool):
    source = "def f():\n    pass\n\n\nclass C:\n    def m(self):\n        pass\n"
    assert tool.defined_functions(source) == {"f", "C.m"}
    module = tool.Module(path="x.py", tests=[], functions=["f", "C.m", "g"], bodies=["C.n"])
    assert tool.undefined_functions(module, source) == ["C.n", "g"]


def test_mutmut_on_functions_without_mutants_reports_them_instead_of_stopping(tool, monkeypatch, tmp_path):
    # mutmut itself stops (exit 1, "nothing matches") when none of the names it is given has a
    # mutant: case_thread_id returns an f-string, which mutmut does not vary.
    monkeypatch.setattr(tool, "SCRATCH", tmp_path)
    module = tool.Module(path="core/replies.py", tests=["core/tests/test_replies.py"], functions=["case_thread_id"])
    tally = tool.run_mutmut(module, workers=1)
    assert (tally.mutants, tally.killed, tally.survivors, tally.no_mutants) == (0, 0, [], ["case_thread_id"])
    assert tool.run_mutmut(tool.Module(path="core/replies.py", tests=[], functions=[]), workers=1).mutants == 0


def test_a_tuple_of_enum_members_is_varied_and_a_tuple_of_other_names_is_not(tool):
    source = (
        "import enum\n\n\nclass Colour(enum.Enum):\n    RED = 1\n    BLUE = 2\n\n\n"
        "ORDER = (Colour.RED, Colour.BLUE)\nERRORS = (ValueError, KeyError)\n"
    )
    assert [v for v in variants(tool, source) if v[0] in ("ORDER", "ERRORS")] == [
        ("ORDER", "drop Colour.RED"),
        ("ORDER", "drop Colour.BLUE"),
    ]
