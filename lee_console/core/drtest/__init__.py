"""The quarterly restore test (`lee-console dr-test`), pure: the scratch table's name, the
choice of the restore point, the result and its verdict, the trend of restore durations and
the JSON and Markdown renderings. ``lee_console.aws.drtest`` runs the test;
``lee_console.store.dr_tests`` keeps the history.
"""
