"""Pure domain: no boto3, no Textual, no I/O beyond what is passed in."""
