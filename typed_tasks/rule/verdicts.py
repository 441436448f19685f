"""What the rule says of an annotation: the four verdicts."""

from __future__ import annotations

from dataclasses import dataclass

from typed_tasks import rule_table

# -- verdicts ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Serializable:
    """Every value of the annotation arrives in the worker as an instance of it."""

    annotation: object


@dataclass(frozen=True, slots=True)
class Lossy:
    """Values arrive in the worker as ``image``, which is not the annotation."""

    annotation: object
    image: object


@dataclass(frozen=True, slots=True)
class NotSerializable:
    """Django raises at enqueue for values of this annotation.

    ``culprit`` spells the part of the annotation that has no image (the whole of it when
    ``whole``), of ``kind`` (``typed_tasks.rule_table``).
    """

    annotation: object
    reason: str
    kind: str
    culprit: str
    whole: bool

    def advice(self, subject: str | None, role: str) -> str:
        """What to do instead, as the mypy plugin words it (``rule_table.advice``)."""
        culprit = f'"{self.culprit}"'
        return rule_table.advice(self.kind, culprit, whole=self.whole, subject=subject, role=role)

    @property
    def hint(self) -> str:
        """The advice for a value that is not named."""
        return self.advice("value", "arg")


@dataclass(frozen=True, slots=True)
class Unknown:
    """The rule cannot judge: ``Any``, ``object``, unresolvable forward references."""

    annotation: object


Verdict = Serializable | Lossy | NotSerializable | Unknown
