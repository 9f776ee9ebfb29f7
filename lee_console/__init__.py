"""lee-console: a terminal incident console for DynamoDB point-in-time recovery."""

__version__ = "0.1.0"
