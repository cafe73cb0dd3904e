"""Pure /support rules: region choice and fallback, the three-line cap, steps, the plan."""

from __future__ import annotations

import pytest

from bot.domain.support import (
    INTERNATIONAL,
    PLAN_FIELDS,
    RegionPick,
    SupportLine,
    SupportPlan,
    check_plan,
    first_lines,
    match_region,
    next_exercise,
    region_choices,
    resolve_region,
    step_at,
)

NAMES = {
    "US": "United States",
    "GB": "United Kingdom",
    "ES": "España",
    "MX": "México",
    "AU": "Australia",
    INTERNATIONAL: "Anywhere in the world",
}
BY_LOCALE = {"en-US": "US", "en-GB": "GB", "es-ES": "ES", "es-419": "MX", "fr": "FR"}


@pytest.mark.parametrize(
    ("option", "locale", "expected"),
    [
        ("AU", "en-US", RegionPick("AU", "option")),
        ("au", None, RegionPick("AU", "option")),
        ("  australia ", "en-GB", RegionPick("AU", "option")),
        ("méxico", "en-US", RegionPick("MX", "option")),
        ("international", "en-US", RegionPick(INTERNATIONAL, "option")),
        ("Atlantis", "en-US", RegionPick(INTERNATIONAL, "fallback", unknown_option=True)),
        (None, "en-GB", RegionPick("GB", "locale")),
        ("", "es-419", RegionPick("MX", "locale")),
        ("   ", "es-ES", RegionPick("ES", "locale")),
        (None, "ja", RegionPick(INTERNATIONAL, "fallback")),
        (None, None, RegionPick(INTERNATIONAL, "fallback")),
        # The locale map points at a region with no lines: still never an empty list.
        (None, "fr", RegionPick(INTERNATIONAL, "fallback")),
    ],
)
def test_resolve_region(option: str | None, locale: str | None, expected: RegionPick) -> None:
    assert resolve_region(option, locale, NAMES, BY_LOCALE) == expected


def test_a_language_without_its_own_entry_borrows_a_sibling() -> None:
    assert resolve_region(None, "es-419", NAMES, {"es-ES": "ES"}) == RegionPick("ES", "locale")


def test_match_region_by_code_or_name_only() -> None:
    assert match_region("united KINGDOM", NAMES) == "GB"
    assert match_region("Unit", NAMES) is None


def test_region_choices_are_by_name_with_international_last_and_capped() -> None:
    assert region_choices("", NAMES) == ["AU", "ES", "MX", "GB", "US", INTERNATIONAL]
    assert region_choices("united", NAMES) == ["GB", "US"]
    assert region_choices("mx", NAMES) == ["MX"]
    assert region_choices("", NAMES, limit=2) == ["AU", "ES"]


def test_at_most_three_lines() -> None:
    assert first_lines(["a", "b", "c", "d"]) == ("a", "b", "c")
    assert first_lines(["a"]) == ("a",)


def test_steps_are_clamped_and_know_when_they_end() -> None:
    first = step_at(0, 5)
    assert (first.number, first.total, first.is_last) == (1, 5, False)
    assert step_at(4, 5).is_last
    assert step_at(42, 5).index == 4  # an edit shortened the exercise under an old button
    assert step_at(-3, 5).index == 0
    with pytest.raises(ValueError, match="at least one step"):
        step_at(0, 0)


def test_next_exercise_wraps_and_forgives_unknown_ids() -> None:
    ids = ["breathing", "senses", "feet"]
    assert next_exercise(ids, "breathing") == "senses"
    assert next_exercise(ids, "feet") == "breathing"
    assert next_exercise(ids, "gone") == "breathing"
    assert next_exercise(["only"], "only") == "only"


def test_check_plan_tidies_and_keeps_the_form_order() -> None:
    checked = check_plan({"reasons": "  my kids \r\n\n\n\n the sea  ", "people": "@Sam"})
    assert checked.too_long is None
    assert checked.plan == SupportPlan(reasons="my kids\n\nthe sea", people="@Sam")
    assert list(checked.plan.parts()) == list(PLAN_FIELDS)
    assert PLAN_FIELDS == ("warning_signs", "what_helps", "people", "reasons")


def test_check_plan_refuses_any_part_over_the_limit() -> None:
    checked = check_plan({"what_helps": "x" * 11, "reasons": "fine"}, limit=10)
    assert (checked.too_long, checked.length) == ("what_helps", 11)
    assert check_plan({"what_helps": "x" * 10}, limit=10).too_long is None


def test_an_all_blank_plan_is_empty() -> None:
    assert check_plan(dict.fromkeys(PLAN_FIELDS, "  \n ")).plan.is_empty
    assert not SupportPlan(people="Sam").is_empty


def test_a_support_line_with_nothing_set_is_empty() -> None:
    assert SupportLine().is_empty
    assert SupportLine(note="").is_empty
    assert not SupportLine(role_id=5).is_empty


def test_a_plan_part_of_only_invisible_characters_counts_as_left_blank() -> None:
    """Shown, it would be an empty field, which Discord refuses: the plan screen would break."""
    checked = check_plan({"people": "\u3164", "reasons": "\u200b\u2066\u2069", "what_helps": "tea"})
    assert checked.too_long is None
    assert checked.plan.people == ""
    assert checked.plan.reasons == ""
    assert checked.plan.what_helps == "tea"
