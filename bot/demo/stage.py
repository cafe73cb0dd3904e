"""A small stage for scripted walkthroughs: act as members and print what the bot does."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import App
from bot.clock import FakeClock
from bot.content.speaking import speaking
from bot.demo.transcript import (
    find_button,
    form_labels,
    relative_time,
    render_command,
    render_reply,
)
from discord_sandbox import (
    CapturedModal,
    Channel,
    InteractionResponse,
    InteractionResult,
    Member,
    Message,
    Sandbox,
)

Print = Callable[[str], None]
TIMEOUT = 10.0


def _name(who: Member) -> str:
    return who.user.global_name or who.user.username


def message_data(message: Message) -> dict[str, Any]:
    """Reshape a stored message like a callback's data, so one renderer prints both."""
    return {
        "content": message.content,
        "embeds": message.embeds,
        "components": message.components,
        "attachments": [{"filename": a.filename} for a in message.attachments],
    }


class Stage:
    """Drives the sandbox like members would and prints a transcript as it goes."""

    def __init__(
        self,
        sb: Sandbox,
        app: App,
        channel: Channel,
        clock: FakeClock,
        out: Print,
        locale: str | None = None,
    ) -> None:
        self.sb, self.app, self.channel, self.clock, self.out = sb, app, channel, clock, out
        self.locale = locale  # every member speaks it, whatever the script says

    def label(self, english: str, locale: str) -> str:
        """Return a button's label as a member on `locale` sees it."""
        services = self.app.bot.services
        library = services.content.library
        pairs: list[tuple[object, object]] = [(library.english, library.voice(locale))]
        english_support = services.support.messages
        with speaking(locale):
            pairs.append((english_support, services.support.messages))
        for source, translated in pairs:
            for item in fields(type(source)):  # type: ignore[arg-type]
                if getattr(source, item.name) == english:
                    return str(getattr(translated, item.name))
        return english

    def jump_to(self, moment: datetime, why: str) -> None:
        """Move the bot's clock forward to `moment` (the demo's time machine)."""
        self.clock.set(moment)
        self.narrate(f"{why} ({moment.astimezone(UTC):%A %d %B, %H:%M} UTC)")

    def show_posts(self, channel: Channel, since: int) -> None:
        """Print the bot's public posts in `channel` after the first `since` ones."""
        for message in channel.messages[since:]:
            self.out(f"\nIn #{channel.name}:")
            self._print(
                render_reply("everyone", message_data(message), ephemeral=False, verb="posts")
            )

    def next_day(self) -> None:
        """Move the bot's clock to the same time tomorrow."""
        self.clock.advance(timedelta(days=1))
        self.narrate(f"The next day ({self.clock.now():%A %d %B})")

    def narrate(self, text: str) -> None:
        """Print a stage direction: what happens between commands, set apart from replies."""
        self.out(f"\n── {text}")

    async def say(
        self, who: Member, command: str, locale: str | None = None, **options: object
    ) -> InteractionResponse:
        """Type a slash command and print the bot's answer (in the member's own locale by default)."""
        self.out(render_command(_name(who), f"#{self.channel.name}", command, options))
        result = await self.sb.invoke(
            who, command, options=options, channel=self.channel, locale=self.locale or locale
        )
        return await self._show(who, result)

    async def quietly(self, who: Member, command: str, **options: object) -> InteractionResponse:
        """Run a command without printing it (for background activity in a scene)."""
        result = await self.sb.invoke(who, command, options=options, channel=self.channel)
        return await result.response(timeout=TIMEOUT)

    async def pick(self, who: Member, command: str, focused: str, text: str) -> str:
        """Type into an autocompleted option, print the suggestions and pick the first one.

        Returns the picked value, so the command run next is the one the member chose.
        """
        self.out(f"\n{_name(who)} types /{command} {focused}:{text}…")
        choices = await self.sb.autocomplete(
            who, command, focused=focused, options={focused: text}, channel=self.channel
        )
        if not choices:
            raise LookupError(f"the bot suggested nothing for {text!r}")
        self.out("  Discord suggests: " + ", ".join(str(c["name"]) for c in choices))
        self.out(f"{_name(who)} picks “{choices[0]['name']}”")
        return str(choices[0]["value"])

    async def click(
        self,
        who: Member,
        source: InteractionResponse | Message,
        label: str,
        followups: int = 0,
    ) -> InteractionResponse:
        """Press a button by its label and print what changed."""
        message = source.message if isinstance(source, InteractionResponse) else source
        if message is None:
            raise LookupError("that reply has no message to click on")
        label = self.label(label, self.locale or who.user.locale)
        custom_id = find_button(message.components, label)
        self.out(f"\n{_name(who)} presses [{label}]")
        return await self._show(who, await self.sb.click(who, message, custom_id), followups)

    async def fill(
        self, who: Member, modal: CapturedModal | None, values: Mapping[str, str]
    ) -> InteractionResponse:
        """Fill in and submit a form the bot opened."""
        if modal is None:
            raise LookupError("the bot did not open a form")
        self.out(f"\n{_name(who)} fills in the form “{modal.title}”:")
        labels = form_labels(modal.components)
        for key, value in values.items():
            self.out(f"  {labels.get(key, key)}: {value or '(left empty)'}")
        return await self._show(who, await self.sb.submit_modal(who, modal, values))

    async def _show(
        self, who: Member, result: InteractionResult, followups: int = 0
    ) -> InteractionResponse:
        reply = await result.response(timeout=TIMEOUT)
        name = _name(who)
        if reply.kind == "modal" and reply.modal is not None:
            self.out(f"Bounceback opens a form for {name}: “{reply.modal.title}”")
        elif reply.kind == "update":
            self._print(render_reply(name, reply.data, ephemeral=True, verb="updates the message"))
        elif reply.kind == "message":
            self._print(render_reply(name, reply.data, ephemeral=reply.ephemeral))
        for index in range(followups):
            posted = await result.followup(index, timeout=TIMEOUT)
            data = message_data(posted)
            self._print(render_reply(name, data, ephemeral=posted.ephemeral, verb="posts"))
        return reply

    def _print(self, lines: list[str]) -> None:
        for line in lines:
            self.out(self.readable(line))

    def readable(self, line: str) -> str:
        """Show mentions and timestamps the way a Discord client would render them."""
        world = self.sb.world

        def person(match: re.Match[str]) -> str:
            user = world.users.get(int(match[1]))
            return f"@{user.global_name or user.username}" if user else match[0]

        def place(match: re.Match[str]) -> str:
            channel = world.channels.get(int(match[1]))
            return f"#{channel.name}" if channel else match[0]

        def moment(match: re.Match[str]) -> str:
            when = datetime.fromtimestamp(int(match[1]), UTC)
            if match[2] == "R":
                return relative_time(when, self.clock.now())
            return f"{when:%A %d %B %Y, %H:%M} UTC"

        line = re.sub(r"<@!?(\d+)>", person, line)
        line = re.sub(r"<#(\d+)>", place, line)
        return re.sub(r"<t:(\d+):([FR])>", moment, line)
