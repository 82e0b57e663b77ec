"""What an org's automation does on its own: Outbound Messages on record changes."""
