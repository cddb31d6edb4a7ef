"""Referrals, the weekly hours ledger and the contract reports (app layer, database-backed)."""
