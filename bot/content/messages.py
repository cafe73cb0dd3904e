"""The bot's own voice, from content/messages.yaml, so moderators can change tone without code.

Every key is required: a moderator who deletes one by accident gets a clear
error and the bot keeps the last good wording, rather than a blank reply. A
message may be a single text or a list of variants the bot rotates through.
Each key declares the placeholders the bot fills in it (`voice("week", "total")`);
any other `{name}`, in any variant, is refused at its own line. A message whose
words depend on a number is a `Plural`: one form per CLDR category of the
language (`one`, `other`, ...), picked by the number in its `count` placeholder.
"""

from __future__ import annotations

import functools
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from bot.content.plurals import (
    Plural,
    fill,
    format_day,
    plural_category,
    plural_schema,
    weekday_name,
)
from bot.domain.locales import ENGLISH

Variants = tuple[str, ...]
MESSAGE_MAX = 1000
# Numbers that tune the bot rather than words: they stay in the English file for every language.
NOT_TRANSLATED = frozenset({"rejection_milestone_counts", "rejection_milestone_every"})


def _check_variants(value: Variants) -> str | None:
    if not value:
        return "needs at least one text"
    if any(not text.strip() for text in value):
        return "must not contain an empty text"
    longest = max(len(text) for text in value)
    if longest > MESSAGE_MAX:
        return f"has a text of {longest} characters; the limit is {MESSAGE_MAX}"
    return None


def voice(*names: str) -> dict[str, Any]:
    """Declare one message's rule: its variants, and the only placeholders the bot fills in it.

    `names` is what the code passes to `pick` for this key (a test reads the
    code to keep the two equal), so a typo such as {wek} is refused when the
    file is checked instead of failing when a member is waiting for a reply.
    """
    return {
        "check": _check_variants,
        "each": placeholder_check(names),
        "placeholders": frozenset(names),
    }


@functools.cache
def plural(count: str, *names: str) -> dict[str, Any]:
    """Declare a message whose words follow the number in `{count}` (it may use `names` too).

    Each form is checked like any message, every variant at its own line. Messages with
    the same placeholders share one declaration: each makes a dataclass (10 KB).
    """

    def check(value: Plural) -> str | None:
        if value.count != count:
            return f"must say `count: {count}` (the placeholder whose number picks the form)"
        return None

    form = {"check": _check_variants, "each": placeholder_check((count, *names))}
    return {
        "check": check,
        "schema": plural_schema(form),
        "placeholders": frozenset((count, *names)),
    }


def placeholder_check(names: tuple[str, ...]) -> Callable[[str], str | None]:
    """Build a binder rule for one text: plain `{name}` placeholders from `names`, braces paired."""
    if names:
        can = "it can use " + ", ".join(f"{{{name}}}" for name in names)
    else:
        can = "this message takes no placeholders; write {{ and }} for a brace"

    def check(text: str) -> str | None:
        try:
            parts = list(string.Formatter().parse(text))
        except ValueError:
            return "has a { or } without its partner (write {{ or }} for a brace)"
        for _, name, spec, conversion in parts:
            if name is None:
                continue
            if name not in names:
                return f"uses {{{name}}}, which the bot cannot fill ({can})"
            if spec or conversion:
                written = (
                    name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                )
                return f"writes {{{written}}}; write placeholders plainly, like {{{name}}}"
        return None

    return check


def placeholders(schema: type, key: str) -> frozenset[str]:
    """Return the placeholders the bot fills in message `key` of `schema`."""
    found: frozenset[str] = next(f for f in fields(schema) if f.name == key).metadata[
        "placeholders"
    ]
    return found


VOICE = voice()
# Discord's limits for what a label lands in: a button, a modal title or input, an embed title.
BUTTON, FORM, TITLE = 80, 45, 256


def label(limit: int) -> dict[str, Any]:
    """Declare the rule for one fixed label (a button, a heading): one text, never rotated."""

    def check(value: str) -> str | None:
        if not value.strip():
            return "must not be empty"
        if len(value) > limit:
            return f"is {len(value)} characters long; the limit here is {limit}"
        return None

    return {"check": check}


def _check_counts(value: tuple[int, ...]) -> str | None:
    if not value or any(n < 1 for n in value) or list(value) != sorted(set(value)):
        return "must be a rising list of whole numbers from 1, such as [1, 5, 10]"
    return None


