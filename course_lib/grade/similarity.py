"""Answers that are the reference's, or another student's, with the names changed.

For the lecturer only (the CSV's ``similarity`` column and the summary, never the student's
feedback file), and never a zero by itself: two short answers may agree by chance, and a
learner may have worked with the notebook's text open. Each auto-graded answer is
*normalized*: parsed, docstrings dropped (comments never reach the tree), every name the
answer binds or reads (arguments, variables, its own helpers) renamed in order of first
appearance, except the names the exercise asks for (``newton_step``), ``np`` and builtins;
attributes (``np.linalg.solve``) and constants are kept. Two answers' similarity is
difflib's ratio of their normalized trees as token sequences (1.0: the same program up to
names, layout and comments). At ``THRESHOLD`` (0.95) or above an answer is flagged, e.g.
"same as the reference (0.98)" or "same as student bob (0.96)" (one student over the
threshold, the likeliest first, which keeps the cost linear for a class of near-copies).
Answers of fewer than ``MIN_TOKENS`` (250) tokens, or more than ``MAX_TOKENS``, are not
compared: a number, or a one-line formula such as 07's
Newton step (about 200), is the same in every honest answer. Answers written from the same
pseudocode are close too (notebook 07's two-loop recursion with its loops swapped scores
0.98 against the reference): the flag asks the lecturer to look, nothing more.
Submissions are all read before grading, so this runs up front, once per exercise.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import Counter
from difflib import SequenceMatcher

THRESHOLD = 0.95
MIN_TOKENS = 250
MAX_TOKENS = 8_000    # 8 times the longest reference (1,046): aligning costs tokens squared
MAX_CHARACTERS = 50_000    # 78 times the longest reference (643): parsing costs 2 µs each
KEPT = frozenset(dir(builtins)) | {"np", "numpy"}
TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|-?\d+\.?\d*(?:e-?\d+)?|'[^']*'|\S")


class _Renamer(ast.NodeTransformer):
    def __init__(self, kept):
        self.kept, self.names = kept, {}

    def new(self, name: str) -> str:
        if name in self.kept:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node):
        node.id = self.new(node.id)
        return node

    def visit_arg(self, node):
        node.arg, node.annotation = self.new(node.arg), None
        return node

    def visit_FunctionDef(self, node):
        node.name, node.returns = self.new(node.name), None
        _drop_docstring(node)
        self.generic_visit(node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        node.name = self.new(node.name)
        _drop_docstring(node)
        self.generic_visit(node)
        return node

    def visit_alias(self, node):
        if node.asname:
            node.asname = self.new(node.asname)
        return node


def _drop_docstring(node) -> None:
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        node.body = body[1:] or [ast.Pass()]


def normalize(source: str, kept=()) -> tuple:
    """The answer as a tuple of tokens of its normalized tree; () if it does not parse or is
    nested too deep to walk; () too for a source over ``MAX_CHARACTERS`` (not compared)."""
    if len(source) > MAX_CHARACTERS:
        return ()
    try:
        tree = ast.parse(source)
        _drop_docstring(tree)
        tree = _Renamer(KEPT | set(kept)).visit(tree)
        return tuple(TOKEN.findall(ast.dump(tree, annotate_fields=False)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()


def similarity(a: tuple, b: tuple) -> float:
    """difflib's ratio of two normalized answers (0 for an empty one)."""
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < THRESHOLD or matcher.quick_ratio() < THRESHOLD:
        return matcher.quick_ratio()
    return matcher.ratio()


def _bound(a: Counter, b: Counter, length: int) -> float:
    """quick_ratio's upper bound on the ratio, from token counts (no alignment)."""
    return 2.0 * sum((a & b).values()) / length if length else 0.0


def closest(i: int, answers: list, aligned: dict) -> tuple:
    """(ratio, name) of the first other answer at ``THRESHOLD`` or above, the likeliest
    first; (0.0, "") if none. ``answers``: [(name, tokens, Counter(tokens))]; ``aligned``
    remembers each pair's ratio for the other's turn. Candidates are ordered by the counts'
    upper bound and aligned only while that bound reaches the threshold, and an identical
    answer needs no alignment: a class of near-copies costs about one alignment per
    answer, not one per pair."""
    _, tokens, counts = answers[i]
    bounds = sorted(((_bound(counts, count, len(tokens) + len(other)), j)
                     for j, (_, other, count) in enumerate(answers) if j != i), reverse=True)
    for bound, j in bounds:
        if bound < THRESHOLD:
            break
        pair = min(i, j), max(i, j)
        if pair not in aligned:
            other = answers[j][1]
            aligned[pair] = 1.0 if other == tokens else similarity(tokens, other)
        if aligned[pair] >= THRESHOLD:
            return aligned[pair], answers[j][0]
    return 0.0, ""


def flags(submissions, exercises: dict) -> dict:
    """{(student, notebook, exercise): "same as the reference (0.98); same as student bob
    (0.96)"} for every auto-graded answer at ``THRESHOLD`` or above; others are absent.
    ``exercises``: {notebook: [Exercise]} (with the instructor's ``solution``)."""
    found: dict = {}
    for notebook, listed in exercises.items():
        for ex in listed:
            if ex.kind != "auto":
                continue
            kept = set(ex.names) | {ex.name}
            reference = normalize(ex.solution, kept)
            answers = []
            for sub in submissions:
                source = sub.answers.get(ex.name) if sub.notebook == notebook else None
                if isinstance(source, str) and ex.name not in sub.untouched:
                    tokens = normalize(source, kept)
                    if MIN_TOKENS <= len(tokens) <= MAX_TOKENS:
                        answers.append((sub.student, tokens, Counter(tokens)))
            aligned: dict = {}
            for i, (student, tokens, _) in enumerate(answers):
                notes = []
                to_reference = similarity(tokens, reference)
                if to_reference >= THRESHOLD:
                    notes.append(f"same as the reference ({to_reference:.2f})")
                ratio, other = closest(i, answers, aligned)
                if other:
                    notes.append(f"same as student {other} ({ratio:.2f})")
                if notes:
                    found[student, notebook, ex.name] = "; ".join(notes)
    return found
