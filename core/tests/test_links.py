"""core.templatetags.links: every template's {% url %}, each reversal kept for the process, as Django's gives it."""

import pytest
from django.template import Context, Engine, engines
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix

from core.templatetags import links


def render(text: str, context: dict | None = None) -> str:
    return engines["django"].from_string(text).render(context or {})


def test_the_projects_templates_use_the_kept_tag():
    template = engines["django"].from_string("{% url 'complaints:home' %}")
    assert [type(node).__name__ for node in template.template.nodelist] == ["KeptURLNode"]


def test_each_form_of_the_tag_gives_djangos_url():
    assert render("{% url 'complaints:home' %}") == "/"
    assert render("{% url 'complaints:search' %}") == "/search/"
    assert render("{% url 'complaints:detail' number=n %}", {"n": "10000042"}) == "/complaints/10000042/"
    assert render("{% url 'complaints:detail' n %}", {"n": "10000043"}) == "/complaints/10000043/"
    assert (
        render("{% url 'complaints:attachment' number='10000042' pk=pk %}", {"pk": 7})
        == "/complaints/10000042/attachments/7/"
    )
    # `as var` writes nothing and keeps the URL for later; an unknown name then gives "".
    assert render("{% url 'complaints:search' as where %}[{{ where }}]") == "[/search/]"
    assert render("{% url 'no-such-page' as where %}[{{ where }}]") == "[]"


def test_an_unknown_name_still_raises_and_nothing_is_kept_for_it():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    with pytest.raises(NoReverseMatch):
        render("{% url 'complaints:detail' %}")  # a name that needs its number


def test_a_reversal_is_kept_and_told_apart_by_its_arguments_and_the_script_prefix():
    links._reversed.cache_clear()
    assert render("{% url 'complaints:detail' number='10000042' %}") == "/complaints/10000042/"
    assert render("{% url 'complaints:detail' number='10000042' %}") == "/complaints/10000042/"
    assert render("{% url 'complaints:detail' number='10000099' %}") == "/complaints/10000099/"
    info = links._reversed.cache_info()
    assert (info.hits, info.misses) == (1, 2)
    set_script_prefix("/redress/")
    try:
        assert render("{% url 'complaints:detail' number='10000042' %}") == "/redress/complaints/10000042/"
    finally:
        clear_script_prefix()
    assert render("{% url 'complaints:detail' number='10000042' %}") == "/complaints/10000042/"
    assert links._reversed.cache_info().currsize == 3
    assert links.KEPT_REVERSALS == links._reversed.cache_info().maxsize == 4096


def test_arguments_other_than_text_and_numbers_are_reversed_each_time():
    class Number:
        def __str__(self) -> str:
            return "10000042"

    links._reversed.cache_clear()
    assert render("{% url 'complaints:detail' number=n %}", {"n": Number()}) == "/complaints/10000042/"
    assert links._reversed.cache_info().currsize == 0


def test_the_url_is_escaped_where_the_template_escapes():
    engine = Engine(builtins=["core.templatetags.links"], autoescape=True)
    context = Context({"q": "a&b"})
    assert engine.from_string("{% url 'complaints:detail' number=q %}").render(context) == "/complaints/a&amp;b/"
    unescaped = Context({"q": "a&b"}, autoescape=False)
    assert engine.from_string("{% url 'complaints:detail' number=q %}").render(unescaped) == "/complaints/a&b/"
