"""A rule's page: what it checks and what it enforces (the rule index, in the reader's language);
each finding on the document page links here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from cnbudget.rules.registry import Rule, all_rules
from cnbudget.web.app import page
from cnbudget.web.deps import Actor, Lang
from cnbudget.web.errors import WebError

router = APIRouter()


class RuleOut(BaseModel):
    id: str
    title: str
    category: str
    severity: str
    applies_to: str
    explanation: str
    enforces: str


def _rule(rule_id: str) -> Rule:
    found = next((r for r in all_rules() if r.id == rule_id), None)
    if found is None:
        raise WebError(404, "web.error.not_found")
    return found


def _out(r: Rule, lang: str) -> RuleOut:
    return RuleOut(
        id=r.id, title=r.name(lang), category=r.category, severity=r.severity, applies_to=r.applies_to,
        explanation=r.explain(lang), enforces=r.cites(lang),
    )


@router.get("/api/rules/{rule_id}", response_model=RuleOut, summary="One rule: what it checks and enforces")
def api_rule(who: Actor, _: Lang, rule_id: str) -> RuleOut:
    return _out(_rule(rule_id), _.lang)


@router.get("/rules/{rule_id}", include_in_schema=False)
def rule_page(request: Request, who: Actor, _: Lang, rule_id: str) -> Response:
    return page(request, "rule.html", actor=who, rule=_out(_rule(rule_id), _.lang))
