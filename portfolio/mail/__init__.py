"""The outbox: messages are queued in the database and delivered after the commit."""
