"""Terminal rendering of replies: what an enquirer sees, with buttons as numbered choices."""

from __future__ import annotations

from bot.answering.answerer import Reply
from bot.knowledge.model import KnowledgeBase


def render_reply(kb: KnowledgeBase, reply: Reply) -> str:
    lines = [reply.text]
    if reply.options:
        lines.append("")
        lines.extend(f"  [{i}] {option.label}" for i, option in enumerate(reply.options, 1))
    if reply.feedback:
        kb = kb.translated(reply.lang)
        helpful, not_helpful = kb.message("button_helpful"), kb.message("button_not_helpful")
        lines.append(f"  [+] {helpful}   [-] {not_helpful}")
    return "\n".join(lines)
