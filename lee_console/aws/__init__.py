"""The only code that talks to AWS (or the sandbox, through endpoint_url)."""
