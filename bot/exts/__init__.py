"""Discord extensions, one per feature, loaded in this order by `setup_hook`."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator

from discord import app_commands
from discord.ext import commands

from bot.content.commands import Registered, RegisteredCommand, RegisteredOption

EXTENSIONS: tuple[str, ...] = (
    "bot.exts.meta",
    "bot.exts.tips",
    "bot.exts.rejections",
    "bot.exts.wins",
    "bot.exts.accountability",
    "bot.exts.support",
    "bot.exts.privacy",
    "bot.exts.tips_admin",
    "bot.exts.setup",
)

AppCommand = app_commands.Command[commands.Cog, ..., object] | app_commands.Group


def registered_commands() -> Registered:
    """Describe every command, group, subcommand, option and choice the extensions register.

    The content is loaded before the bot exists, so the tree is read from the cog
    classes: a cog made without running its constructor carries its commands
    (and a GroupCog its group) and needs no services. A test holds this equal to
    the tree the real bot syncs.
    """
    return tuple(_describe(c) for module in EXTENSIONS for c in _commands_of(module))


def _commands_of(module_name: str) -> Iterator[AppCommand]:
    module = importlib.import_module(module_name)
    for cls in vars(module).values():
        if inspect.isclass(cls) and issubclass(cls, commands.Cog) and cls.__module__ == module_name:
            cog = cls.__new__(cls)
            roots = [cog.app_command] if cog.app_command else cog.get_app_commands()
            for root in roots:
                yield root
                if isinstance(root, app_commands.Group):
                    yield from root.walk_commands()


def _describe(command: AppCommand) -> RegisteredCommand:
    if isinstance(command, app_commands.Group):
        return RegisteredCommand(command.qualified_name)
    options = tuple(
        RegisteredOption(p.name, tuple(str(c.value) for c in p.choices)) for p in command.parameters
    )
    return RegisteredCommand(command.qualified_name, options)
