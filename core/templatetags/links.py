"""Django's `{% url %}`, each reversal kept for the process: a builtin of every template (config.settings).

Every signed-in page's header and footer reverse about fifteen fixed names, and the case page
nine more with the complaint's number; each `{% url %}` cost about 70 µs, more than a millisecond
a page (bench/README.md, "Tenth round"). A reversal depends only on its name, its arguments,
the current app (the namespace the request was resolved in), the script prefix and the URL
configuration, and none of these change while a process runs (`ROOT_URLCONF` does under a
test's `override_settings`, and is part of the key). So each distinct reversal is kept in a
bounded LRU: at most `KEPT_REVERSALS`, the least used dropped first. Arguments other than text
and whole numbers (a model instance, say) are reversed on each use as Django does.

The tag is Django's own node with the reversal swapped: its syntax, `as var`, its autoescaping
and its NoReverseMatch are unchanged.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

KEPT_REVERSALS = 4096


@lru_cache(maxsize=KEPT_REVERSALS)
def _reversed(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    prefix: str,
    urlconf: str | None,
    root: str,
) -> str:
    # prefix, urlconf and root are part of the key only: reverse reads them itself.
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def _keepable(values: Any) -> bool:
    # Text (a template's literals are SafeStrings) and whole numbers: their text never changes.
    return all(isinstance(value, (str, int)) for value in values)


def kept_reverse(view_name: str, args: list[Any], kwargs: dict[str, Any], current_app: str | None) -> str:
    """`reverse(...)`, from the kept reversals where its arguments are text or whole numbers."""
    if not (isinstance(view_name, str) and _keepable(args) and _keepable(kwargs.values())):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reversed(
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_script_prefix(),
        get_urlconf(),
        str(settings.ROOT_URLCONF),
    )


class KeptURLNode(defaulttags.URLNode):
    def render(self, context: Any) -> str:
        # Django's URLNode.render, with the reversal kept.
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = kept_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Any, token: Any) -> KeptURLNode:
    """`{% url name arg key=value as var %}`, parsed by Django's own tag."""
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
