-- The language of a server's scheduled posts, chosen with /setup language (a Discord
-- locale code such as pt-BR). NULL follows the server's own preferred locale.
ALTER TABLE guild_settings ADD COLUMN language TEXT;
