"""Alert changes leave the database here: the write transaction, live subscribers and the webhook outbox."""
