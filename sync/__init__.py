"""Sync protocol, client engine and central server (Qt-free).

Being built (issue 3). Present: `protocol` (messages and their checks) and `wire` (body
codec). Not yet: the server (`sync/server/`), the client engine, bundles.
"""
