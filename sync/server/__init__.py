"""The central sync server: FastAPI on SQLAlchemy Core, SQLite by default or PostgreSQL.

No state lives in process memory (rate limits, tokens' secret, epochs are in the database),
so several instances can serve one PostgreSQL.
"""
