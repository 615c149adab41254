-- processed_events is pruned by age (Moderation:ProcessedEventsRetention); the pruner finds old rows by this index.
CREATE INDEX IF NOT EXISTS processed_events_processed_at ON processed_events (processed_at);
