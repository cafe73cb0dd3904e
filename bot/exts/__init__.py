"""Discord extensions, one per feature, loaded in this order by `setup_hook`."""

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
