-- PostgreSQL twin of sqlite/0007: here the CHECK widens in place, no rebuild.
ALTER TABLE scheduled_posts DROP CONSTRAINT scheduled_posts_status;
ALTER TABLE scheduled_posts ADD CONSTRAINT scheduled_posts_status
    CHECK (status IN ('claimed', 'opened', 'sent', 'failed', 'skipped'));
ALTER TABLE scheduled_posts ADD COLUMN thread_id BIGINT;
UPDATE scheduled_posts SET thread_id = message_id WHERE kind = 'accountability' AND status = 'sent';
