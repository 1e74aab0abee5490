"""A readable brief of a `Summary`: who met whom, who said what, what was proposed."""

from __future__ import annotations

from summarizer.schema import Actor, ActorKind, Summary

__all__ = ["render_markdown"]

# The headings of the actors, one per kind, in the order a reader looks for them.
_KINDS: tuple[tuple[ActorKind, str], ...] = (
    ("person", "People"),
    ("state", "States"),
    ("organisation", "Organisations"),
    ("group", "Groups and delegations"),
    ("office", "Unnamed office-holders"),
)


def render_markdown(summary: Summary, title: str | None = None) -> str:
    actors = {a.id: a for a in summary.actors}

    def name(pid: str | None) -> str:
        if pid not in actors:
            return "?"
        actor = actors[pid]
        represents = actors.get(actor.represents) if actor.represents else None
        if actor.kind == "office" and actor.title and represents is not None:
            # "our presidents" alone says little outside the article
            return f"**{actor.title} of {represents.name}** (“{actor.name}”)"
        return f"**{actor.name}**"

    lines = [f"# {title or 'Summary'}", "", summary.abstract.strip(), ""]

    lines += ["## Actors", ""]
    for kind, heading in _KINDS:
        of_kind = [a for a in summary.actors if a.kind == kind]
        if of_kind:
            lines += [f"### {heading}", ""]
            lines += [f"- {_label(a, actors)}" for a in of_kind]
            lines.append("")
    if not summary.actors:
        lines += ["- none named", ""]

    lines += ["## Who met whom", ""]
    for m in summary.meetings:
        if m.visitor and m.host:
            who = f"{name(m.visitor)} visited {name(m.host)}"
            others = [pid for pid in m.participants if pid not in (m.visitor, m.host)]
            if others:
                who += " with " + ", ".join(name(pid) for pid in others)
        else:
            who = _join([name(pid) for pid in m.participants])
        details = [m.mode.replace("_", " ")]
        if m.place:
            details.append(f"in {m.place}")
        when = m.date.isoformat() if m.date else m.date_text
        if when:
            details.append(when)
        lines.append(f"- {who} ({', '.join(details)}; {m.status})")
    if not summary.meetings:
        lines.append("- none reported")

    lines += ["", "## Who said what", ""]
    for s in summary.statements:
        to = f" to {name(s.addressee)}" if s.addressee else ""
        if s.verbatim and s.quote is not None:
            # A short quoted fragment needs its paraphrase around it to make sense.
            said = s.quote.text.strip(' .,;:"“”').casefold()
            same = s.content.strip(' .,;:"“”').casefold() in said  # nothing to add
            lead = f"{s.content} " if len(s.quote.text) < 40 and not same else ""
            lines.append(f"- {name(s.speaker)} {s.cue}{to}: {lead}“{s.quote.text}” (quote)")
        else:
            lines.append(f"- {name(s.speaker)} {s.cue}{to}: {s.content} (paraphrase)")
    if not summary.statements:
        lines.append("- none reported")

    lines += ["", "## What was proposed", ""]
    for p in summary.proposals:
        to = f" to {_join([name(pid) for pid in p.recipients])}" if p.recipients else ""
        when = p.proposed_date.isoformat() if p.proposed_date else p.proposed_date_text
        tail = f"; for {when}" if when else ""
        lines.append(
            f"- {p.kind.capitalize()} from {name(p.proposer)}{to}: {p.content} ({p.status}{tail})"
        )
    if not summary.proposals:
        lines.append("- none reported")
    prov = summary.provenance
    lines += [
        "",
        f"_Model {prov.model} via {prov.backend}, prompt {prov.prompt_version}, "
        f"{prov.attempts} attempt(s), {prov.usage.total_tokens} tokens; "
        f"source sha256 {prov.source.sha256}._",
    ]
    return "\n".join(lines) + "\n"


def _label(actor: Actor, actors: dict[str, Actor]) -> str:
    represents = actors.get(actor.represents) if actor.represents else None
    speaks_for = f"for {represents.name}" if represents is not None else None
    extra = ", ".join(x for x in (actor.title, speaks_for, actor.country, actor.sector) if x)
    aliases = f"; also {', '.join(repr(a) for a in actor.aliases)}" if actor.aliases else ""
    return f"**{actor.name}**" + (f" ({extra})" if extra else "") + aliases


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
