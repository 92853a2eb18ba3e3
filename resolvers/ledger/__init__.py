"""The village ledger (社情民意台账) as the API reads it."""
