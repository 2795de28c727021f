"""The encrypted local store: the only place on the client that talks SQL."""
