"""The pins bot behind tools/bump-template-pins.py: sources, version rules and rewriting."""
