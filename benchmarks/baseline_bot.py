"""The bare discord.py bot Bounceback is measured against: slash commands that do nothing else.

It uses the same intents as Bounceback (guilds only) and otherwise discord.py's defaults, so
the ratios in the benchmark show what Bounceback's own code costs on top of the library.
`/ping` answers one word (the reference of `run.py`); `/card` answers the shape most
Bounceback replies have, a sentence, an embed and three buttons, built per reply as
Bounceback builds them, and its "Again" button answers a press by editing the card with a new
one, through a persistent view, the plainest way discord.py answers a button
(`reply_shape.py` measures against both).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands


@app_commands.command(name="ping", description="Answer pong")
async def ping(interaction: discord.Interaction) -> None:
    """Answer "pong", ephemerally like the Bounceback commands measured against it."""
    # A public reply would make the sandbox store the message and build a MESSAGE_CREATE,
    # work it skips for ephemeral replies; the same kind of reply keeps that out of the ratio.
    await interaction.response.send_message("pong", ephemeral=True)


CARD_TEXT = "A steady sentence for a hard day, about as long as the bot's usual replies. " * 2
CARD_BUTTONS = ("Ground me", "My plan", "Talk to someone")


AGAIN = "card:again"


def _card(user_id: int) -> tuple[discord.Embed, discord.ui.View]:
    embed = discord.Embed(title="Here for you", description=CARD_TEXT, colour=0x3A9D8F)
    view = discord.ui.View(timeout=None)
    for n, label in enumerate(CARD_BUTTONS):
        custom_id = AGAIN if n == 0 else f"card:{n}:{user_id}"
        view.add_item(discord.ui.Button(label=label, custom_id=custom_id))
    view.stop()  # answered by custom id (the persistent view below): nothing kept per reply
    return embed, view


@app_commands.command(name="card", description="Answer a sentence, an embed and three buttons")
async def card(interaction: discord.Interaction) -> None:
    """Answer with what most Bounceback replies carry, and nothing computed."""
    embed, view = _card(interaction.user.id)
    await interaction.response.send_message(
        "One thing at a time.", embed=embed, view=view, ephemeral=True
    )


class Again(discord.ui.View):
    """The persistent view answering every card's first button: the card again, edited in place."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label=CARD_BUTTONS[0], custom_id=AGAIN)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Edit the pressed message into a new card, as Another tip and Ground me do."""
        embed, view = _card(interaction.user.id)
        await interaction.response.edit_message(content="One more thing.", embed=embed, view=view)


class BaselineBot(commands.Bot):
    """A ``commands.Bot`` (as Bounceback is) with Bounceback's intents and ``/ping``."""

    def __init__(self, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned, intents=intents, help_command=None, **options
        )

    async def setup_hook(self) -> None:
        """Sync the commands on every start: each run's sandbox is new, as Bounceback's database is."""
        self.tree.add_command(ping)
        self.tree.add_command(card)
        self.add_view(Again())
        await self.tree.sync()
