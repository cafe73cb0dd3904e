"""A tiny real discord.py bot used to exercise the sandbox (not the Bounceback bot).

Every command answers in a way a test can check precisely: echoing option values with their
Python types, opening a modal, showing a view, deferring, following up.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from discord_sandbox import Channel, Guild, Member, Role, Sandbox

NOTES = b"line one\nline two\n"


@dataclass
class Scene:
    """What every test can use: one guild with channels, a forum, a role and two members."""

    guild: Guild
    general: Channel
    wins: Channel
    forum: Channel
    mods: Role
    alice: Member
    bob: Member


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    """A 2.7-style modal: one input wrapped in a Label, one in a legacy action row."""

    def __init__(self) -> None:
        super().__init__(custom_id="feedback-modal")
        self.text: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
            custom_id="text", style=discord.TextStyle.paragraph
        )
        self.add_item(discord.ui.Label(text="What helped?", component=self.text))
        self.mood: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
            label="Mood", custom_id="mood", required=False, row=1
        )
        self.add_item(self.mood)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        mood = self.mood.value or "-"
        await interaction.response.send_message(
            f"thanks: {self.text.value} / {mood}", ephemeral=True
        )


class MenuView(discord.ui.View):
    """A button that edits the message and a select that replies."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="More", custom_id="more")
    async def more(self, interaction: discord.Interaction, _: discord.ui.Button[MenuView]) -> None:
        await interaction.response.edit_message(content="more!", view=self)

    @discord.ui.select(
        custom_id="pick",
        options=[
            discord.SelectOption(label="Growth", value="growth"),
            discord.SelectOption(label="Rest", value="rest"),
        ],
    )
    async def pick(
        self, interaction: discord.Interaction, select: discord.ui.Select[MenuView]
    ) -> None:
        await interaction.response.send_message(f"picked {select.values[0]}", ephemeral=True)


class ProbeBot(discord.Client):
    """A discord.Client with a CommandTree of test commands; records what it saw."""

    def __init__(self, *, intents: discord.Intents | None = None) -> None:
        super().__init__(intents=intents or discord.Intents.default(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.seen_messages: list[discord.Message] = []
        self.resumed = asyncio.Event()
        _register(self.tree)

    async def on_message(self, message: discord.Message) -> None:
        self.seen_messages.append(message)

    async def on_resumed(self) -> None:
        self.resumed.set()


def _register(tree: app_commands.CommandTree[Any]) -> None:
    @tree.command(description="Check the bot is alive")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="Echo typed options")
    async def echo(
        interaction: discord.Interaction,
        text: str,
        count: int,
        flag: bool,
        who: discord.Member,
        where: discord.TextChannel,
        role: discord.Role,
        ratio: float,
    ) -> None:
        parts = [
            text,
            repr(count),
            repr(flag),
            f"{type(who).__name__}:{who.id}:{who.guild_permissions.manage_messages}",
            f"{type(where).__name__}:{where.id}",
            f"{role.name}",
            repr(ratio),
        ]
        await interaction.response.send_message("|".join(parts))

    tips = app_commands.Group(name="tips", description="Job search tips")
    admin = app_commands.Group(name="admin", description="Tip admin", parent=tips)

    @tips.command(name="add", description="Add a tip")
    async def tips_add(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(
            f"added {topic} ({interaction.locale.value})", ephemeral=True
        )

    @admin.command(name="reset", description="Reset tips")
    async def tips_reset(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("reset")

    tree.add_command(tips)

    async def topics(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = ["growth", "grit", "rest"]
        return [
            app_commands.Choice(name=n.title(), value=n) for n in names if n.startswith(current)
        ]

    @tree.command(description="Get a tip")
    @app_commands.autocomplete(topic=topics)
    async def tip(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(f"tip about {topic}")

    @tree.command(description="Give feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @tree.command(description="Show a menu")
    async def menu(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("menu", view=MenuView(), ephemeral=True)

    @tree.command(description="Think, then answer")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        await interaction.edit_original_response(content="done thinking")

    @tree.command(description="Answer twice")
    async def multi(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first", embed=discord.Embed(title="One"))
        await interaction.followup.send(
            "second", ephemeral=True, file=discord.File(io.BytesIO(NOTES), "notes.txt")
        )

    @tree.command(description="Help in DMs")
    async def help(interaction: discord.Interaction) -> None:
        where = "dm" if interaction.guild is None else "guild"
        await interaction.response.send_message(f"help in {where} for {interaction.user.name}")


async def start_bot(sandbox: Sandbox, client: ProbeBot) -> asyncio.Task[None]:
    """Log in, sync commands, connect and wait for on_ready."""
    await client.login(sandbox.token)
    await client.tree.sync()
    task = asyncio.create_task(client.connect())
    await asyncio.wait_for(client.wait_until_ready(), 5)
    return task


async def stop_bot(client: ProbeBot, task: asyncio.Task[None]) -> None:
    """Close the client and wait for its connect loop to end."""
    await client.close()
    await asyncio.wait_for(task, 5)
