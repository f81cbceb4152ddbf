-- Email delivery by several server processes on one database (issue 12).
--
-- A process claims the due emails it is about to send: `claimed_by` names the process
-- that claimed the email last (once it is sent, its sender) and `claimed_until` is when
-- the claim runs out (NULL: released). The statement that selects due emails also claims
-- them, and only an unclaimed email or one whose claim has run out (its process died) can
-- be claimed, so two processes never send the same email at the same time. Recording the
-- delivery or the failure releases the claim.
--
-- The times delivery compares are Unix milliseconds: numbers compare the same way in every
-- database, where the RFC 3339 text of `next_attempt_at` needed SQLite's julianday().
ALTER TABLE email_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE email_outbox ADD COLUMN claimed_until INTEGER;

-- When a failed delivery may be tried again (replaces `next_attempt_at` of 0002).
ALTER TABLE email_outbox ADD COLUMN retry_at INTEGER;
UPDATE email_outbox
SET retry_at = CAST(ROUND((julianday(next_attempt_at) - 2440587.5) * 86400000.0) AS INTEGER)
WHERE next_attempt_at IS NOT NULL;
ALTER TABLE email_outbox DROP COLUMN next_attempt_at;
