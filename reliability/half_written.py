"""Half-written variants of a module: what an editor holds while someone types.

Every variant is a prefix of the source, cut at a line or at any character and then
closed just enough to compile (open brackets closed, an empty block given ``...``), or
the source with one line deleted. Variants that still do not compile are syntax errors,
which mypy reports as blocking errors before any plugin runs.
"""

from collections.abc import Iterator

CLOSERS = {"(": ")", "[": "]", "{": "}"}


def compiles(source: str) -> bool:
    try:
        compile(source, "<variant>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def close_brackets(prefix: str) -> str:
    """``prefix`` with its open brackets closed (a naive scan that ignores strings)."""
    stack: list[str] = []
    for character in prefix:
        if character in CLOSERS:
            stack.append(CLOSERS[character])
        elif stack and character == stack[-1]:
            stack.pop()
    return prefix + "".join(reversed(stack))


def give_empty_block_a_body(source: str) -> str:
    lines = source.rstrip().splitlines()
    if not lines or not lines[-1].rstrip().endswith(":"):
        return source
    indent = len(lines[-1]) - len(lines[-1].lstrip())
    return source.rstrip() + "\n" + " " * (indent + 4) + "...\n"


def repaired(prefix: str) -> str:
    return give_empty_block_a_body(close_brackets(prefix.rstrip("\\")))


def variants(source: str) -> Iterator[str]:
    """Every distinct half-written variant of ``source``, in a stable order."""
    seen: set[str] = set()
    lines = source.splitlines(keepends=True)
    candidates: list[str] = []
    for cut in range(1, len(source)):
        candidates.append(repaired(source[:cut]))
    for index in range(len(lines)):
        candidates.append("".join(lines[:index] + lines[index + 1 :]))
    for candidate in candidates:
        if candidate not in seen:
            seen.add(candidate)
            yield candidate


def split_by_syntax(source: str) -> tuple[list[str], list[str]]:
    """(variants that compile, variants that do not)."""
    valid: list[str] = []
    invalid: list[str] = []
    for variant in variants(source):
        (valid if compiles(variant) else invalid).append(variant)
    return valid, invalid