def _check_every(value: int) -> str | None:
    return None if value >= 0 else "must be 0 (off) or a positive whole number"


@dataclass(frozen=True)
class Messages:
    """Wording for acknowledgements, refusals and empty states."""

    tip_footer: Variants = field(metadata=VOICE)
    tip_cycle_complete: Variants = field(metadata=VOICE)
    tip_helped_thanks: Variants = field(metadata=VOICE)
    tip_helped_already: Variants = field(metadata=VOICE)
    tip_share_choice: Variants = field(metadata=VOICE)
    tip_shared: Variants = field(metadata=VOICE)
    tip_already_shared: Variants = field(metadata=VOICE)
    tip_share_anonymous: Variants = field(metadata=VOICE)
    tip_share_named: Variants = field(metadata=voice("name"))
    tip_unknown_topic: Variants = field(metadata=VOICE)
    tip_empty_topic: Variants = field(metadata=VOICE)
    tip_not_yours: Variants = field(metadata=VOICE)
    not_moderator: Variants = field(metadata=VOICE)
    guild_only: Variants = field(metadata=VOICE)
    text_empty: Variants = field(metadata=VOICE)
    text_too_long: Variants = field(metadata=voice("length", "limit"))
    text_only_mention: Variants = field(metadata=VOICE)
    unknown_tip: Variants = field(metadata=VOICE)
    tips_added: Variants = field(metadata=voice("tip", "topic"))
    tips_edited: Variants = field(metadata=voice("tip", "topic"))
    tips_deleted: Variants = field(metadata=voice("tip", "topic"))
    tips_hidden: Variants = field(metadata=voice("tip", "topic"))
    tips_restored: Variants = field(metadata=voice("tip", "topic"))
    tips_export_empty: Variants = field(metadata=VOICE)
    rejection_logged: Variants = field(metadata=VOICE)
    rejection_counts: Variants = field(metadata=voice("week", "total"))
    rejection_milestone_first: Variants = field(metadata=VOICE)
    rejection_milestone: Plural = field(metadata=plural("count"))
    rejection_milestone_counts: tuple[int, ...] = field(metadata={"check": _check_counts})
    rejection_milestone_every: int = field(metadata={"check": _check_every})
    rejection_limit: Variants = field(metadata=voice("limit"))
    rejection_undone: Variants = field(metadata=voice("stage"))
    rejection_nothing_to_undo: Variants = field(metadata=VOICE)
    rejection_group_hidden: Plural = field(metadata=plural("min"))
    rejection_no_entries: Variants = field(metadata=VOICE)
    support_nudge: Variants = field(metadata=VOICE)
    privacy: Variants = field(metadata=voice("min"))
    my_data_ready: Variants = field(metadata=VOICE)
    my_data_ready_dm: Variants = field(metadata=VOICE)
    forget_confirm: Plural = field(metadata=plural("minutes"))
    forget_confirm_dm: Plural = field(metadata=plural("minutes"))
    forget_done: Plural = field(metadata=plural("count"))
    forget_cancelled: Variants = field(metadata=VOICE)
    forget_expired: Variants = field(metadata=VOICE)
    forgotten_meanwhile: Variants = field(metadata=VOICE)
    not_yours: Variants = field(metadata=VOICE)
    unknown_choice: Variants = field(metadata=VOICE)
    win_saved: Variants = field(metadata=VOICE)
    win_saved_no_channel: Variants = field(metadata=VOICE)
    win_deleted: Variants = field(metadata=VOICE)
    win_gone: Variants = field(metadata=VOICE)
    wins_none: Variants = field(metadata=VOICE)
    celebration_title: Variants = field(metadata=VOICE)
    celebration_opening: Variants = field(metadata=VOICE)
    celebration_courage: Plural = field(metadata=plural("count"))
    celebration_closing: Variants = field(metadata=VOICE)
    celebration_empty: Variants = field(metadata=VOICE)
    setup_celebrations_saved: Variants = field(
        metadata=voice("channel", "weekday", "time", "timezone")
    )
    setup_bad_timezone: Variants = field(metadata=voice("value", "hint"))
    setup_bad_time: Variants = field(metadata=voice("value"))
    delivery_failed: Variants = field(metadata=voice("kind", "channel", "reason"))
    accountability_thread_name: Variants = field(metadata=voice("date"))
    accountability_opening: Variants = field(metadata=VOICE)
    accountability_howto: Variants = field(metadata=VOICE)
    accountability_checkin: Variants = field(metadata=VOICE)
    accountability_recap: Plural = field(metadata=plural("members", "goals", "done"))
    accountability_recap_empty: Variants = field(metadata=VOICE)
    accountability_joined: Variants = field(metadata=VOICE)
    accountability_already_joined: Variants = field(metadata=VOICE)
    accountability_left: Variants = field(metadata=VOICE)
    accountability_not_joined: Variants = field(metadata=VOICE)
    accountability_goals_line: Plural = field(metadata=plural("members", "goals", "done"))
    goal_set: Variants = field(metadata=voice("goal"))
    goal_commitment: Variants = field(metadata=voice("name", "goal"))
    goal_limit: Variants = field(metadata=VOICE)
    goal_unknown: Variants = field(metadata=VOICE)
    goal_progress: Variants = field(metadata=voice("goal"))
    goal_progress_posted: Variants = field(metadata=voice("name", "goal"))
    goal_done: Variants = field(metadata=voice("goal"))
    goal_done_posted: Variants = field(metadata=voice("name", "goal"))
    goal_none: Variants = field(metadata=VOICE)
    goal_carried: Plural = field(metadata=plural("count"))
    goal_nothing_to_carry: Variants = field(metadata=VOICE)
    goal_not_posted: Variants = field(metadata=voice("goal"))
    break_started: Variants = field(metadata=voice("until"))
    break_ended: Variants = field(metadata=VOICE)
    break_none: Variants = field(metadata=VOICE)
    setup_accountability_saved: Variants = field(
        metadata=voice("channel", "weekday", "time", "timezone", "checkin", "recap")
    )
    setup_opening_after_checkin: Variants = field(metadata=voice("weekday", "checkin"))
    setup_recap_before_checkin: Variants = field(metadata=voice("checkin", "recap"))
    content_reloaded: Plural = field(metadata=plural("tips", "topics"))
    content_reload_failed: Plural = field(metadata=plural("count"))
    content_reload_more: Plural = field(metadata=plural("count"))
    # What the error handler says when something goes wrong.
    incident: Variants = field(metadata=voice("incident"))
    missing_permission: Variants = field(metadata=VOICE)
    cooldown: Plural = field(metadata=plural("seconds"))
    server_only: Variants = field(metadata=VOICE)
    # /help and /about, and the /help heading of each feature.
    help_title: str = field(metadata=label(TITLE))
    help_intro: Variants = field(metadata=VOICE)
    help_getting_started: str = field(metadata=label(TITLE))
    help_tips: str = field(metadata=label(TITLE))
    help_rejections: str = field(metadata=label(TITLE))
    help_wins: str = field(metadata=label(TITLE))
    help_accountability: str = field(metadata=label(TITLE))
    help_privacy: str = field(metadata=label(TITLE))
    help_support: str = field(metadata=label(TITLE))
    help_setup: str = field(metadata=label(TITLE))
    help_moderators: str = field(metadata=label(TITLE))
    about_title: str = field(metadata=label(TITLE))
    about_intro: Variants = field(metadata=VOICE)
    about_version: str = field(metadata=label(TITLE))
    about_source: str = field(metadata=label(TITLE))
    about_privacy_title: str = field(metadata=label(TITLE))
    about_privacy: Variants = field(metadata=VOICE)
    privacy_title: str = field(metadata=label(TITLE))
    button_forget: str = field(metadata=label(BUTTON))
    button_keep_data: str = field(metadata=label(BUTTON))
    # Tips, for members and for moderators.
    tip_reflect_title: str = field(metadata=label(TITLE))
    button_next_tip: str = field(metadata=label(BUTTON))
    button_share_tip: str = field(metadata=label(BUTTON))
    button_share_named: str = field(metadata=label(BUTTON))
    button_share_anonymous: str = field(metadata=label(BUTTON))
    button_helped: str = field(metadata=label(BUTTON))
    tip_form_new_title: str = field(metadata=label(FORM))
    tip_form_edit_title: Variants = field(metadata=voice("tip"))
    tip_form_text: str = field(metadata=label(FORM))
    tip_form_text_hint: str = field(metadata=label(100))
    tip_form_reflect: str = field(metadata=label(FORM))
    tips_list_title: str = field(metadata=label(TITLE))
    tips_list_topic_title: Variants = field(metadata=voice("topic"))
    tips_list_empty: Variants = field(metadata=VOICE)
    tips_list_footer: Plural = field(metadata=plural("count", "page", "pages"))
    tips_list_not_yours: Variants = field(metadata=VOICE)
    tips_row_helped: Plural = field(metadata=plural("count"))
    tips_row_edited: str = field(metadata=label(40))
    tips_row_server: str = field(metadata=label(40))
    tips_row_hidden: str = field(metadata=label(40))
    button_previous: str = field(metadata=label(BUTTON))
    button_next: str = field(metadata=label(BUTTON))
    tips_stats_title: str = field(metadata=label(TITLE))
    tips_stats_intro: Variants = field(metadata=VOICE)
    tips_stats_line: Variants = field(metadata=voice("most", "least"))
    tips_stats_quiet: str = field(metadata=label(TITLE))
    tips_audit: Variants = field(metadata=voice("actor", "action", "target"))
    # What a moderator did, as {action} in tips_audit.
    tips_action_add: str = field(metadata=label(40))
    tips_action_edit: str = field(metadata=label(40))
    tips_action_delete: str = field(metadata=label(40))
    tips_action_hide: str = field(metadata=label(40))
    tips_action_restore: str = field(metadata=label(40))
    tips_export_ready: Plural = field(metadata=plural("count"))
    tips_export_header: Variants = field(metadata=VOICE)  # the first lines of the exported file
    # Rejection receipts and stats.
    rejection_logged_title: str = field(metadata=label(TITLE))
    rejection_stats_title: str = field(metadata=label(TITLE))
    rejection_stats_own: Variants = field(metadata=voice("week", "month", "total", "sparkline"))
    rejection_streak: Plural = field(metadata=plural("streak"))
    rejection_stats_by_stage: str = field(metadata=label(TITLE))
    rejection_stats_group: str = field(metadata=label(TITLE))
    rejection_group_not_shown: Variants = field(metadata=voice("label"))
    rejection_group_figure: Plural = field(metadata=plural("contributors", "label", "entries"))
    rejection_stats_footer: Variants = field(metadata=VOICE)
    # Wins.
    wins_title: str = field(metadata=label(TITLE))
    win_preview_title: str = field(metadata=label(TITLE))
    win_anonymous: str = field(metadata=label(TITLE))
    win_named: str = field(metadata=label(TITLE))
    button_delete_win: str = field(metadata=label(BUTTON))
    button_delete_win_numbered: Variants = field(metadata=voice("number"))
    # Weekly accountability.
    goals_title: str = field(metadata=label(TITLE))
    goal_private_note: str = field(metadata=label(40))
    goal_status_open: str = field(metadata=label(40))  # a goal without a number, in brackets
    goal_status_done: str = field(metadata=label(40))
    button_carry_goals: str = field(metadata=label(BUTTON))
    accountability_status_joined: Variants = field(metadata=VOICE)
    accountability_status_not_joined: Variants = field(metadata=VOICE)
    accountability_status_thread: Variants = field(metadata=voice("thread"))
    accountability_status_no_thread: Variants = field(metadata=VOICE)
    accountability_status_break: Variants = field(metadata=voice("until"))
    break_until: Variants = field(metadata=voice("until"))
    # /setup show.
    setup_schedule_rule: Variants = field(metadata=voice("weekday", "time", "timezone"))
    setup_schedule_next: Variants = field(metadata=voice("when", "relative"))
    schedule_celebration: str = field(metadata=label(TITLE))
    schedule_thread: str = field(metadata=label(TITLE))
    schedule_checkin: str = field(metadata=label(TITLE))
    schedule_recap: str = field(metadata=label(TITLE))
    setup_timezone_hint: Variants = field(metadata=voice("zone"))
    setup_language_saved: Variants = field(metadata=voice("language"))
    setup_language_follows_server: Variants = field(metadata=voice("language"))
    setup_language_label: str = field(metadata=label(TITLE))
    setup_language_server: Variants = field(metadata=voice("language"))
    # Rejection stages as members see them (the stored ids never change), and the group's periods.
    stage_application: str = field(metadata=label(TITLE))
    stage_screening: str = field(metadata=label(TITLE))
    stage_interview: str = field(metadata=label(TITLE))
    stage_final_round: str = field(metadata=label(TITLE))
    stage_offer_withdrawn: str = field(metadata=label(TITLE))
    stage_other: str = field(metadata=label(TITLE))
    rejection_group_this_week: str = field(metadata=label(TITLE))
    rejection_group_last_week: str = field(metadata=label(TITLE))
    rejection_group_this_month: str = field(metadata=label(TITLE))
    rejection_group_all_time: str = field(metadata=label(TITLE))
    my_data_note: Variants = field(metadata=VOICE)
    # The moderator log: which weekly post did not go out, and why.
    post_kind_celebration: str = field(metadata=label(TITLE))
    post_kind_accountability: str = field(metadata=label(TITLE))
    post_kind_checkin: str = field(metadata=label(TITLE))
    post_kind_recap: str = field(metadata=label(TITLE))
    delivery_not_messageable: Variants = field(metadata=VOICE)
    delivery_no_post_permission: Variants = field(metadata=VOICE)
    delivery_channel_gone: Variants = field(metadata=VOICE)
    delivery_discord_retried: Variants = field(metadata=voice("status"))
    delivery_discord_error: Variants = field(metadata=voice("status"))
    delivery_discord_unreachable: Variants = field(metadata=VOICE)
    delivery_no_threads_here: Variants = field(metadata=VOICE)
    delivery_no_thread_permission: Variants = field(metadata=VOICE)
    delivery_no_add_permission: Variants = field(metadata=VOICE)
    delivery_thread_gone: Variants = field(metadata=VOICE)
    delivery_thread_locked: Variants = field(metadata=VOICE)
    delivery_no_thread_post: Variants = field(metadata=VOICE)
    # Per-stage acknowledgements may be left out (an older messages.yaml keeps working):
    # a stage without its own list is answered from rejection_logged.
    rejection_ack_application: Variants = field(default=(), metadata=VOICE)
    rejection_ack_screening: Variants = field(default=(), metadata=VOICE)
    rejection_ack_interview: Variants = field(default=(), metadata=VOICE)
    rejection_ack_final_round: Variants = field(default=(), metadata=VOICE)
    rejection_ack_offer_withdrawn: Variants = field(default=(), metadata=VOICE)
    rejection_ack_other: Variants = field(default=(), metadata=VOICE)
    # The language this wording is in: picks plural forms and writes numbers and days.
    locale: str = field(default=ENGLISH, metadata={"internal": True})

    def pick(self, key: str, chooser: random.Random | None = None, **values: object) -> str:
        """One variant of `key`, with `{placeholders}` filled in (numbers as the language writes them)."""
        options: Variants | Plural = getattr(self, key)
        if isinstance(options, Plural):
            number = values[options.count]
            if not isinstance(number, int):
                raise TypeError(f"message {key!r} needs a whole number for {options.count}")
            options = options.form(plural_category(number, self.locale))
        if not isinstance(options, tuple) or not isinstance(options[0], str):
            raise TypeError(f"message {key!r} is not text")
        text = (chooser or random).choice(options)
        # Always filled, so {{ and }} mean a brace in every message alike.
        return fill(text, values, self.locale)

    def weekday(self, day: str) -> str:
        """Name a weekday (`friday`) as this language writes it on its own: Friday, viernes."""
        return weekday_name(day, self.locale)

    def day(self, when: date, *, short: bool = False) -> str:
        """Write a calendar day in this language: `Friday, December 4`, or short `Dec 4`."""
        return format_day(when, self.locale, short=short)

    def stage_name(self, stage: str) -> str:
        """Name a rejection stage as members see it; a stage without a name shows its id."""
        name = getattr(self, f"stage_{stage.replace('-', '_')}", None)
        return name if isinstance(name, str) else stage

    def post_kind(self, kind: str) -> str:
        """Name a kind of weekly post for the moderator log; an unnamed kind shows its id."""
        name = getattr(self, f"post_kind_{kind}", None)
        return name if isinstance(name, str) else kind


def message_keys() -> list[str]:
    """All keys messages.yaml must define."""
    return [f.name for f in fields(Messages) if not f.metadata.get("internal")]
