"""Verify over full exports: the integrity rules compiled to SQL, and the comparison query.

Pure text building. The SQL runs in DuckDB over the downloaded export files (the engine lives
in ``lee_console.aws.export_engine``, which core does not import) and is written out for Amazon
Athena over the same S3 export.

Each rule compiles to a three-valued predicate over the item's DynamoDB JSON: TRUE (the item
breaks the rule), FALSE (it does not), NULL (SQL cannot decide exactly as the Python rules do:
a regular expression outside the translated subset, a timestamp not in the plain
``YYYY-MM-DDTHH:MM:SSZ`` shape). The engine hands the undecided items, usually none, to
:meth:`lee_console.core.rules.RuleSet.check`, so every verdict equals the Python rules'.
"""
