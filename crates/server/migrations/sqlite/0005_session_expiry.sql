-- Expired sessions are deleted by a periodic sweep (jobs.rs), oldest first, in batches.
CREATE INDEX sessions_expiry ON sessions (expires_at);
