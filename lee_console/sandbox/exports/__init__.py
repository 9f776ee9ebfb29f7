"""PITR exports to S3: ExportTableToPointInTime, DescribeExport and ListExports, computed from
the PITR history and written to the sandbox's own S3 in AWS's layout.

request.py reads and checks a request; content.py turns the history into export lines;
layout.py writes the objects; model.py is one export and its status; service.py keeps the
exports of a backend; handlers.py replaces moto's three response handlers. See
docs/sandbox-exports.md for what follows AWS's documentation and what had to be chosen.
"""
