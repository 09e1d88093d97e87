"""Sources: the texts the knowledge base is faithful to, one file each in knowledge/sources/.

A source file holds YAML front matter between two ``---`` lines (id, kind, title,
publisher, date, optional url, review_by and owner; a staff answer adds its ticket and the
staff member's first name), then the source's full text, verbatim. Entries cite sources
by id; an answer's source line and the date its facts are "as of" come from the sources
it cites, and ``kb check`` holds the answer's figures, names, links, e-mail addresses and
phone numbers to their texts (bot/knowledge/faithfulness.py).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.common.errors import KbIssue
from bot.common.yamlfile import parse_yaml
from bot.knowledge.model import Source, SourceKind
from bot.knowledge.schema import SOURCE_HEADER

SOURCES_DIR = "sources"
SOURCE_SUFFIX = ".txt"
FENCE = "---"


def sources_dir(knowledge_dir: Path) -> Path:
    return knowledge_dir / SOURCES_DIR


def load_sources(
    directory: Path, display: str | None = None
) -> tuple[dict[str, Source], list[KbIssue]]:
    """Every source file in ``directory`` by id, and the problems found in them."""
    sources: dict[str, Source] = {}
    issues: list[KbIssue] = []
    if not directory.is_dir():
        return sources, issues
    for path in sorted(directory.glob(f"*{SOURCE_SUFFIX}")):
        name = f"{display}/{path.name}" if display else str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            issues.append(KbIssue(name, 1, f"not valid UTF-8 ({exc.reason})"))
            continue
        source, problems = parse_source(text, name, path.stem)
        issues.extend(problems)
        if source is not None:
            sources[source.id] = source
    return sources, issues


def parse_source(text: str, name: str, stem: str) -> tuple[Source | None, list[KbIssue]]:
    """Read one source file; its id must be its file name (``stem``)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None, [KbIssue(name, 1, f"a source file starts with a {FENCE} line")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if end is None:
        return None, [KbIssue(name, 1, f"the front matter has no closing {FENCE} line")]
    # One leading newline so that the header's line numbers are the file's.
    parsed, issues = parse_yaml("\n" + "\n".join(lines[1:end]), name)
    if parsed is None or issues:
        return None, issues
    if not isinstance(parsed.data, dict):
        return None, [KbIssue(name, 2, "the front matter must be a mapping of keys")]
    import jsonschema  # imported here: a cached knowledge base is never validated again

    validator = jsonschema.Draft202012Validator(SOURCE_HEADER)
    for error in validator.iter_errors(parsed.data):
        path = tuple(error.absolute_path)
        where = ".".join(str(p) for p in path) or "front matter"
        issues.append(parsed.issue(path, f"{where}: {error.message}"))
    if issues:
        return None, issues
    data = parsed.data
    if data["id"] != stem:
        issues.append(parsed.issue(("id",), f"id {data['id']!r} must be the file name {stem!r}"))
    body = "\n".join(lines[end + 1 :])
    if not body.strip():
        issues.append(KbIssue(name, end + 1, "the source has no text after its front matter"))
    if issues:
        return None, issues
    source = Source(
        title=data["title"],
        date=data["date"],
        publisher=data.get("publisher", ""),
        id=data["id"],
        kind=SourceKind(data.get("kind", SourceKind.ARTICLE)),
        url=data.get("url"),
        ticket=data.get("ticket"),
        staff=data.get("staff"),
        review_by=data.get("review_by"),
        owner=data.get("owner"),
        text=body,
        file=name,
        line=1,
    )
    return source, []


def render_source(source: Source) -> str:
    """The file text of ``source`` (``kb accept`` writes staff answers with it)."""
    header: dict[str, str] = {"id": source.id, "kind": source.kind.value, "title": source.title}
    if source.publisher:
        header["publisher"] = source.publisher
    header["date"] = source.date
    for key in ("url", "ticket", "staff", "review_by", "owner"):
        value = getattr(source, key)
        if value:
            header[key] = value
    front = yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100)
    return f"{FENCE}\n{front}{FENCE}\n{source.text}"
