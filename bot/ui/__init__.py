"""Discord-facing presentation: embeds, views, modals and text formatting."""
