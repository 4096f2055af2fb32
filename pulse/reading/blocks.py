"""Checking a file's `digest:` block (its sections and notes) into a Digest."""

from __future__ import annotations

from pulse.model import Digest, Note, SectionText, ThemeRegistry
from pulse.model.items import DIGEST_FIELDS, NO_DATE, NOTE_FIELDS, SECTION_FIELDS
from pulse.reading.checks import Checker, describe
from pulse.reading.nodes import Map, Node, Scalar, Seq

DIGEST_KEYS = tuple(DIGEST_FIELDS)
SECTION_KEYS = tuple(SECTION_FIELDS)
NOTE_KEYS = tuple(NOTE_FIELDS)


class BlockChecker(Checker):
    """Validates a digest block against the project's themes."""

    def __init__(self, path: str, themes: ThemeRegistry) -> None:
        super().__init__(path)
        self.themes = themes

    def theme_key(self, name: str, node: Node) -> str | None:
        theme = self.themes.resolve(name)
        if theme is None:
            self.error(node, self.themes.unknown(name))
            return None
        return theme.key

    def digest(self, node: Node) -> Digest | None:
        fields = self.mapping(node, "the digest block", DIGEST_KEYS, ("title", "date"))
        if fields is None:
            return None
        before = len(self.problems)
        title = self.text(fields.get("title"), "title", required=True)
        date = self.date(fields.get("date"), "date", required=True)
        digest = Digest(
            title=title or "",
            date=date or NO_DATE,
            topic=self.text(fields.get("topic"), "topic"),
            intro=self.text(fields.get("intro"), "intro"),
            since=self.date(fields.get("since"), "since"),
            until=self.date(fields.get("until"), "until"),
            sections=self.sections(fields.get("sections")),
            notes=self.notes(fields.get("notes")),
            outlook=self.text(fields.get("outlook"), "outlook"),
            outlook_heading=self.text(fields.get("outlook_heading"), "outlook_heading") or "Future Outlook",
            trends=self.boolean(fields.get("trends"), "trends"),
            path=self.path,
            line=node.line,
        )
        if digest.since and digest.until and digest.since > digest.until:
            self.error(fields["since"], f"'since' ({digest.since}) is after 'until' ({digest.until})")
        if len(self.problems) > before or not (title and date):
            return None
        return digest

    def sections(self, node: Node | None) -> dict[str, SectionText]:
        if node is None:
            return {}
        if not isinstance(node, Map):
            self.error(node, f"'sections' must map theme keys to texts, not {describe(node)}")
            return {}
        sections: dict[str, SectionText] = {}
        for name, (key_node, value) in node.entries.items():
            key = self.theme_key(name, key_node)
            fields = self.mapping(value, f"section '{name}'", SECTION_KEYS)
            if key is None or fields is None:
                continue
            heading = fields.get("heading")
            hidden = isinstance(heading, Scalar) and heading.kind == "null"
            sections[key] = SectionText(
                heading=self.text(heading, "heading"),
                intro=self.text(fields.get("intro"), "intro"),
                outro=self.text(fields.get("outro"), "outro"),
                show_heading=not hidden,
            )
        return sections

    def notes(self, node: Node | None) -> tuple[Note, ...]:
        if node is None:
            return ()
        if not isinstance(node, Seq):
            self.error(node, f"'notes' must be a list of sections, not {describe(node)}")
            return ()
        notes = []
        for entry in node.items:
            fields = self.mapping(entry, "a note", NOTE_KEYS, ("heading",))
            if fields is None:
                continue
            after = fields.get("after")
            after_name = self.text(after, "after")
            after_key = self.theme_key(after_name, after) if after_name and after else None
            heading = self.text(fields.get("heading"), "heading", required=True)
            if heading is None:
                continue
            notes.append(
                Note(
                    heading=heading,
                    body=self.text(fields.get("body"), "body"),
                    lead=self.text(fields.get("lead"), "lead"),
                    bullets=self.text_list(fields.get("bullets"), "bullets", "..."),
                    after=after_key,
                )
            )
        return tuple(notes)
