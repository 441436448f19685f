"""No task here: discovery reads this source and does not import it."""

raise RuntimeError("helpers must not be imported by discovery")
