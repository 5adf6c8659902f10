"""Command groups registered on the main CLI (``arshjul.cli``)."""
