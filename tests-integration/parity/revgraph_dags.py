"""Seeded random revision histories and the identifiers worth asking about them.

One seed gives one history (forks, merges of two or three heads, several bases, branch
labels, ``depends_on`` on ids and on labels, ids that share prefixes, 1 to 40 revisions,
listed in a shuffled order as files are), the database states it can be in, and the
targets a user could type. Nothing here knows either implementation: the parity test
builds Alembic's map and ours from the same specs.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

HEX = "0123456789abcdef"
HEX_LETTERS = "abcdef"
# A few shared starts so some prefixes are ambiguous and some unique ones are short.
PREFIX_FAMILIES = ("ab", "abc", "abc1", "abc12", "f00d", "f00d5", "9e")


@dataclass(frozen=True)
class RevSpec:
    """One revision header, as plain data."""

    revision: str
    down_revision: None | str | tuple[str, ...]
    branch_labels: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()

    @property
    def downs(self) -> tuple[str, ...]:
        if self.down_revision is None:
            return ()
        if isinstance(self.down_revision, str):
            return (self.down_revision,)
        return self.down_revision

    def as_code(self) -> str:
        args = [repr(self.revision), repr(self.down_revision)]
        if self.branch_labels:
            args.append(f"branch_labels={self.branch_labels!r}")
        if self.depends_on:
            args.append(f"depends_on={self.depends_on!r}")
        return f"({', '.join(args)})"


@dataclass(frozen=True)
class Dag:
    """A history in load order, with the facts the query builders need."""

    seed: int
    revisions: tuple[RevSpec, ...]

    @cached_property
    def ids(self) -> list[str]:
        return [r.revision for r in self.revisions]

    @cached_property
    def labels(self) -> dict[str, str]:
        """Declared label -> the revision declaring it."""
        return {label: r.revision for r in self.revisions for label in r.branch_labels}

    def by_id(self) -> dict[str, RevSpec]:
        return self._by_id

    @cached_property
    def _by_id(self) -> dict[str, RevSpec]:
        return {r.revision: r for r in self.revisions}

    def resolved_depends(self, spec: RevSpec) -> tuple[str, ...]:
        labels = self.labels
        return tuple(labels.get(d, d) for d in spec.depends_on)

    def ancestors(self, starts: Iterable[str], dependencies: bool = True) -> set[str]:
        """``starts`` and everything below them (through depends_on too by default)."""
        by_id = self.by_id()
        seen: set[str] = set()
        stack = list(starts)
        while stack:
            rev_id = stack.pop()
            if rev_id in seen:
                continue
            seen.add(rev_id)
            spec = by_id[rev_id]
            stack.extend(spec.downs)
            if dependencies:
                stack.extend(self.resolved_depends(spec))
        return seen

    def descendants(self, starts: Iterable[str]) -> set[str]:
        """``starts`` and everything that builds on them, by down_revision or depends_on."""
        above: dict[str, list[str]] = {}
        for spec in self.revisions:
            for below in (*spec.downs, *self.resolved_depends(spec)):
                above.setdefault(below, []).append(spec.revision)
        seen: set[str] = set()
        stack = list(starts)
        while stack:
            rev_id = stack.pop()
            if rev_id not in seen:
                seen.add(rev_id)
                stack.extend(above.get(rev_id, ()))
        return seen

    def version_table_for(self, applied_tops: Iterable[str]) -> tuple[str, ...]:
        """What a version table holds once ``applied_tops`` and all they need are applied:
        the applied revisions nothing else applied builds on (by down_revision or depends_on).
        """
        applied = self.ancestors(applied_tops)
        below: set[str] = set()
        for rev_id in applied:
            spec = self.by_id()[rev_id]
            below.update(spec.downs)
            below.update(self.resolved_depends(spec))
        return tuple(r for r in self.ids if r in applied and r not in below)

    def as_code(self) -> str:
        """The history as Python a reader can paste next to either library."""
        lines = ["specs = ["]
        lines.extend(f"    {spec.as_code()}," for spec in self.revisions)
        lines.append("]")
        return "\n".join(lines)

    def without(self, rev_id: str) -> Dag | None:
        """This history minus one revision nothing refers to (None if something does)."""
        labels = self.labels
        names = {rev_id, *(label for label, owner in labels.items() if owner == rev_id)}
        for spec in self.revisions:
            if spec.revision != rev_id and names.intersection(spec.downs + spec.depends_on):
                return None
        return Dag(self.seed, tuple(s for s in self.revisions if s.revision != rev_id))


def _new_id(rng: random.Random, taken: set[str], style: str = "hex") -> str:
    """An unused id: hex as Alembic generates, or the numbered/word ids some teams pick."""
    if style == "numbered":
        rev_id = f"{len(taken) + 1:04d}"
        taken.add(rev_id)
        return rev_id
    if style == "words":
        words = ("add", "drop", "users", "index", "email", "orders", "fix", "audit")
        while True:
            rev_id = "_".join(rng.sample(words, 3)) + f"_{rng.randint(0, 99)}"
            if rev_id not in taken:
                taken.add(rev_id)
                return rev_id
    while True:
        roll = rng.random()
        if roll < 0.05:
            # Short ids: Alembic never matches them by prefix, only exactly.
            tail = "".join(rng.choice(HEX) for _ in range(rng.randint(1, 2)))
            rev_id = rng.choice("abcdef") + tail
        elif roll < 0.4:
            family = rng.choice(PREFIX_FAMILIES)
            rev_id = family + "".join(rng.choice(HEX) for _ in range(12 - len(family)))
        else:
            rev_id = rng.choice("abcdef") + "".join(rng.choice(HEX) for _ in range(11))
        if rev_id not in taken and rev_id not in ("head", "heads", "base"):
            taken.add(rev_id)
            return rev_id


def random_dag(seed: int) -> Dag:
    """The history for ``seed``; the same seed always gives the same history."""
    rng = random.Random(seed)
    size = rng.choice((1, 2, 3)) if rng.random() < 0.1 else rng.randint(4, 40)
    p_base = rng.choice((0.0, 0.05, 0.15))
    p_merge = rng.choice((0.0, 0.1, 0.25))
    p_fork = rng.choice((0.0, 0.15, 0.35))
    p_label = rng.choice((0.0, 0.1, 0.25))
    p_depends = rng.choice((0.0, 0.1, 0.2))
    style = rng.choice(("hex",) * 8 + ("numbered", "words"))
    taken: set[str] = set()
    specs: list[RevSpec] = []
    heads: list[str] = []
    children: dict[str, list[str]] = {}
    label_count = 0
    for index in range(size):
        rev_id = _new_id(rng, taken, style)
        down: None | str | tuple[str, ...]
        if not specs or rng.random() < p_base:
            down = None
        elif len(heads) >= 2 and rng.random() < p_merge:
            count = 3 if len(heads) >= 3 and rng.random() < 0.2 else 2
            down = tuple(rng.sample(heads, count))
        elif rng.random() < p_fork:
            down = rng.choice(specs).revision
        else:
            down = heads[-1] if rng.random() < 0.7 else rng.choice(heads)
        downs = () if down is None else (down,) if isinstance(down, str) else down
        partial = Dag(seed, tuple(specs))
        lineage = partial.ancestors(downs, dependencies=False)
        depends: list[str] = []
        if specs and rng.random() < p_depends:
            others = [s.revision for s in specs if s.revision not in lineage]
            for target in rng.sample(others, min(len(others), rng.choice((1, 1, 2)))):
                declared = [lb for lb, owner in partial.labels.items() if owner == target]
                depends.append(rng.choice(declared) if declared and rng.random() < 0.5 else target)
        labels: tuple[str, ...] = ()
        starts_branch = down is None or (isinstance(down, str) and children.get(down))
        if rng.random() < (p_label * 3 if starts_branch else p_label):
            label_count += 1
            name = rng.choice(("lbl", "app-", "x")) + f"{HEX_LETTERS[label_count % 6]}{index}"
            if rng.random() < 0.05:
                name = f"release-{2020 + label_count}"  # '-<digits>' inside a label
            elif rng.random() < 0.05:
                name = rng.choice(PREFIX_FAMILIES) + "x"  # a label that looks like a prefix
            labels = (name,) if rng.random() < 0.85 else (name, name + "two")
        specs.append(RevSpec(rev_id, down, labels, tuple(depends)))
        for parent in downs:
            children.setdefault(parent, []).append(rev_id)
            if parent in heads:
                heads.remove(parent)
        heads.append(rev_id)
    rng.shuffle(specs)
    return Dag(seed, tuple(specs))


def version_tables(dag: Dag, rng: random.Random, count: int = 6) -> list[tuple[str, ...]]:
    """Database states to plan from: empty, at every head, at one head, and random ones."""
    ids = dag.ids
    everything = dag.version_table_for(ids)
    states: list[tuple[str, ...]] = [(), everything]
    tops = [r for r in ids if r in everything]
    states.append(dag.version_table_for(tops[:1]))
    for _ in range(count):
        picks = rng.sample(ids, min(len(ids), rng.choice((1, 1, 2, 3))))
        states.append(dag.version_table_for(picks))
    return list(dict.fromkeys(states))


def _prefixes(ids: Sequence[str]) -> list[str]:
    """Unique and ambiguous prefixes of the ids, including ones shorter than four characters."""
    found: list[str] = []
    for rev_id in ids:
        for length in (3, 4, 5, 6):
            if length < len(rev_id):
                found.append(rev_id[:length])
    return list(dict.fromkeys(found))


def lookup_identifiers(dag: Dag, rng: random.Random) -> list[str]:
    """Absolute identifiers: ids, prefixes, labels, symbols and ``label@...`` forms."""
    ids = dag.ids
    labels = sorted(dag.labels)
    out = ["head", "heads", "base", "nosuchrev", "-1", "-2"]
    out += ids
    out += _prefixes(rng.sample(ids, min(len(ids), 8)))
    out += [label[:4] for label in labels if len(label) > 4]  # Alembic matches these too
    for label in labels:
        out += [label, f"{label}@head", f"{label}@heads", f"{label}@base", f"{label}@-1"]
        out += [f"{label}@{rev_id}" for rev_id in rng.sample(ids, min(len(ids), 3))]
        out += [f"{label}@{rev_id[:5]}" for rev_id in rng.sample(ids, min(len(ids), 2))]
    out += [f"{rev_id}@head" for rev_id in rng.sample(ids, min(len(ids), 2))]
    out += ["nolabel@head"]
    return list(dict.fromkeys(out))


def upgrade_targets(dag: Dag, rng: random.Random) -> list[str]:
    """Targets for ``upgrade``: absolute ones plus every relative form."""
    ids = dag.ids
    labels = sorted(dag.labels)
    out = ["heads", "head", "base", "+1", "+2", "+3", "+5", "head-1", "heads-1", "base+1"]
    out += ids
    out += [f"{rev_id}+1" for rev_id in rng.sample(ids, min(len(ids), 4))]
    out += [f"{rev_id}-1" for rev_id in rng.sample(ids, min(len(ids), 2))]
    out += [rev_id[:5] for rev_id in rng.sample(ids, min(len(ids), 3))]
    for label in labels:
        out += [label, f"{label}@head", f"{label}@heads", f"{label}@+1", f"{label}@+2"]
        out += [f"{label}@base+1", f"{label}@head-1", f"{label}@heads-1"]
        out += [f"{label}@{rev_id}+1" for rev_id in rng.sample(ids, min(len(ids), 2))]
    return list(dict.fromkeys(out))


def downgrade_targets(dag: Dag, rng: random.Random) -> list[str]:
    """Targets for ``downgrade``: ids, base, labels and relative steps down."""
    ids = dag.ids
    labels = sorted(dag.labels)
    out = ["base", "-1", "-2", "-3", "-5", "heads", "head", "head-1", "heads-1", "head-2"]
    out += ["base+1", "base+2"]
    out += ids
    out += [f"{rev_id}-1" for rev_id in rng.sample(ids, min(len(ids), 3))]
    out += [f"{rev_id}+1" for rev_id in rng.sample(ids, min(len(ids), 2))]
    out += [rev_id[:5] for rev_id in rng.sample(ids, min(len(ids), 3))]
    for label in labels:
        out += [f"{label}@base", f"{label}@-1", f"{label}@-2", f"{label}@head", label]
        out += [f"{label}@head-1", f"{label}@base+1"]
        out += [f"{label}@{rev_id}" for rev_id in rng.sample(ids, min(len(ids), 2))]
    return list(dict.fromkeys(out))


def range_ends(dag: Dag, rng: random.Random) -> list[str]:
    """Ends for ``history -r lower:upper``: every pair of these is iterated."""
    ids = dag.ids
    labels = sorted(dag.labels)
    out = ["base", "heads", "head", "head-1", "heads-1"]
    out += ids if len(ids) <= 14 else rng.sample(ids, 14)
    out += [f"{label}@head" for label in labels[:2]]
    out += labels[:2]
    out += [f"{rev_id}-1" for rev_id in rng.sample(ids, min(len(ids), 1))]
    return list(dict.fromkeys(out))


CORRUPTIONS = (
    "dangling down_revision",
    "dangling depends_on",
    "down_revision cycle",
    "depends_on cycle",
    "depends_on itself",
    "label declared twice",
    "label equal to an id",
    "id used twice",
)


def corrupted(dag: Dag, kind: str, rng: random.Random) -> Dag | None:
    """``dag`` with one mistake of ``kind`` a user can make in headers (None if the
    history has no place for it, e.g. a cycle needs a revision with a descendant)."""
    specs = list(dag.revisions)
    pick = rng.randrange(len(specs))
    spec = specs[pick]
    if kind == "dangling down_revision":
        specs[pick] = RevSpec(spec.revision, "0dead0beef00", spec.branch_labels, spec.depends_on)
    elif kind == "dangling depends_on":
        specs[pick] = RevSpec(
            spec.revision, spec.down_revision, spec.branch_labels, (*spec.depends_on, "0dead0")
        )
    elif kind in ("down_revision cycle", "depends_on cycle"):
        above = sorted(dag.descendants([spec.revision]) - {spec.revision})
        lineage_above = sorted(
            r for r in above if spec.revision in dag.ancestors([r], dependencies=False)
        )
        if kind == "down_revision cycle":
            if not lineage_above:
                return None
            down = rng.choice(lineage_above)
            specs[pick] = RevSpec(spec.revision, down, spec.branch_labels, spec.depends_on)
        else:
            if not above:
                return None
            deps = (*spec.depends_on, rng.choice(above))
            specs[pick] = RevSpec(spec.revision, spec.down_revision, spec.branch_labels, deps)
    elif kind == "depends_on itself":
        deps = (*spec.depends_on, spec.revision)
        specs[pick] = RevSpec(spec.revision, spec.down_revision, spec.branch_labels, deps)
    elif kind == "label declared twice":
        labels = sorted(dag.labels)
        if not labels or len(specs) < 2:
            return None
        other = rng.choice([s for s in specs if s is not spec])
        index = specs.index(other)
        specs[index] = RevSpec(
            other.revision,
            other.down_revision,
            (*other.branch_labels, rng.choice(labels)),
            other.depends_on,
        )
        if len(set(specs[index].branch_labels)) != len(specs[index].branch_labels):
            return None
    elif kind == "label equal to an id":
        if len(specs) < 2:
            return None
        other = rng.choice([s for s in specs if s is not spec])
        specs[pick] = RevSpec(
            spec.revision,
            spec.down_revision,
            (*spec.branch_labels, other.revision),
            spec.depends_on,
        )
    else:  # id used twice: a second file reusing an id, as a bad copy-paste makes
        specs.insert(rng.randrange(len(specs) + 1), RevSpec(spec.revision, None))
    return Dag(dag.seed, tuple(specs))
