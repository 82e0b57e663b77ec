"""The emulator's SOQL: lexer, parser, name resolution, WHERE filters and the compiled query."""
