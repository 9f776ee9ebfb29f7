"""What happens on the wire before moto sees a request: which AWS operation it is, the faults
injected into it (``--faults``), the request log (``--request-log``) and the added latency."""
