"""Sync protocol, client engine and central server (Qt-free).

Not built yet: this package arrives with the sync issue. It exists now so that the layering
contract (ui -> sync -> asndesk) is enforced from the first commit.
"""
