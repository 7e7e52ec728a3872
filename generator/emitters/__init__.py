"""One module per generated artifact."""
