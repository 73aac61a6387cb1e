"""The household register (一户一档): households, offers, agreements and the operator log in SQLite or PostgreSQL."""
