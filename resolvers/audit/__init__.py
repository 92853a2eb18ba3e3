"""Reading the audit trail."""
