"""The JSON-image rule on runtime annotations (docs/design.md, "The one rule").

A task function receives ``json.loads(json.dumps(normalize_json(value)))`` for
each argument: its JSON image. ``classify`` lifts that to an annotation ``T``:
either every value of ``T`` arrives as a ``T`` (what arrives is what the function
declares), or it arrives as another type (lossy), or Django cannot serialize it
at all, or the rule cannot judge (``Any``, ``object``).

"Arrives as a ``T``" takes two things. The image must fit ``T`` (``fits``: the
worker's containers are fresh, so they compare covariantly, and a
``list[list[int]]`` is a fine ``list[Sequence[int]]``). And every declared
alternative must be able to arrive: in ``int | Level`` a Level member arrives as
an int, which fits the union, yet ``x is Level.HIGH`` silently changes in the
worker (``lossy_image``).

Annotations are first parsed into a small tree of ``Node`` objects (``nodes``,
which also spells them as mypy spells types); the image (``image``), the subtype
and fit relations (``fit``) and the verdicts (``classify``) are functions over
that tree. What has no image, and what to do instead, is read from
``typed_tasks.rule_table``, as the plugin reads it. ``typed_tasks.validation`` compiles the
same tree into value checkers, so both sides read one parse. The mypy plugin's
twin is ``mypy_plugin.image`` and ``mypy_plugin.fit``; ``tests/rule_vectors.py``
keeps the two in step.
"""

from typed_tasks.rule.fit import fits, is_subtype
from typed_tasks.rule.imaging import Refusal, image, key_image, lossy_image, union_of
from typed_tasks.rule.judge import classify, classify_return, to_annotation
from typed_tasks.rule.nodes import (
    ANY,
    DICT_ORIGINS,
    INT,
    LIST_ORIGINS,
    NEVER,
    STR,
    AliasNode,
    AnyNode,
    EnumNode,
    LiteralNode,
    MappingNode,
    NamedNode,
    NamedTupleNode,
    Node,
    OpaqueNode,
    ScalarNode,
    SequenceNode,
    TupleNode,
    TypedDictNode,
    UnionNode,
    describe,
    describe_node,
    expand_alias,
    is_recursive,
    kind_of_class,
    named_tuple_items,
    parse,
    reachable,
    typed_dict_items,
)
from typed_tasks.rule.verdicts import Lossy, NotSerializable, Serializable, Unknown, Verdict

__all__ = [
    "ANY",
    "DICT_ORIGINS",
    "INT",
    "LIST_ORIGINS",
    "NEVER",
    "STR",
    "AliasNode",
    "AnyNode",
    "EnumNode",
    "LiteralNode",
    "Lossy",
    "MappingNode",
    "NamedNode",
    "NamedTupleNode",
    "Node",
    "NotSerializable",
    "OpaqueNode",
    "Refusal",
    "ScalarNode",
    "SequenceNode",
    "Serializable",
    "TupleNode",
    "TypedDictNode",
    "UnionNode",
    "Unknown",
    "Verdict",
    "classify",
    "classify_return",
    "describe",
    "describe_node",
    "expand_alias",
    "fits",
    "image",
    "is_recursive",
    "is_subtype",
    "key_image",
    "kind_of_class",
    "lossy_image",
    "named_tuple_items",
    "parse",
    "reachable",
    "to_annotation",
    "typed_dict_items",
    "union_of",
]
